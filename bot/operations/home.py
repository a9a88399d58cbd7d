"""Where Hosakan keeps what it writes: one data directory, never the installed package.

``HOSAKAN_HOME`` (or ``hosakan --home DIR``) names it; unset, a source checkout keeps using its
own ``knowledge/`` and ``var/`` (``make run``), and an installed Hosakan uses
``$XDG_DATA_HOME/hosakan`` (``~/.local/share/hosakan``). The directory holds:

    knowledge/     the records (``hosakan init`` copies the bundled ones as a start)
    index/         index generations
    hosakan.db     the SQLite database (questions, feedback, contexts, kept answers)
    hosakan.salt   the generated user-id salt
    .env           settings (read before ./.env)

``HOSAKAN_KNOWLEDGE_DIR``, ``HOSAKAN_INDEX_DIR`` and ``HOSAKAN_DATABASE_URL`` override its parts.
"""

from __future__ import annotations

import os
import pwd
import shutil
from dataclasses import dataclass
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def in_checkout() -> bool:
    """Whether this code runs from a source checkout (an editable install or `make run`)."""
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "knowledge" / "cases").is_dir()


@dataclass(frozen=True)
class Home:
    root: Path
    knowledge: Path
    index: Path
    database: Path
    checkout: bool = False

    @property
    def env_file(self) -> Path:
        return self.root / ".env"


def home() -> Home:
    """The data directory as the environment says now (``--home`` sets HOSAKAN_HOME first)."""
    configured = os.environ.get("HOSAKAN_HOME", "").strip()
    if configured:
        root = Path(configured).expanduser().absolute()
    elif in_checkout():
        var = CHECKOUT / "var"
        return Home(var, CHECKOUT / "knowledge", var / "index", var / "hosakan.db", checkout=True)
    else:
        root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share").expanduser() / "hosakan"
    return Home(root, root / "knowledge", root / "index", root / "hosakan.db")


def foreign_owner(path: Path) -> str | None:
    """Who owns ``path`` when that is not the user running this (a maintainer running as root on
    the service's data directory); None when it is ours or not there yet."""
    try:
        uid = path.stat().st_uid
    except OSError:
        return None
    if uid == os.geteuid():
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def private_dir(path: Path) -> None:
    """Create ``path`` readable by its owner only (0700), whatever the umask; a folder already
    there that others could read is made owner-only too."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)


def private_file(path: Path) -> None:
    """Create ``path`` (empty) readable by its owner only (0600), or make it so if it is not."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def env_files() -> tuple[Path, ...]:
    """The .env files settings are read from, later ones winning: the data directory's, then ./.env
    (none there when the working directory cannot be read: root's home, for the service user)."""
    here = Path(".env")
    try:
        local = (here,) if here.is_file() else ()
    except OSError:
        local = ()
    return (home().env_file, *local)


def bundled_updates(target: Path) -> list[str]:
    """The bundled records (and glossary) that differ from those in ``target`` or are missing there,
    by path under the knowledge folder: what a package upgrade brought that the data directory lacks."""
    from hosakan.knowledge.loader import DEFAULT_DIR as bundled, record_files

    found = []
    for source in [bundled / "glossary.yaml", *record_files(bundled)]:
        if _content(target / source.relative_to(bundled)) != source.read_bytes():
            found.append(source.relative_to(bundled).as_posix())
    return found


def _content(path: Path) -> bytes | None:
    """A data directory's file as the index reads it (never through a link); None when it is
    missing or cannot be read, which counts as differing."""
    from hosakan.knowledge.files import Refused, read_bytes

    try:
        return read_bytes(path, 1 << 24, str)
    except Refused:
        return None


def copy_bundled(target: Path, names: list[str]) -> None:
    """Copy the named bundled files over the data directory's."""
    from hosakan.knowledge.loader import DEFAULT_DIR as bundled

    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.is_symlink():  # replaced by the file, never written through to where it points
            destination.unlink()
        shutil.copyfile(bundled / name, destination)


def copy_bundled_records(target: Path) -> int:
    """Copy the records that come with Hosakan into ``target`` (a new knowledge folder); returns
    how many files were copied. Files already there are kept, never overwritten."""
    # plain files, from a wheel as in a checkout
    from hosakan.knowledge.loader import DEFAULT_DIR as bundled, record_files

    copied = 0
    for source in [bundled / "glossary.yaml", *record_files(bundled)]:
        destination = target / source.relative_to(bundled)
        if destination.exists() or destination.is_symlink():  # a dangling link is never written through
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        copied += 1
    return copied
