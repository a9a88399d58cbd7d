"""`hosakan backup` and `hosakan restore`: one archive of what a data directory holds that cannot be
rebuilt, written while `serve` runs, and brought back into an empty data directory.

The archive (a .tar.gz, owner-only) holds the SQLite database copied through SQLite's online
backup API (a consistent copy while other processes write), the user-id salt (without it, the
hashed user ids and every signed sign-in cookie change), the knowledge folder (records, glossary,
source documents) and the .env with its secrets left out unless asked. The index is not kept: it is
rebuilt from the records after a restore. A PostgreSQL database is backed up with pg_dump; the
archive then says so instead of holding it.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url

from hosakan.bot.home import private_dir, private_file

FORMAT = 1
MANIFEST = "hosakan-backup.json"
SECRET = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*(?:TOKEN|TOKENS|SECRET|PASSWORD|SALT|CODE|KEY)"
                    r"[A-Za-z0-9_]*)\s*=\s*(?P<value>.*)$", re.IGNORECASE)


class BackupError(Exception):
    """Why a backup or restore cannot be made, in Japanese."""


@dataclass
class Backed:
    path: Path
    manifest: dict       # what the archive holds: database ("sqlite", "external" or None: none yet), salt, env, knowledge


def sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _env_without_secrets(text: str) -> tuple[str, list[str]]:
    lines, left_out = [], []
    for line in text.splitlines():
        found = SECRET.match(line)
        if found and found["value"].strip():
            left_out.append(found["key"])
            lines.append(f"# {found['key']}=（バックアップに含めていません。元の値を設定してください）")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n", left_out


def backup(destination: Path, *, root: Path, knowledge: Path, database_url: str, salt_file: Path | None,
           with_secrets: bool = False) -> Backed:
    """Write the archive at ``destination`` (refusing to overwrite one)."""
    if destination.exists():
        raise BackupError(f"{destination} は既にあります。別のファイル名を指定してください（上書きはしません）。")
    destination.parent.mkdir(parents=True, exist_ok=True)
    database = sqlite_path(database_url)
    left_out: list[str] = []
    manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "database": None,
                "salt": False, "env": False, "knowledge": 0}
    partial = destination.with_name(f".{destination.name}.partial")
    private_file(partial)  # owner-only before anything is written into it
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(partial, "w:gz") as archive:
            if database is not None and database.exists():
                copy = Path(work) / "hosakan.db"
                source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)  # consistent while `serve` writes
                finally:
                    target.close()
                    source.close()
                archive.add(copy, "hosakan.db")
                manifest["database"] = "sqlite"
            elif database is None:
                manifest["database"] = "external"  # PostgreSQL: pg_dump
            if salt_file is not None and salt_file.exists():
                archive.add(salt_file, "hosakan.salt")
                manifest["salt"] = True
            env = root / ".env"
            if env.exists():
                text = env.read_text(encoding="utf-8")
                if not with_secrets:
                    text, left_out = _env_without_secrets(text)
                _add_text(archive, ".env", text)
                manifest["env"] = True
            if knowledge.is_dir():
                for path in sorted(knowledge.rglob("*")):
                    if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py":
                        archive.add(path, str(PurePosixPath("knowledge", path.relative_to(knowledge).as_posix())))
                        manifest["knowledge"] += 1
            manifest["secrets_left_out"] = left_out
            _add_text(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    partial.replace(destination)
    return Backed(destination, manifest)


def _add_text(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    archive.addfile(info, io.BytesIO(data))


def _safe(member: tarfile.TarInfo) -> bool:
    path = PurePosixPath(member.name)
    return (member.isfile() and not path.is_absolute() and ".." not in path.parts
            and (path.parts[0] in ("knowledge", "hosakan.db", "hosakan.salt", ".env", MANIFEST)))


def restore(archive_path: Path, *, root: Path, knowledge: Path, database: Path | None) -> dict:
    """Bring an archive back into an empty data directory; returns its manifest."""
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} が見つかりません。")
    taken = [p for p in (knowledge, database, root / ".env") if p is not None and p.exists()
             and (not p.is_dir() or any(p.iterdir()))]
    if taken:
        raise BackupError("戻し先のデータディレクトリが空ではありません（" + "、".join(str(p) for p in taken)
                          + "）。空のデータディレクトリ（HOSAKAN_HOME か --home）を指定してください。")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = archive.getmembers()
            names = {m.name for m in members}
            if MANIFEST not in names:
                raise BackupError(f"{archive_path} は hosakan backup のアーカイブではありません。")
            manifest = json.loads(archive.extractfile(MANIFEST).read().decode("utf-8"))
            if manifest.get("format") != FORMAT:
                raise BackupError("このアーカイブの形式には対応していません（新しい Hosakan で作られたものです）。")
            private_dir(root)
            for member in members:
                if not _safe(member) or member.name == MANIFEST:
                    continue
                if member.name == "hosakan.db":
                    if database is None:
                        continue  # the settings point at PostgreSQL: restore it with pg_restore
                    target = database
                elif member.name == "hosakan.salt":
                    target = (database.with_suffix(".salt") if database is not None else root / "hosakan.salt")
                elif member.name == ".env":
                    target = root / ".env"
                else:
                    target = knowledge / PurePosixPath(member.name).relative_to("knowledge")
                target.parent.mkdir(parents=True, exist_ok=True)
                if member.name != "knowledge" and not member.name.startswith("knowledge/"):
                    private_file(target)  # the database, the salt and the .env: owner-only from the start
                with archive.extractfile(member) as data, open(target, "wb") as out:
                    out.write(data.read())
    except (tarfile.TarError, OSError, ValueError, EOFError) as error:
        raise BackupError(f"{archive_path} を読めません（{type(error).__name__}）。") from None
    return manifest
