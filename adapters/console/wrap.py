"""Japanese text wrapped for a terminal by display width (East Asian wide characters take two
cells), with Japanese line-breaking rules and hanging indentation.

Where a line may break:

- only between Sudachi morphemes (the indexer's shared tokenizer, split mode C), never inside one;
- never inside a run of ASCII letters and digits (words, URLs, e-mail addresses, 1,234, 12.5);
- never inside a number with its counter or unit (2年, 月額30万円, 約1,200万円, 2026年1月15日,
  令和7年度, 12.5%): a regular expression for the common cases, plus Sudachi's own view (a
  numeral followed by a counter morpheme);
- never inside a name: consecutive proper-noun morphemes (岡本 + 高志) stay together, as does a
  prefix with its word (約, ご) and a word with its suffix or a name with its title (岡本さん,
  小松島市長, 鈴木先生);
- kinsoku: never before closing punctuation, a prolonged sound mark, small kana, an iteration mark,
  whitespace or a zero-width character; never after an opening bracket.

Kinsoku is resolved by pushing down ("oidashi"): a forbidden character is glued to the unit before
it (an opening bracket to the unit after it), so the whole unit moves to the next line. Nothing
hangs past the width. Only a unit wider than a whole line is cut, as a last resort: at the last
morpheme boundary inside it that fits and keeps kinsoku (岡本|高志, 月額|30万円, a URL's / or .),
else at the last character boundary that fits and keeps kinsoku, else at the last one that fits
(always at least one character, so wrapping ends). Such a unit starts on the current line rather
than leaving it short, as it has to be cut anyway. A word counts with its glued brackets: a URL in
（） that is as wide as the line is cut, because its brackets may not be parted from it.

Nothing is dropped: a space at a break stays at the end of the line (counted in the width), so the
lines without their indentation join back to the input. Each hard break ("\\n" or "\\r\\n") ends a
line; a blank input line is an empty string (no indentation). Every line but the first starts with
``indent`` spaces, the first with ``first_indent`` (default ``indent``): hanging indentation under a
numbered item. The width left after the indentation is at least one cell, so on a terminal too
narrow for its indentation a line can exceed the width.

A paragraph's breakable units are cached, so re-wrapping the same text at another width (a resized
terminal) costs no new analysis.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from hosakan.indexer.analysis import chunks, sudachi

NO_START = frozenset(
    "、。，．,.）)」』】〕］]｝}〉》〙〗’”〟・：；:;！!？?ー…‥"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ"
)
NO_END = frozenset("（(「『【〔［[｛{〈《〘〖‘“〝")
TITLES = frozenset(
    "さん 様 氏 君 殿 先生 議員 知事 市長 町長 村長 区長 社長 会長 理事長 委員長 部長 課長 局長 室長 教授 博士".split()
)

_DIGIT = "0-9０-９"
_NUMBER = rf"[{_DIGIT}]+(?:[,.，．][{_DIGIT}]+)*"
_UNIT = "|".join(sorted(
    """兆円 億円 万円 千円 円 兆 億 万 千 百 年度 年間 年 か月 カ月 ヶ月 ヵ月 ケ月 箇月 月 週間 週 日間 日 時間 時 分 秒
    万人 人 名 回 件 歳 % ％ 倍 割 社 校 台 個 枚 本 号 条 項 期 位 点""".split(), key=len, reverse=True))
_PREFIX = "約|第|計|合計|月額|年額|日額|時給|最長|最短|最大|最小|最低|最高|令和|平成|昭和"
_AMOUNT = rf"(?:{_PREFIX})?{_NUMBER}(?:{_UNIT})?(?:{_NUMBER}(?:{_UNIT}))*"
_UNBROKEN = (  # each searched on its own: where they overlap, the longer reach wins
    re.compile(r"https?://[!-~]+"),  # a URL, to its first space or non-ASCII character
    re.compile(r"[A-Za-z0-9]+(?:[.,:/\-_'@&+#%][A-Za-z0-9]+)*"),  # words, e-mail addresses, 1,234, 2025-03
    re.compile(rf"{_AMOUNT}(?:[〜～]{_AMOUNT})*"),  # 月額30万円, 約1,200万円, 2026年1月15日, 1〜3日
)
_HARD_BREAK = re.compile(r"\r?\n")


def _joined(left: tuple[str, ...], right: tuple[str, ...], surface: str) -> bool:
    """Whether two adjacent morphemes (parts of speech ``left`` then ``right``) belong together."""
    return (
        (left[1] == "固有名詞" and (right[1] == "固有名詞" or surface in TITLES))  # 岡本|高志, 小松島|市長
        or right[0] == "接尾辞"  # 岡本|さん, デジタル|化
        or left[0] == "接頭辞"  # 約|1,200万
        or (left[1] == "数詞" and (right[1] == "数詞" or right[2].startswith("助数詞")))  # 30万|円
    )


def _breaks(paragraph: str) -> tuple[list[int], set[int]]:
    """Offsets inside ``paragraph`` (0 < offset < len) where a line may break, ascending, and the
    other morpheme boundaries that keep kinsoku (inside a name or a number: cut there first when a
    unit is too wide for a line)."""
    boundaries: set[int] = set()
    allowed: set[int] = set()
    for offset, piece in chunks(paragraph):
        previous = None
        for m in sudachi().tokenize(piece):
            pos = m.part_of_speech()
            begin = offset + m.begin()
            if begin:
                boundaries.add(begin)
                if not (previous and _joined(previous, pos, m.surface())):
                    allowed.add(begin)
            previous = pos
    for pattern in _UNBROKEN:
        for match in pattern.finditer(paragraph):
            allowed.difference_update(range(match.start() + 1, match.end()))
    # Sudachi can end a piece with empty morphemes (after 「…」, which it reads as 「...」): only offsets inside count
    boundaries = {i for i in boundaries if 0 < i < len(paragraph) and _may_break(paragraph, i)}
    return sorted(allowed & boundaries), boundaries - allowed


def _may_break(text: str, i: int) -> bool:
    """The kinsoku rules at offset ``i``: may a line end before ``text[i]``?"""
    char = text[i]
    return not (char in NO_START or char.isspace() or cell_len(char) == 0 or text[i - 1] in NO_END)


@lru_cache(maxsize=512)
def _units(paragraph: str) -> tuple[tuple[int, int, int, frozenset[int]], ...]:
    """The paragraph's unbreakable units: (start, end, cell width, morpheme boundaries inside)."""
    if not paragraph:
        return ((0, 0, 0, frozenset()),)
    breaks, joints = _breaks(paragraph)
    edges = [0, *breaks, len(paragraph)]
    inside: dict[int, set[int]] = {}
    for joint in joints:
        inside.setdefault(bisect_left(edges, joint), set()).add(joint)
    return tuple((s, e, cell_len(paragraph[s:e]), frozenset(inside.get(i, ())))
                 for i, (s, e) in enumerate(zip(edges, edges[1:]), 1))


