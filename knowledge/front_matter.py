"""Reading a record's front matter as YAML, and saying what is wrong when it does not read.

``read`` parses the text between the two ``---`` lines (or a whole YAML file: the glossary, a
source document's sidecar) and returns a ``Reading``: the data with a Problem for each YAML mistake,
at its line in the file and in plain Japanese: a full-width colon, a tab in the indentation, an
unclosed quote or bracket, a list under a key that already has a value, misaligned indentation and
so on. The mistake is worked out from the source lines around where PyYAML stopped, never from
PyYAML's English, so libyaml and the pure-Python parser say the same.

A mistake does not hide the rest: full-width colons are named and read as colons, and a mistake
on one top-level item (``term: "任期1年`` with its quote unclosed) leaves that item unread and the
others read, so that their field problems come in the same run. What cannot be read is never
guessed at: the item is left out (``Reading.skipped``), and only if everything else then reads.

The YAML is bounded: an alias (``*name``, the "billion laughs" of a few hundred bytes that expand
to gigabytes) is refused, as is nesting deeper than ``MAX_DEPTH`` (libyaml's composer recurses in C
and crashes on 100,000 ``[``). Both are checked on the parser's events, before anything is built,
and only when the text could hold them (a ``*``, or enough brackets and indentation), so that
ordinary records keep libyaml's speed. A date YAML cannot build (``reviewed: 2026-02-30``) is read
as the text written, for the schema to name (``dates.why_not``), instead of raising ValueError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

from hosakan.knowledge import sentences
from hosakan.knowledge.problems import Problem
from hosakan.knowledge.schema import Case, Compensation, Participant, Reference, Roundtable, Source, WorkStyle

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster
MAX_DEPTH = 32  # levels of nesting (a record uses 3); libyaml's composer crashes near 100,000

_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # the line breaks YAML counts
# A key written with a full-width colon: 「selection：書類選考」, 「  - as_written：月額」.
_FULL_WIDTH_COLON = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*：")
_KEY = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?)"
                  r"(?P<key>[^\s#:\-\"'\[\]{}][^:#]*?|\"[^\"]*\"|'[^']*')[ \t]*:(?=[ \t]|$)")
_EMPTY = re.compile(r"^[ \t]*(?:-[ \t]+)?(?P<key>[^\s:#][^:#]*?)[ \t]*:"
                    r"[ \t]+(?P<empty>\[[ \t]*\]|\{[ \t]*\})[ \t]*(?:#.*)?$")
_FIELD_NAMES = frozenset(name for model in (Case, Roundtable, Reference, Source, Compensation, WorkStyle, Participant)
                         for name in model.model_fields) | {"kind"}
_QUOTE_WIDTH = 60  # a quoted line is cut here, with …


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _value(line: str) -> str:
    """What follows the first key's colon on a line, comment dropped ("" if there is no key)."""
    match = _KEY.match(line)
    if not match:
        return ""
    rest = line[match.end():].strip()
    return "" if rest.startswith("#") else re.split(r"[ \t]+#", rest, maxsplit=1)[0].strip()


def _key(line: str) -> str:
    match = _KEY.match(line) or _FULL_WIDTH_COLON.match(line)
    return match["key"].strip("\"'") if match else ""


def _key_column(line: str) -> int:
    """Where a line's key starts: after its indentation and any "- "."""
    match = re.match(r"^[ ]*(?:-[ \t]+)?", line)
    return match.end() if match else 0


def _unclosed_quote(line: str) -> tuple[str, bool] | None:
    """(the quote, whether text follows its close) when the line's value starts with a quote that
    is not closed on the line, or is closed with more text after it; None otherwise."""
    match = _KEY.match(line)
    rest = line[match.end():].lstrip(" \t") if match else line.lstrip(" \t-")
    if not rest or rest[0] not in "\"'":
        return None
    quote, index = rest[0], 1
    while index < len(rest):
        char = rest[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and rest[index + 1:index + 2] == "'":  # '' is one ' inside '…'
                index += 2
                continue
            after = rest[index + 1:].strip()
            return (quote, True) if after and not after.startswith("#") else None
        index += 1
    return quote, False


def _shown(line: str) -> str:
    shown = line.rstrip().lstrip(" ").replace("\t", sentences.TAB_SHOWN)
    shown = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"<U+{ord(m.group()):04X}>", shown)
    return shown[:_QUOTE_WIDTH] + "…" if len(shown) > _QUOTE_WIDTH else shown


