"""TODO markers a record must not keep: `hosakan draft` writes 「# TODO: …」 above each field it
could not fill (and one HTML comment above the drafted body); `hosakan validate` refuses a record
while any is left, so a draft is published only once a maintainer has been through it."""

from __future__ import annotations

import re

FIELD_TODO = "# TODO: "
_MARK = re.compile(r"^\s*(?:#|<!--)\s*TODO\s*[:：]\s*(?P<what>.*?)\s*(?:-->)?\s*$")
_KEY = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*:")


def leftover(text: str) -> list[tuple[int, str, str]]:
    """(line number in the file, the field it is about, what it asks) for each TODO left in
    ``text``; a TODO is about the field on the next line that names one ("body" below the front
    matter)."""
    lines = text.lstrip("\ufeff").splitlines()
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None) \
        if lines and lines[0].strip() == "---" else None
    found = []
    for index, line in enumerate(lines):
        mark = _MARK.match(line)
        if not mark:
            continue
        if close is not None and 0 < index < close:
            found.append((index + 1, _field(lines, index, close), mark.group("what")))
        elif close is None or index > close:
            found.append((index + 1, "body", mark.group("what")))
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _parent(lines: list[str], index: int) -> str | None:
    """The key the line at ``index`` is under (the nearest line above indented less)."""
    for line in reversed(lines[:index]):
        match = _KEY.match(line)
        if match and not line.lstrip().startswith("-") and _indent(line) < _indent(lines[index]):
            return match.group("key")
    return None


def _field(lines: list[str], index: int, close: int) -> str:
    """The field a TODO comment is about: the key of the next line (source.url for source's),
    or the list's key when the next line is one of its items."""
    for at in range(index + 1, close):
        line = lines[at]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("-"):
            return _parent(lines, at) or "(front matter)"
        match = _KEY.match(line)
        if match:
            parent = _parent(lines, at) if _indent(line) else None
            return f"{parent}.{match.group('key')}" if parent else match.group("key")
        break
    return "(front matter)"
