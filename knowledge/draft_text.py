"""A notice's text read into labelled sections, for `hosakan draft` (knowledge/draft.py).

Municipal notices are lists of labelled items: 「４　任期」「（3）給与　月額…」「【報酬】」「勤務日数：週2日」
「## 選考方法」. Each line is split into its marker (４, （3）, ア, ①, ・, ##, 第2 …), a short label
and the value written after it. A line with a label opens a section that runs to the next line
whose marker is of the same kind or of a kind seen earlier in the notice (１ before （1） before ア).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Full-width ASCII to ASCII, one character for one: indices in the narrowed text are the text's.
_NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_MARKER = re.compile(r"""^(?:
    (?P<md>\#{1,6})\s+
  | (?P<dai>第\s*[0-9一二三四五六七八九十]+\s*(?:[章条項節]|(?=\s)|(?![0-9次回号年期]))) \s*
  | (?P<paren>[(]\s*[0-9一二三四五六七八九十]+\s*[)]) \s*
  | (?P<circled>[①-⑳]) \s*
  | (?P<kana>[アイウエオカキクケコサシスセソタチツテト])(?:\s+|[.、)]\s*)
  | (?P<num>[0-9]{1,2}(?:\.[0-9]{1,2})*)(?:[.、)]\s*|\s+|(?=[^\s0-9年月日名人回件時分円万千億%.,:~\-/]))
  | (?P<kanji>[一二三四五六七八九十]+)[、.]\s*
  | (?P<bullet>[・●○■□◆◇▼▽◎※*\-])\s*
  | (?P<bracket>【)
)""", re.X)
_LABELLED = re.compile(r"^(?P<label>[^:|｜。、()（）「」]{1,20}?)\s*(?:[:|｜]\s*|\s+|$)(?P<value>.*)$")
_BRACKETED = re.compile(r"^【(?P<label>[^】]{1,20})】\s*[:]?\s*(?P<value>.*)$")
_SENTENCE = re.compile(r"[^。]+。?")
URL = re.compile(r"https?://[^\s<>|｜\"'（）()「」、。]+")
EVIDENCE_WIDTH = 150
MAX_TITLE_CHARS = 200  # a notice's title is a line of a few dozen characters; a longer first line is cut


def title_text(text: str | None) -> str:
    """``text`` as a title: cleaned and cut to ``MAX_TITLE_CHARS``, so that no pattern run on a title
    (draft_fields' role words, the site suffix) meets a line of unbounded length."""
    return clean_line(text or "")[:MAX_TITLE_CHARS].strip()


def narrow(text: str) -> str:
    """Full-width ASCII as ASCII (（3） is (3), ＣＩＯ is CIO), the length unchanged."""
    return text.translate(_NARROW)


def clean_line(text: str) -> str:
    text = text.replace("**", "").replace("__", "")  # (radicals a PDF emits: indexer/documents.clean)
    text = " ".join(text.split())
    if text.startswith("|") and text.endswith("|"):  # a Markdown table row: 「| 任期 | 3年間 |」
        text = "" if re.fullmatch(r"[|:\-\s]+", text) else " | ".join(c.strip() for c in text.strip("|").split("|"))
    return text


@dataclass
class Line:
    index: int
    text: str                 # as written (spaces collapsed, Markdown emphasis dropped)
    kind: str | None = None   # the marker's kind: num1, paren, kana, bullet:・, md2, plain, bare …
    body: str = ""            # the text after the marker
    label: str = ""           # a short label before the value ("" when the line is prose or an item)
    value: str = ""           # what follows the label
    rank: int = 10**6         # sections end at a line of rank <= theirs

    def sentence(self, needle: str | None = None) -> str:
        """The sentence of this line that holds ``needle`` (the line when it is short), for 根拠."""
        text = self.body if (self.kind or "").startswith("md") else self.text
        if needle and len(text) > EVIDENCE_WIDTH:
            at = narrow(text).find(narrow(needle))
            for match in _SENTENCE.finditer(text):
                if at < 0 or match.start() <= at < match.end():
                    text = match.group().strip()
                    break
        return text if len(text) <= EVIDENCE_WIDTH else text[:EVIDENCE_WIDTH - 1] + "…"


@dataclass
class Section:
    head: Line
    lines: list[Line] = field(default_factory=list)  # the lines under the heading

    @property
    def all(self) -> list[Line]:
        return [self.head, *self.lines]

    def items(self) -> list[Line]:
        """The section's list items: its lines of the first marker kind under it (every line when
        none is marked)."""
        marked = [line for line in self.lines if line.kind and line.kind not in ("plain", "bare")]
        if not marked:
            return list(self.lines)
        first = marked[0].kind
        return [line for line in self.lines if line.kind == first]

    def evidence(self, count: int = 2) -> str:
        """The heading's line, or the first lines under a bare heading, as 根拠."""
        if self.head.value or not self.lines:
            return self.head.sentence()
        return " / ".join(line.sentence() for line in self.lines[:count])

    def texts(self) -> list[str]:
        """The value on the heading's line, then each line under it, markers dropped."""
        found = [self.head.value] if self.head.value else []
        return found + [line.body for line in self.lines if line.body]


def _split(index: int, raw: str, labels: tuple[str, ...] = ()) -> Line:
    text = clean_line(raw)
    line = Line(index, text)
    flat = narrow(text)
    marker = _MARKER.match(flat)
    kind = None
    if marker:
        name = marker.lastgroup
        kind = {"md": f"md{len(marker.group('md') or '')}", "bullet": f"bullet:{marker.group('bullet')}",
                "num": f"num{(marker.group('num') or '').count('.')}"}.get(name, name)
        start = 0 if name == "bracket" else marker.end()
    else:
        start = 0
    line.kind, line.body = kind, text[start:].strip()
    body = narrow(line.body)
    labelled = _BRACKETED.match(body) if body.startswith("【") else _LABELLED.match(body)
    if labelled and not labelled.group("label").rstrip().endswith(("まで", "から")):
        has_separator = len(labelled.group("label")) < len(body)
        if kind or has_separator:
            line.label = line.body[labelled.start("label"):labelled.end("label")].strip()
            line.value = line.body[labelled.start("value"):].strip() if labelled.group("value") else ""
            if not kind and re.match(r"^[^:|｜]{1,12}\s*[:|｜]", body):
                line.kind = "plain"
    known = next((label for label in labels if body.startswith(label) and len(body) > len(label)), None)
    rest = body[len(known):] if known else ""
    glued = len(body) > 12 or re.match(r"[0-9金約令平]", rest)  # not 「募集職種及び人数」「配属先」
    if kind and known and glued and narrow(line.label) != known and not line.value:  # a PDF's 「業務名宮城県…」
        line.label, line.value = line.body[:len(known)], line.body[len(known):].strip(" :：")
    return line


class NoticeText:
    """A notice as lines and sections; every lookup by label goes through ``section``."""

    def __init__(self, text: str, title: str | None = None, labels: tuple[str, ...] = ()):
        labels = tuple(sorted(labels, key=len, reverse=True))
        if labels:  # an item a PDF reader ran into the line before it: 「…研修3契約期間令和8年…」
            joined = re.compile(r"(?<=[^\s0-9第(（])(?=[0-9]{1,2}(?:" + "|".join(map(re.escape, labels)) + "))")
            text = "\n".join(part for raw in text.splitlines() for part in joined.split(raw))
        raws = [raw for raw in text.splitlines() if clean_line(raw)]
        self.lines = [_split(i, raw, labels) for i, raw in enumerate(raws)]
        self.title = title_text(title or (self.lines[0].body if self.lines else ""))
        order: dict[str, int] = {}
        for line in self.lines:
            if line.kind and line.kind != "bare":
                line.rank = order.setdefault(line.kind, len(order))

    def bare_headings(self, labels: tuple[str, ...]) -> None:
        """Lines that are a label alone (「任期」 on its own line, as Word headings read) count as
        headings when they name one of ``labels``."""
        for line in self.lines:  # the line ends with the label: 「選考方法」, not 「書類審査及び面接」
            bare = re.sub(r"(?:等|について|の概要|[:：])$", "", narrow(line.text))
            if not line.kind and len(line.text) <= 12 and any(bare.endswith(label) for label in labels):
                line.kind, line.label, line.body, line.rank = "bare", line.text, line.text, 10**5

    def section_at(self, position: int) -> Section:
        head = self.lines[position]
        under = []
        for line in self.lines[position + 1:]:
            if line.rank <= head.rank:
                break
            under.append(line)
        return Section(head, under)

    def section(self, labels: tuple[str, ...], *, exclude: tuple[str, ...] = ()) -> Section | None:
        """The first section whose label holds the first of ``labels`` that any label holds."""
        for wanted in labels:
            for position, line in enumerate(self.lines):
                label = narrow(line.label)
                if label and wanted in label and not any(word in label for word in exclude):
                    return self.section_at(position)
        return None

    def sections(self, labels: tuple[str, ...]) -> list[Section]:
        return [self.section_at(i) for i, line in enumerate(self.lines)
                if line.label and any(label in narrow(line.label) for label in labels)]

    def under(self, labels: tuple[str, ...]) -> set[int]:
        """Indices of the lines in every section labelled with one of ``labels``."""
        return {line.index for section in self.sections(labels) for line in section.all}

    def head(self, count: int = 8) -> list[Line]:
        return self.lines[:count]


def join(texts: list[str]) -> str:
    """Lines as one value, each ending with 。 (the last one's dropped)."""
    parts = [t.strip().lstrip("※").strip() for t in texts if t.strip()]
    joined = "".join(p if p.endswith("。") or i == len(parts) - 1 else p + "。" for i, p in enumerate(parts))
    return joined[:-1] if joined.endswith("。") else joined
