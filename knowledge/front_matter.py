"""Reading a record's front matter as YAML, and saying what is wrong when it does not read.

``read`` parses the text between the two ``---`` lines and returns the data with a Problem for
each YAML mistake, at its line in the file and in plain Japanese: a full-width colon, a tab in the
indentation, an unclosed quote or bracket, a list under a key that already has a value, misaligned
indentation and so on. The mistake is worked out from the source lines around where PyYAML
stopped, never from PyYAML's English, so libyaml and the pure-Python parser say the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from hosakan.knowledge.problems import Problem
from hosakan.knowledge.schema import Case, Compensation, Participant, Reference, Roundtable, Source, WorkStyle

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster

# What a YAML mistake in the front matter is, said for a maintainer. Each is shown after
# 「YAML として読めません（N行目「the line」）：」; {key} is the field name on that line.
_YAML_SAID = {
    "full_width_colon": "「{key}」の後ろが全角のコロン（：）です。半角のコロンと半角スペースにしてください（{key}: …）",
    "empty_list": "「[]」は空の一覧という意味なので、次の行からの「- 」の項目と一緒には書けません。"
                  "「[]」を消して「{key}:」だけにし、項目はその下に「  - 」で書いてください",
    "empty_mapping": "「{{}}」は空という意味なので、次の行からの字下げした項目と一緒には書けません。"
                     "「{{}}」を消して「{key}:」だけにしてください",
    "value_and_list": "「{key}:」の後ろに値があるのに、次の行から「- 」の一覧が続いています。"
                      "一覧にするなら値を消して「{key}:」だけにしてください（メモなら「#」で始めます）",
    "dash_misaligned": "一覧の「- 」の位置がそろっていません。上の「- 」と同じく半角スペース{expected}個で字下げしてください",
    "tab": "行頭の字下げにタブ文字が使われています。タブは使えないので、半角スペースで字下げしてください（同じ階層は同じ数）",
    "unclosed_quote": "引用符（{quote}）が閉じていません。値の終わりにも {quote} を書いてください（例：{key}: {quote}…{quote}）",
    "text_after_quote": "引用符で囲んだ値（{quote}…{quote}）の後ろに文字が続いています。値全体を引用符で囲んでください",
    "colon_in_value": "値の中に「: 」があります。値全体を \"…\" で囲んでください（例：{key}: \"{value}\"）",
    "too_deep": "字下げが深すぎます。前の行「{previous}」には値が書いてあるので、その下に字下げした行は置けません。"
                "同じ階層の項目なら、前の行と同じく半角スペース{expected}個にそろえてください",
    "indentation": "字下げ（半角スペース{found}個）が、上の行「{previous}」（{expected}個）とそろっていません。"
                   "同じ階層の項目は同じ数の半角スペースで始めてください",
    "missing_colon": "「項目名: 値」のコロン（:）がありません。項目名の後ろに半角のコロンと半角スペースを書いてください"
                     "（本文なら、front matter の終わりの「---」の行より下に書きます）",
    "unclosed_bracket": "「{open}」が「{close}」で閉じていません。同じ行のうちに「{close}」で閉じてください（一覧なら [A, B]）",
    "special_start": "値の先頭の「{char}」は YAML の記号として読まれます。値全体を \"…\" で囲んでください",
    "control_character": "目に見えない制御文字（{code}）が入っています。その文字を消してください（別のソフトから貼り付けたときに入ります）",
    "unreadable": "この行のあたりが読めません。コロンの後ろの半角スペース、字下げ、引用符や括弧の閉じ忘れを確かめてください",
    "unreadable_after": "この行か、その前の行「{previous}」のあたりが読めません。"
                        "コロンの後ろの半角スペース、字下げ、引用符や括弧の閉じ忘れを確かめてください",
}
_YAML_HEAD = "YAML として読めません（{number}行目「{line}」）："


_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # the line breaks YAML counts
# A key written with a full-width colon: 「selection：書類選考」, 「  - as_written：月額」.
_FULL_WIDTH_COLON = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*：")
_KEY = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?)(?P<key>[^\s#:\-\"'\[\]{}][^:#]*?|\"[^\"]*\"|'[^']*')[ \t]*:(?=[ \t]|$)")
_EMPTY = re.compile(r"^[ \t]*(?:-[ \t]+)?(?P<key>[^\s:#][^:#]*?)[ \t]*:[ \t]+(?P<empty>\[[ \t]*\]|\{[ \t]*\})[ \t]*(?:#.*)?$")
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
    shown = line.rstrip().lstrip(" ").replace("\t", "<タブ>")
    shown = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"<U+{ord(m.group()):04X}>", shown)
    return shown[:_QUOTE_WIDTH] + "…" if len(shown) > _QUOTE_WIDTH else shown


def _said(kind: str, lines: list[str], at: int, **details: object) -> tuple[int, str]:
    """(line index, what is wrong and how to fix it) for a mistake found on ``lines[at]``."""
    return at, _YAML_SAID[kind].format(key=_key(lines[at]) or "項目名", **details)


def _yaml_problem(path: Path, lines: list[str], at: int, said: str) -> Problem:
    """The problem, quoting ``lines[at]`` as written, with its line in the file: the front matter's
    line 0 is the file's line 2 (PyYAML counts from 0, and the opening --- is line 1)."""
    return Problem(path, "(front matter)", _YAML_HEAD.format(number=at + 2, line=_shown(lines[at])) + said, at + 2)


def _previous(lines: list[str], at: int) -> int | None:
    return next((i for i in range(at - 1, -1, -1) if _content(lines[i])), None)


def _diagnose(exc: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    """(line index, what is wrong and how to fix it) for the error PyYAML raised reading ``lines``:
    the mistake is read from the source lines around the parser's mark, never from its English."""
    if not lines:
        lines = [""]
    last = len(lines) - 1
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


def _load_yaml(lines: list[str], loader: type) -> tuple[object, yaml.YAMLError | None]:
    try:
        return yaml.load("\n".join(lines), Loader=loader), None
    except yaml.YAMLError as exc:
        return None, exc


def read(path: Path, front: str, loader: type = LOADER) -> tuple[object, list[Problem]]:
    """The front matter's YAML, and the YAML mistakes in it, each with its line. Full-width colons
    are all named at once, then read as colons, so that what else is wrong is found too."""
    lines = _BREAKS.split(front)
    data, failure = _load_yaml(lines, loader)
    colons = _full_width_colons(lines, failure is not None)
    problems = [_yaml_problem(path, lines, *_said("full_width_colon", lines, index)) for index in colons]
    mended = list(lines)
    for index in colons:
        match = _FULL_WIDTH_COLON.match(mended[index])
        mended[index] = mended[index][:match.end() - 1] + ": " + mended[index][match.end():]
    if colons:
        data, failure = _load_yaml(mended, loader)
    if failure is None:
        return data, problems
    at, said = _diagnose(failure, mended)
    if all(problem.line != at + 2 for problem in problems):
        problems.append(_yaml_problem(path, lines, at, said))
    return None, problems
