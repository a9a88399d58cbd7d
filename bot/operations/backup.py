"""`hosakan backup` and `hosakan restore`: one archive of what a data directory holds that cannot be
rebuilt, written while `serve` runs, and brought back into an empty data directory.

The archive (a .tar.gz, owner-only, every member in it 0600 or 0700) holds the SQLite database
copied through SQLite's online backup API (a consistent copy while other processes write), the
user-id salt (without it, the hashed user ids and every signed sign-in cookie change), the
knowledge folder (records, glossary, source documents) and the .env with its secrets left out
unless asked. The knowledge folder is walked as the index walks it (knowledge/files.py): only the
folder's own plain files, never a link, a hard-linked file (the data directory's .env linked into
the folder would carry its tokens into the archive) or a FIFO; each file left out is named with
why. The index is not kept: it is rebuilt from the records after a restore. A PostgreSQL database
is backed up with pg_dump; the archive then says so instead of holding it.

A restore is all or nothing but for the records' own problems. The archive is streamed member by
member into a folder beside the target (in the data directory, owner-only), each member checked
as it arrives: regular files and folders only, under names a backup writes, within the limits
below, copied in chunks. The index is then built there with the target's settings (never the
paths the archive's .env names), and only then is everything renamed into place. Whatever goes
wrong before that, the folder is removed and the target is as it was, so the same command can
simply be run again. Records the index refuses (a mistake `hosakan index` refused while the live
index kept serving) do not stop a restore: the data is what was backed up, so it is put in place
all the same, without an index, and the caller names the records to fix before `hosakan index`.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from sqlalchemy.engine import make_url

from hosakan.bot.operations.home import private_dir, private_file
from hosakan.bot.sentences import maintainers
from hosakan.knowledge import files
from hosakan.knowledge.files import shown

FORMAT = 1
MANIFEST = "hosakan-backup.json"
SECRET = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*(?:TOKEN|TOKENS|SECRET|PASSWORD|SALT|CODE|KEY)"
                    r"[A-Za-z0-9_]*)\s*=\s*(?P<value>.*)$", re.IGNORECASE)
# the settings that say where data lives: in a restored .env they are kept only where they name
# the place this restore used (an archive from another host names that host's folders)
PATHS = re.compile(r"^\s*(?:export\s+)?(?P<key>HOSAKAN_(?:HOME|KNOWLEDGE_DIR|INDEX_DIR|DATABASE_URL))"
                   r"\s*=\s*(?P<value>.*)$", re.IGNORECASE)

# What a restore accepts from an archive; beyond any of these it stops before writing more.
MAX_MEMBERS = 100_000                 # members (files and folders) in one archive
MAX_MEMBER_BYTES = 4 * 1024 ** 3      # one member, as its header declares it (the database is the largest)
MAX_TOTAL_BYTES = 16 * 1024 ** 3      # all members together
MAX_HEADER_BYTES = 1024 ** 2          # a long-name or pax header, and the manifest
SPACE_KEPT = 64 * 1024 ** 2           # free space left on the target's disk after each member
CHUNK = 1024 ** 2                     # a member is copied this much at a time, never read whole

DATABASE, SALT, ENV = "hosakan.db", "hosakan.salt", ".env"
STAGING = ".restore-"                 # the folder in the data directory a restore unpacks into


class BackupError(Exception):
    """Why a backup or restore cannot be made, in Japanese."""


@dataclass
class Backed:
    path: Path
    # what the archive holds: database ("sqlite", "external" or None: none yet), salt, env, knowledge
    manifest: dict
    left_out: list[str] = field(default_factory=list)  # knowledge files not taken, each "name（why）"


@dataclass
class Restored:
    manifest: dict
    skipped: list[str] = field(default_factory=list)   # members left out, each "name（why）"
    disabled: list[str] = field(default_factory=list)  # path settings in the restored .env commented out
    indexed: bool = True                                # False: the records did not allow an index


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


def _owner_only(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Every member of an archive readable by its owner only, whatever the file's mode here."""
    info.mode = 0o700 if info.isdir() else 0o600
    return info


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
                copy = Path(work) / DATABASE
                source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)  # consistent while `serve` writes
                finally:
                    target.close()
                    source.close()
                archive.add(copy, DATABASE, filter=_owner_only)
                manifest["database"] = "sqlite"
            elif database is None:
                manifest["database"] = "external"  # PostgreSQL: pg_dump
            if salt_file is not None and salt_file.exists():
                archive.add(salt_file, SALT, filter=_owner_only)
                manifest["salt"] = True
            env = root / ENV
            if env.exists():
                text = env.read_text(encoding="utf-8")
                if not with_secrets:
                    text, left_out = _env_without_secrets(text)
                _add_text(archive, ENV, text)
                manifest["env"] = True
            manifest["knowledge"], not_taken = _add_knowledge(archive, knowledge)
            manifest["secrets_left_out"] = left_out
            _add_text(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    partial.replace(destination)
    return Backed(destination, manifest, not_taken)


def _wanted(path: Path) -> bool:
    return "__pycache__" not in path.parts and path.suffix != ".py"


def _add_knowledge(archive: tarfile.TarFile, knowledge: Path) -> tuple[int, list[str]]:
    """Add the knowledge folder's own plain files, as the index reads them; returns how many and
    each file left out as "knowledge/name（why）"."""
    found, problems = files.listing(knowledge, _wanted)
    left_out = [f"{_in_archive(Path(str(p.path)), knowledge)}（{p.message}）" for p in problems]
    taken = 0
    for path in found:
        name = str(PurePosixPath("knowledge", path.relative_to(knowledge).as_posix()))
        try:
            _add_plain(archive, path, name)
        except files.Refused as refused:
            left_out.append(f"{_in_archive(path, knowledge)}（{refused.reason}）")
            continue
        taken += 1
    return taken, left_out


def _in_archive(path: Path, knowledge: Path) -> str:
    """A knowledge file's name as the archive names it (knowledge/…), shown as it may be printed."""
    try:
        return shown(PurePosixPath("knowledge", path.relative_to(knowledge).as_posix()))
    except ValueError:
        return shown(path)


def _add_plain(archive: tarfile.TarFile, path: Path, name: str) -> None:
    """Add one file, opened without following a link and checked once open (a link or a hard link
    swapped in after the listing is refused), streamed; ``files.Refused`` with why when it is not
    taken."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise files.Refused(files.LINK) from None
        if error.errno in (errno.EACCES, errno.EPERM):
            raise files.Refused(files.NO_PERMISSION) from None
        raise files.Refused(f"読めません（{error.strerror or type(error).__name__}）") from None
    with os.fdopen(fd, "rb") as opened:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise files.Refused(files.NOT_A_FILE)
        if info.st_nlink > 1:
            raise files.Refused(files.HARD_LINK)
        if info.st_size > MAX_MEMBER_BYTES:  # hosakan restore would refuse the whole archive
            raise files.Refused(maintainers.backup_too_large(_size(info.st_size), _size(MAX_MEMBER_BYTES)))
        archive.addfile(_owner_only(archive.gettarinfo(arcname=name, fileobj=opened)), opened)


def _add_text(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    archive.addfile(info, io.BytesIO(data))


# --- restore -------------------------------------------------------------------------------------

def _shown(name: str) -> str:
    """A member's name as it may be printed (a terminal's escapes spelled out), cut to 200 characters."""
    return shown(name)[:200]


def _size(count: int) -> str:
    return f"{count / 1024 ** 3:.1f} GiB" if count >= 1024 ** 3 else f"{count / 1024 ** 2:.1f} MiB"


class _Header(tarfile.TarInfo):
    """A member header whose long-name or pax extension is refused before tarfile reads it whole
    into memory when it declares more than MAX_HEADER_BYTES."""

    def _proc_member(self, tarfile_):
        if self.type in (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE, tarfile.XGLTYPE,
                         tarfile.SOLARIS_XHDTYPE) and self.size > MAX_HEADER_BYTES:
            raise BackupError(f"アーカイブの見出し（{_shown(self.name)}）が大きすぎます（{_size(self.size)}）。"
                              "hosakan backup のアーカイブではないか、壊れています。")
        return super()._proc_member(tarfile_)


class _Bounded(io.RawIOBase):
    """The decompressed archive, stopped once more than a restore can accept has been read: a
    gzip bomb costs a bounded time however its headers lie."""

    LIMIT = MAX_TOTAL_BYTES + MAX_MEMBERS * 8 * 1024  # the members, and their headers and padding

    def __init__(self, stream):
        self.stream, self.read_so_far = stream, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size < 0 or self.read_so_far + size > self.LIMIT:
            size = max(0, self.LIMIT - self.read_so_far) + 1
        data = self.stream.read(size)
        self.read_so_far += len(data)
        if self.read_so_far > self.LIMIT:
            raise BackupError(f"アーカイブを展開すると {_size(MAX_TOTAL_BYTES)} を超えます。戻せる大きさの上限です。")
        return data


def _why_skipped(member: tarfile.TarInfo) -> str | None:
    """None for a member a restore takes, else why it is left out (a reason to show)."""
    path, why = PurePosixPath(member.name), maintainers.SKIPPED_WHY
    if path.is_absolute():
        return why["absolute"]
    if ".." in path.parts:
        return why["outside"]
    if member.issym() or member.islnk():
        return why["link"]
    if member.isdev() or member.isfifo():
        return why["device"]
    if not (member.isreg() or member.isdir()) or member.issparse():
        return why["not_file"]
    if path.parts[:1] == ("knowledge",) and (member.isdir() or len(path.parts) > 1):
        return None
    if len(path.parts) == 1 and member.isreg() and path.name in (DATABASE, SALT, ENV, MANIFEST):
        return None
    return why["unknown"]


def _folder(path: Path, inside: Path) -> None:
    """``path`` and any folder above it up to ``inside``, each owner-only."""
    missing = []
    while path != inside and not path.is_dir():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)  # fails on a file of that name: the archive is inconsistent
        folder.chmod(0o700)


def _copy(source, target: Path, size: int, staging: Path) -> None:
    """Stream one member into ``target`` (owner-only), in chunks, never more than it declared."""
    if shutil.disk_usage(staging).free < size + SPACE_KEPT:
        raise BackupError(f"戻し先のディスクの空き容量が足りません（{target.name} に {_size(size)} 必要です）。")
    written = 0
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600), "wb") as out:
        os.fchmod(out.fileno(), 0o600)  # a member met twice: the second copy is owner-only too
        while chunk := source.read(min(CHUNK, size - written + 1)):
            written += len(chunk)
            if written > size:
                raise BackupError(f"{_shown(target.name)} が見出しの大きさより長く続きます。アーカイブが壊れています。")
            out.write(chunk)
    if written != size:
        raise EOFError("member shorter than its header")


def _unpack(archive_path: Path, staging: Path) -> tuple[dict, list[str]]:
    """Stream the archive's members into ``staging``; returns its manifest and what was left out."""
    skipped: list[str] = []
    manifest = None
    taken = count = total = 0
    with gzip.open(archive_path, "rb") as unzipped, \
            tarfile.open(fileobj=_Bounded(unzipped), mode="r|", tarinfo=_Header) as archive:
        for member in archive:
            count += 1
            name = _shown(member.name)
            if count > MAX_MEMBERS:
                raise BackupError(f"アーカイブのファイルが多すぎます（上限 {MAX_MEMBERS:,}件）。")
            if member.size > MAX_MEMBER_BYTES:
                raise BackupError(f"アーカイブの {name} が大きすぎます（{_size(member.size)}、"
                                  f"上限は1ファイル {_size(MAX_MEMBER_BYTES)}）。")
            total += member.size
            if total > MAX_TOTAL_BYTES:
                raise BackupError(f"アーカイブの中身が大きすぎます（上限は合計 {_size(MAX_TOTAL_BYTES)}）。")
            why = _why_skipped(member)
            if why is not None:
                skipped.append(f"{name}（{why}）")
                continue
            taken += 1
            if member.name == MANIFEST:
                if member.size > MAX_HEADER_BYTES:
                    raise BackupError(f"{MANIFEST} が大きすぎます（{_size(member.size)}）。")
                manifest = _manifest(archive.extractfile(member).read())
                continue
            target = staging.joinpath(*PurePosixPath(member.name).parts)
            try:
                if member.isdir():
                    _folder(target, staging)
                    continue
                _folder(target.parent, staging)
                with archive.extractfile(member) as data:
                    _copy(data, target, member.size, staging)
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                raise BackupError(f"アーカイブの {name} が、先に出てきた同じ名前のファイルかフォルダーとぶつかります。"
                                  "アーカイブが壊れています。") from None
    if manifest is None:
        if taken:
            raise BackupError(f"{archive_path} は途中で切れているか壊れています（{MANIFEST} がありません）。")
        raise BackupError(f"{archive_path} は hosakan backup のアーカイブではありません。")
    return manifest, skipped