def _cut(text: str, start: int, end: int, room: int, joints: frozenset[int], hard: bool) -> int | None:
    """Where to cut ``text[start:end]`` (a unit too wide for a line) so that the head fits ``room``
    cells: the last fitting morpheme boundary, else the last fitting offset that keeps kinsoku, else
    (only when ``hard``) the last fitting offset, at least one character in. None when nothing fits
    without breaking kinsoku and not ``hard``."""
    used, fitting, soft, joint = 0, None, None, None
    for k in range(start + 1, end):
        used += cell_len(text[k - 1])
        if used > room:
            break
        fitting = k
        if k in joints:
            joint = k
        elif _may_break(text, k):
            soft = k
    if joint or soft:
        return joint or soft
    return (fitting or start + 1) if hard else None


def _fill(paragraph: str, first_room: int, room: int) -> list[tuple[int, int]]:
    """Greedy line filling: (start, end) of each line of a paragraph with no hard break."""
    lines: list[tuple[int, int]] = []
    start, used, avail = 0, 0, first_room
    for s, e, width, joints in _units(paragraph):
        if used + width <= avail:
            used += width
            continue
        if used and width <= room:  # fits on a line of its own: push it down
            lines.append((start, s))
            start, used, avail = s, width, room
            continue
        pos = s  # wider than any line: cut by width, starting on the current line
        while True:
            rest = cell_len(paragraph[pos:e])
            if used + rest <= avail:
                used += rest
                break
            cut = _cut(paragraph, pos, e, avail - used, joints, hard=not used)
            if cut is None:
                lines.append((start, pos))
                start, used, avail = pos, 0, room
                continue
            lines.append((start, cut))
            start, used, avail, pos = cut, 0, room, cut
    if start < len(paragraph) or not lines:
        lines.append((start, len(paragraph)))
    return lines


def _layout(text: str, width: int, indent: int, first_indent: int | None) -> list[tuple[int, int, int]]:
    """Every output line as (start, end, indentation) over ``text``; hard breaks fall between lines."""
    first_indent = indent if first_indent is None else first_indent
    room = max(1, width - indent)
    layout: list[tuple[int, int, int]] = []
    start = 0
    for hard_break in [*_HARD_BREAK.finditer(text), None]:
        end = hard_break.start() if hard_break else len(text)
        if start == end:
            layout.append((start, start, 0))  # a blank line
        else:
            first_room = room if layout else max(1, width - first_indent)
            for s, e in _fill(text[start:end], first_room, room):
                layout.append((start + s, start + e, indent if layout else first_indent))
        start = hard_break.end() if hard_break else end
    return layout


def break_lines(text: str, width: int, indent: int = 0, first_indent: int | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` cells, continuation lines indented by ``indent`` spaces
    and the first by ``first_indent`` (default ``indent``). See the module docstring for the rules."""
    return [" " * pad + text[s:e] if e > s else "" for s, e, pad in _layout(text, width, indent, first_indent)]


class Wrapped:
    """A rich renderable: ``text`` (a ``Text`` with its styles, or a plain string) wrapped at the
    render width by ``break_lines``' rules, with hanging indentation. Each line is yielded as a
    ``Text`` that rich does not wrap again; styles stay on their characters across breaks."""

    def __init__(self, text: Text | str, indent: int = 0, first_indent: int | None = None) -> None:
        self.text = Text(text) if isinstance(text, str) else text
        self.indent = indent
        self.first_indent = indent if first_indent is None else first_indent

    def lines(self, width: int) -> list[Text]:
        plain = self.text.plain
        layout = _layout(plain, width, self.indent, self.first_indent)
        cuts = sorted({offset for s, e, _ in layout for offset in (s, e)} - {0, len(plain)})
        pieces = dict(zip([0, *cuts], self.text.divide(cuts)))
        lines = []
        for s, e, pad in layout:
            line = Text(" " * pad if e > s else "", justify=self.text.justify, overflow="ignore", no_wrap=True)
            if e > s:
                line.append_text(pieces[s])
            lines.append(line)
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        pad = max(self.indent, self.first_indent)
        paragraphs = _HARD_BREAK.split(self.text.plain)
        widest_unit = max((w for p in paragraphs for _, _, w, _ in _units(p)), default=0)
        widest_line = max(cell_len(p) + (self.indent if i else self.first_indent) for i, p in enumerate(paragraphs))
        return Measurement(min(widest_unit + pad, widest_line), widest_line)