def _said(kind: str, lines: list[str], at: int, **details: object) -> tuple[int, str]:
    """(line index, what is wrong and how to fix it) for a mistake found on ``lines[at]``."""
    return at, sentences.YAML_MISTAKES[kind].format(key=_key(lines[at]) or sentences.UNNAMED_KEY, **details)


def _yaml_problem(path: Path, lines: list[str], at: int, said: str, first_line: int = 2,
                  field: str = "(front matter)") -> Problem:
    """The problem, quoting ``lines[at]`` as written, with its line in the file: the front matter's
    line 0 is the file's line 2 (PyYAML counts from 0, and the opening --- is line 1); a whole
    YAML file's line 0 is its line 1."""
    number = at + first_line
    return Problem(path, field, sentences.yaml_unreadable(number, _shown(lines[at])) + said, number)


def _previous(lines: list[str], at: int) -> int | None:
    return next((i for i in range(at - 1, -1, -1) if _content(lines[i])), None)


def _diagnose(exc: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    """(line index, what is wrong and how to fix it) for the error PyYAML raised reading ``lines``:
    the mistake is read from the source lines around the parser's mark, never from its English."""
    if not lines:
        lines = [""]
    last = len(lines) - 1
    if isinstance(exc, Refused):  # an alias or nesting too deep: the parser's event says where
        return _said(exc.kind, lines, min(exc.problem_mark.line, last), **exc.details)
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: find it in the lines
        bad = next((i for i, text in enumerate(lines) if chr(exc.character) in text), last)
        return _said("control_character", lines, bad, code=f"U+{exc.character:04X}")
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    at = min(mark.line, last) if mark else min(context.line, last) if context else last
    if not _content(lines[at]):  # the parser stopped on a blank line or a comment: blame the line before
        at = _previous(lines, at) if _previous(lines, at) is not None else at
    for index in range(at + 1):  # a tab anywhere in an indentation up to here
        if "\t" in lines[index][:len(lines[index]) - len(lines[index].lstrip(" \t"))]:
            return _said("tab", lines, index)
    for index in range(at + 1):  # a quote opened and never closed: the scanner reads on to the end
        found = _unclosed_quote(lines[index]) if _content(lines[index]) else None
        if found and not found[1]:
            return _said("unclosed_quote", lines, index, quote=found[0])
    found = _unclosed_quote(lines[at])
    if found:
        return _said("text_after_quote", lines, at, quote=found[0])
    line = lines[at]
    stripped = line.strip()
    previous = _previous(lines, at)
    dash = stripped.startswith("-") and (stripped == "-" or stripped[1] in " \t")
    empty = _EMPTY.match(lines[previous]) if previous is not None else None
    if empty and (dash or _indent(line) > _indent(lines[previous])):  # key: [] and then its items
        return _said("empty_list" if empty["empty"].startswith("[") else "empty_mapping", lines, previous)
    if dash:
        if previous is not None and _KEY.match(lines[previous]) and _value(lines[previous]) and \
                _key_column(lines[previous]) <= _indent(line) and not lines[previous].lstrip().startswith("-"):
            return _said("value_and_list", lines, previous)  # duties: 企画 and then - 助言
        dashes = [i for i in range(at) if lines[i].lstrip(" ").startswith("- ") or lines[i].strip() == "-"]
        if dashes and _indent(lines[dashes[-1]]) != _indent(line):
            return _said("dash_misaligned", lines, at, expected=_indent(lines[dashes[-1]]))
    if mark and mark.line == at and mark.column < len(line) and line[mark.column] == ":":
        first = _KEY.match(line)
        if first and mark.column >= first.end():
            return _said("colon_in_value", lines, at, value=line[first.end():].strip())
        if previous is not None and _value(lines[previous]) and _indent(line) > _key_column(lines[previous]) - (
                2 if lines[previous].lstrip().startswith("-") else 0):
            return _said("too_deep", lines, at, previous=_shown(lines[previous]), expected=_key_column(lines[previous]))
    if mark and mark.line == at and mark.column < len(line) and line[mark.column] in "*&!%@`|>" and \
            line[:mark.column].rstrip().endswith((":", "-", "[", ",")):
        return _said("special_start", lines, at, char=line[mark.column])
    for index in dict.fromkeys(i for i in (context.line if context else None, at) if i is not None and i <= last):
        text = lines[index]
        if _content(text) and ":" not in text and not text.strip().startswith("-"):
            return _said("missing_colon", lines, index)
        body = re.sub(r"\"[^\"]*\"|'[^']*'", "", text.split(" #")[0])
        for opening, closing in ("[]", "{}"):
            if body.count(opening) > body.count(closing):
                return _said("unclosed_bracket", lines, index, open=opening, close=closing)
    columns = {column for i in range(at) if _content(lines[i]) for column in (_indent(lines[i]), _key_column(lines[i]))}
    if previous is not None and _indent(line) not in columns and not (
            _KEY.match(lines[previous]) and not _value(lines[previous]) and _indent(line) > _indent(lines[previous])):
        return _said("indentation", lines, at, found=_indent(line), previous=_shown(lines[previous]),
                     expected=_indent(lines[previous]))
    if previous is not None:
        return _said("unreadable_after", lines, at, previous=_shown(lines[previous]))
    return _said("unreadable", lines, at)


def _full_width_colons(lines: list[str], failed: bool) -> list[int]:
    """The lines whose key ends in a full-width colon. When the YAML read, only known field names
    count: a value may hold 「：」 (「月額：20万円」) but no value line starts with 「selection：」."""
    return [i for i, line in enumerate(lines)
            if (match := _FULL_WIDTH_COLON.match(line)) and (failed or match["key"] in _FIELD_NAMES)]


class Refused(yaml.YAMLError):
    """YAML that is refused before it is built: an alias, or nesting deeper than MAX_DEPTH."""

    def __init__(self, kind: str, mark: yaml.Mark, **details: object):
        super().__init__(kind)
        self.kind, self.problem_mark, self.details = kind, mark, details


def _timestamp(constructor: SafeConstructor, node: yaml.ScalarNode) -> object:
    """A date or time as YAML reads it, or the text written when it names a day that never was
    (2026-02-30, 2026-13-01): the schema then says why, where PyYAML would raise ValueError."""
    try:
        return SafeConstructor.construct_yaml_timestamp(constructor, node)
    except (ValueError, OverflowError):
        return node.value


@cache
def bounded(loader: type = LOADER) -> type:
    """``loader`` (CSafeLoader, SafeLoader) whose impossible dates stay text; use it through
    ``load`` below, which also refuses aliases and deep nesting."""
    subclass = type(f"Bounded{loader.__name__}", (loader,), {})
    subclass.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    return subclass


# A block collection starts after its line's spaces and indicators (- ? :), one column or two past
# its parent's; a flow one at a [ or {. With no line starting with _PLAIN_COLUMNS of them and at most
# _PLAIN_FLOWS brackets, the nesting is at most 2 * _PLAIN_COLUMNS + _PLAIN_FLOWS + 1 <= MAX_DEPTH.
_PLAIN_COLUMNS, _PLAIN_FLOWS = 8, 15
_DEEP_LINE = re.compile(rf"^[ \t?:-]{{{_PLAIN_COLUMNS}}}", re.MULTILINE)


def _may_be_unbounded(text: str) -> bool:
    """Whether ``text`` could hold an alias or nest deeper than MAX_DEPTH (a few microseconds: text
    that cannot is loaded with no second look)."""
    return "*" in text or text.count("[") + text.count("{") > _PLAIN_FLOWS or _DEEP_LINE.search(text) is not None


def _check_bounds(text: str, loader: type) -> None:
    """Raise Refused at the first alias, or at the collection nested deeper than MAX_DEPTH, reading
    only the parser's events (libyaml's parser keeps a stack, it does not recurse). A YAML mistake
    found on the way is raised as the parser raises it."""
    if not _may_be_unbounded(text):
        return
    parser = loader(text)
    try:
        depth = 0
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, AliasEvent):
                raise Refused("alias", event.start_mark, name=event.anchor)
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Refused("nesting", event.start_mark, limit=MAX_DEPTH)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()