def _manifest(raw: bytes) -> dict:
    """The archive's manifest, or BackupError (one Japanese line) when it cannot be read: not
    UTF-8 JSON, nested too deep to parse, or not the shape a backup writes."""
    unreadable = f"アーカイブの {MANIFEST} を読めません（{{}}）。hosakan backup のアーカイブではないか、壊れています。"
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupError(unreadable.format("JSON ではありません")) from None
    except RecursionError:
        raise BackupError(unreadable.format("入れ子が深すぎます")) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int) \
            or isinstance(manifest.get("format"), bool):
        raise BackupError(unreadable.format("形式が違います"))
    if manifest["format"] > FORMAT:
        raise BackupError("このアーカイブの形式には対応していません（新しい Hosakan で作られたものです）。")
    secrets = manifest.get("secrets_left_out", [])
    if manifest["format"] != FORMAT or not isinstance(manifest.get("created", ""), str) \
            or manifest.get("database") not in ("sqlite", "external", None) \
            or not isinstance(secrets, list) or not all(isinstance(key, str) for key in secrets):
        raise BackupError(unreadable.format("形式が違います"))
    return manifest


def _same_place(key: str, value: str, places: dict[str, Path | None]) -> bool:
    """Whether a path setting from the archive's .env names the place this restore used."""
    value = value.strip()
    if value[:1] in ("'", '"'):
        value = value[1:].split(value[0], 1)[0]
    else:
        value = value.split(" #", 1)[0].strip()
    if not value:
        return True
    if key == "HOSAKAN_DATABASE_URL":
        try:
            path = sqlite_path(value)
        except Exception:  # noqa: BLE001 - not a URL at all: left for the settings' own check to name
            return True
        if path is None:
            return not value.startswith("sqlite") or places[key] is None  # PostgreSQL: a server, not a path here
        value = str(path)
    place = places[key]
    return place is not None and Path(value).expanduser().absolute() == place.absolute()


