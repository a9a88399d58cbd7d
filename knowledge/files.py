"""The files a maintainer put in the knowledge folder, found and read without ever leaving it.

Whatever is in the folder is answered to anyone who can ask, so only plain files that are the
folder's own are read: a symbolic link (to a file or a folder) is never followed, a hard-linked
file (one that is also somewhere else, such as the data directory's ``.env``) is not read, nor is
anything that is not a regular file (a FIFO would stop the build). A file name that is not UTF-8
(a Windows zip unpacked as it is) is named, shown as Shift_JIS when it reads as such. Each file
left out comes back as a ``Problem`` with why, in Japanese, so that ``validate`` and ``index``
name it and go on with the rest.

Opening uses ``O_NOFOLLOW`` and checks the opened file itself (``fstat``), so a file swapped for a
link between the listing and the read is refused too.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from hosakan.knowledge import sentences
from hosakan.knowledge.problems import Problem
from hosakan.knowledge.sentences import (  # why a file is not read; indexer/documents.py reads them here too
    HARD_LINK,
    LINK,
    NO_PERMISSION,
    NO_PERMISSION_FOLDER,
    NOT_A_FILE,
)


class Refused(Exception):
    """A file that is not read; ``reason`` says why in Japanese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def shown(path: Path | str) -> str:
    """A path as it can be printed: a name that is not UTF-8 read as Shift_JIS where it can be
    (else with ? for the bytes), and control characters (a name can carry a terminal's escape
    sequences) written as \\x1b."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(text)
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" if ord(c) < 0x100 else "?"
                   for c in text)


def _name_problem(path: Path) -> str | None:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return sentences.NAME_NOT_UTF8
    if any(not c.isprintable() and c != " " for c in path.name):
        return sentences.NAME_CONTROL_CHARACTER
    return None


def listing(folder: Path, wanted: Callable[[Path], bool]) -> tuple[list[Path], list[Problem]]:
    """The regular files under ``folder`` (subfolders too) that ``wanted`` accepts, in order, and a
    problem for each such name left out: a link, something that is not a file, a bad name. Links
    to folders are named and not entered."""
    try:
        if folder.is_symlink():
            return [], [Problem(Path(shown(folder)), sentences.FILE_FIELD, LINK)]
        if not folder.is_dir():
            return [], []
    except OSError:  # a folder above it that may not be entered
        return [], [Problem(Path(shown(folder)), sentences.FILE_FIELD, NO_PERMISSION_FOLDER)]
    found, problems = [], []
    for top, folders, files in os.walk(folder, followlinks=False, onerror=lambda error: problems.append(
            Problem(Path(shown(error.filename or folder)), sentences.FILE_FIELD, NO_PERMISSION_FOLDER))):
        here = Path(top)
        for name in sorted(folders):
            if name.startswith("."):
                folders.remove(name)
            elif _is_link(here / name):
                folders.remove(name)
                problems.append(Problem(Path(shown(here / name)), sentences.FILE_FIELD, LINK))
        for name in files:
            path = here / name
            if not wanted(path):
                continue
            reason = _name_problem(path) or not_plain(path)
            if reason:
                problems.append(Problem(Path(shown(path)), sentences.FILE_FIELD, reason))
            else:
                found.append(path)
    return sorted(found), problems


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:
        return False


def not_plain(path: Path) -> str | None:
    """Why ``path`` is not read as it stands (a link, not a regular file, hard-linked), or None."""
    try:
        info = path.lstat()
    except OSError:
        return NO_PERMISSION
    if stat.S_ISLNK(info.st_mode):
        return LINK
    if not stat.S_ISREG(info.st_mode):
        return NOT_A_FILE
    if info.st_nlink > 1:
        return HARD_LINK
    return None


def read_bytes(path: Path, max_bytes: int, too_large: Callable[[int], str]) -> bytes:
    """The bytes of one plain file, never through a link; ``Refused`` with why when it is a link,
    not a regular file, hard-linked, unreadable or larger than ``max_bytes`` (``too_large(size)``
    says so)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise Refused(_open_failed(path, error)) from None
    with os.fdopen(fd, "rb") as opened:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(NOT_A_FILE)
        if info.st_nlink > 1:
            raise Refused(HARD_LINK)
        if info.st_size > max_bytes:
            raise Refused(too_large(info.st_size))
        raw = opened.read(max_bytes + 1)  # a file that grew since fstat is still bounded
    if len(raw) > max_bytes:
        raise Refused(too_large(len(raw)))
    return raw


def _open_failed(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP or path.is_symlink():
        return LINK
    if error.errno in (errno.EACCES, errno.EPERM):
        return NO_PERMISSION
    if error.errno == errno.ENOENT:
        return sentences.FILE_VANISHED
    return sentences.unreadable(error.strerror or type(error).__name__)
