"""The secret salt of the hashed user ids: HOSAKAN_USER_ID_SALT, or a random one generated once
and kept, readable by its owner only, beside the database. Never a constant: with a known salt,
hashed ids can be matched back to user ids by hashing every candidate."""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger("hosakan.salt")


def salt_file(database_url: str, data_dir: Path) -> Path | None:
    """Where a generated salt is kept: beside a SQLite file, else in ``data_dir``; None for an
    in-memory database (its salt lives as long as it does)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        return Path(url.database).with_suffix(".salt")
    return data_dir / "hosakan.salt"


def _read(path: Path) -> str:
    for _ in range(50):  # another process may be writing it this moment
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
        time.sleep(0.05)
    raise OSError(f"{path} is empty")


def _create(path: Path) -> bool:
    """Write a new random salt at ``path`` unless one is there; True when this call wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".salt-")  # created 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_hex(32) + "\n")
        os.link(temporary, path)  # atomic, and fails when another process got there first
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)


def user_id_salt(configured: str | None, database_url: str, data_dir: Path) -> str:
    if configured:
        return configured
    path = salt_file(database_url, data_dir)
    if path is None:
        return secrets.token_hex(32)
    if not path.exists() and _create(path):
        log.warning("generated a random user-id salt at %s (owner-only); keep it with the database, "
                    "or set HOSAKAN_USER_ID_SALT (the same on every replica)", path)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
        log.warning("made the user-id salt at %s readable by its owner only", path)
    return _read(path)