def load(text: str, loader: type = LOADER) -> tuple[object, yaml.Node | None]:
    """The data in ``text`` and its node tree (where each value was written), read with aliases
    and deep nesting refused and impossible dates kept as text; raises yaml.YAMLError (Refused
    among them) for a mistake, nothing else. The caller bounds the size."""
    _check_bounds(text, loader)
    reader = bounded(loader)(text)
    try:
        node = reader.get_single_node()
        return (reader.construct_document(node) if node is not None else None), node
    finally:
        reader.dispose()


def _load_yaml(lines: list[str], loader: type) -> tuple[object, yaml.Node | None, yaml.YAMLError | None]:
    try:
        return (*load("\n".join(lines), loader), None)
    except yaml.YAMLError as exc:
        return None, None, exc


def _top_level(line: str) -> bool:
    """A line that starts a top-level item (``term: …``): not indented, not a list item, no comment."""
    return bool(line) and line[0] not in " \t-#" and _content(line)


def _item_around(lines: list[str], at: int) -> tuple[int, int] | None:
    """(first, end) of the top-level item holding ``lines[at]``: from its key's line to the next
    top-level line; None when no top-level line comes before it."""
    first = next((i for i in range(at, -1, -1) if _top_level(lines[i])), None)
    if first is None:
        return None
    end = next((i for i in range(at + 1, len(lines)) if _top_level(lines[i])), len(lines))
    return first, end