def _disable_paths(env: Path, places: dict[str, Path | None]) -> list[str]:
    """Comment out the path settings in the restored .env that name other folders than the ones
    this restore used; returns their names."""
    if not env.is_file():
        return []
    lines, disabled = [], []
    for line in env.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        found = PATHS.match(line)
        if found and not _same_place(found["key"].upper(), found["value"], places):
            disabled.append(found["key"].upper())
            line = f"# {line.strip()}  # {maintainers.ENV_PATH_DISABLED}"
        lines.append(line)
    if disabled:
        env.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    return disabled


def _missing_above(path: Path) -> Path | None:
    """The highest folder above ``path`` (itself included) that is not there yet."""
    highest = None
    while not path.exists() and path != path.parent:
        highest, path = path, path.parent
    return highest


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _move(staged: Path, target: Path) -> None:
    """Rename ``staged`` to ``target``; onto another disk, copy beside the target first, then rename."""
    try:
        os.replace(staged, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        beside = target.with_name(f".{target.name}.restoring")
        _remove(beside)
        try:
            if staged.is_dir():
                shutil.copytree(staged, beside)  # copy2: the owner-only modes come along
            else:
                shutil.copy2(staged, beside)
            os.replace(beside, target)
        except BaseException:
            _remove(beside)
            raise


def _place(moves: list[tuple[Path, Path]]) -> None:
    """Rename each staged path onto its target, all or none: what a target held (an empty folder,
    an old index, a salt) is set aside and put back if a later rename fails."""
    done: list[tuple[Path, Path | None, Path | None]] = []  # target, what was there (set aside), folders made
    try:
        for staged, target in moves:
            made = _missing_above(target.parent)
            target.parent.mkdir(parents=True, exist_ok=True)
            aside = None
            if target.exists() or target.is_symlink():
                aside = target.with_name(f".{target.name}.before-restore")
                if aside.exists() or aside.is_symlink():
                    _remove(aside)
                os.replace(target, aside)
            done.append((target, aside, made))
            _move(staged, target)
    except BaseException:
        for target, aside, made in reversed(done):
            try:
                if target.exists() or target.is_symlink():
                    _remove(target)
                if aside is not None:
                    os.replace(aside, target)
                if made is not None:
                    shutil.rmtree(made, ignore_errors=True)
            except OSError:
                pass  # best effort: the error that stopped the restore is the one to report
        raise
    for _, aside, _ in done:
        if aside is not None:
            try:
                _remove(aside)
            except OSError:
                pass


def restore(archive_path: Path, *, root: Path, knowledge: Path, index: Path, database: Path | None,
            rebuild: Callable[[Path, Path], object] | None = None) -> Restored:
    """Bring an archive back into an empty data directory, all or nothing. ``rebuild(knowledge,
    index)`` builds the index from the unpacked records into the given folder (with the target's
    settings) before anything is moved into place; whatever it raises stops the restore with the
    target as it was. It returns False when the records' own problems do not allow an index (the
    caller names them): the data is put in place all the same, with an empty index folder (never
    an older index of other records), and ``Restored.indexed`` is False."""
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} が見つかりません。")
    root, knowledge, index = root.absolute(), knowledge.absolute(), index.absolute()
    database = database.absolute() if database is not None else None
    taken = [p for p in (knowledge, database, root / ENV) if p is not None and p.exists()
             and (not p.is_dir() or any(p.iterdir()))]
    if taken:
        raise BackupError("戻し先のデータディレクトリが空ではありません（" + "、".join(str(p) for p in taken)
                          + "）。空のデータディレクトリ（HOSAKAN_HOME か --home）を指定してください。")
    made = _missing_above(root)
    staging = None
    try:
        private_dir(root)
        for debris in root.glob(f"{STAGING}*"):  # left by a restore that was killed
            shutil.rmtree(debris, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=root))  # 0700, on the target's disk
        try:
            manifest, skipped = _unpack(archive_path, staging)
        except (tarfile.TarError, EOFError, zlib.error, ValueError, gzip.BadGzipFile) as error:
            raise BackupError(f"{archive_path} を読めません。途中で切れているか壊れています（{type(error).__name__}）。"
                              ) from None
        moves = []
        if (staging / DATABASE).exists():
            if database is None:  # the settings point at PostgreSQL: restore it with pg_restore
                skipped.append(f"{DATABASE}（{maintainers.SKIPPED_WHY['postgres']}）")
            else:
                moves.append((staging / DATABASE, database))
        salt = database.with_suffix(".salt") if database is not None else root / SALT
        moves += [(staging / SALT, salt), (staging / ENV, root / ENV)]
        disabled = _disable_paths(staging / ENV, {"HOSAKAN_HOME": root, "HOSAKAN_KNOWLEDGE_DIR": knowledge,
                                                  "HOSAKAN_INDEX_DIR": index, "HOSAKAN_DATABASE_URL": database})
        _folder(staging / "knowledge", staging)
        moves.append((staging / "knowledge", knowledge))
        indexed = True
        if rebuild is not None:
            _folder(staging / "index", staging)
            if rebuild(staging / "knowledge", staging / "index") is False:
                indexed = False
                shutil.rmtree(staging / "index")
                _folder(staging / "index", staging)  # empty: `hosakan index` builds the first one there
            moves.append((staging / "index", index))
        _place([(staged, target) for staged, target in moves if staged.exists()])
        made = None  # in place: the folders made for it stay
    except OSError as error:  # a full disk, a folder this user cannot write
        raise BackupError(_unwritable(archive_path, error)) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
    return Restored(manifest, skipped, disabled, indexed)


def _unwritable(archive_path: Path, error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "戻し先のディスクの空き容量が足りません。戻し先は元のままです。"
    return f"{archive_path} を戻せませんでした（{error.strerror or type(error).__name__}）。戻し先は元のままです。"