@dataclass
class Reading:
    """What ``read`` made of a YAML text: the data (None when nothing could be read), the YAML
    problems, the node tree to find a field's line by, and the top-level keys left unread because
    their lines hold a YAML mistake (the rest was read without them; say nothing about them)."""

    data: object
    problems: list[Problem]
    root: yaml.Node | None = None
    skipped: frozenset[str] = frozenset()
    first_line: int = 2

    def line_of(self, location: tuple) -> int | None:
        """The file's line where the field at ``location`` (``("source", "title")``,
        ``("roles", 0)``) is written; for a field that is missing, its parent's line; None at the top."""
        node, line = self.root, None
        for part in location:
            if isinstance(node, yaml.MappingNode):
                found = next(((key, value) for key, value in node.value
                              if isinstance(key, yaml.ScalarNode) and key.value == str(part)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line
            else:
                break
        return None if line is None else line + self.first_line


def read(path: Path, front: str, loader: type = LOADER, *, first_line: int = 2,
         field: str = "(front matter)") -> Reading:
    """The YAML of ``front`` (a record's front matter; for a whole YAML file, ``first_line=1`` and a
    ``field`` naming the file), and the YAML mistakes in it, each with its line. Full-width colons
    are all named at once, then read as colons, so that what else is wrong is found too; a mistake
    on one top-level item leaves that item out and the rest read."""
    lines = _BREAKS.split(front)
    data, root, failure = _load_yaml(lines, loader)
    colons = _full_width_colons(lines, failure is not None)
    problems = [_yaml_problem(path, lines, *_said("full_width_colon", lines, index), first_line, field)
                for index in colons]
    mended = list(lines)
    for index in colons:
        match = _FULL_WIDTH_COLON.match(mended[index])
        mended[index] = mended[index][:match.end() - 1] + ": " + mended[index][match.end():]
    if colons:
        data, root, failure = _load_yaml(mended, loader)
    if failure is None:
        return Reading(data, problems, root, first_line=first_line)
    at, said = _diagnose(failure, mended)
    if all(problem.line != at + first_line for problem in problems):
        problems.append(_yaml_problem(path, lines, at, said, first_line, field))
    item = _item_around(mended, at)
    if item is not None:  # the same lines without that item (blank, so that lines keep their numbers)
        first, end = item
        rest = mended[:first] + [""] * (end - first) + mended[end:]
        data, root, failure = _load_yaml(rest, loader)
        if failure is None and isinstance(data, dict) and data:
            key = _key(mended[first]) if _KEY.match(mended[first]) else ""
            return Reading(data, problems, root, frozenset({key} - {""}), first_line)
    return Reading(None, problems, first_line=first_line)
