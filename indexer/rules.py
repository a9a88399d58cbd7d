"""例規 (設置要綱・規程・規則) read by their structure: each article (第N条, with its caption （任期）
given on the line before or after the number) is a section of its own, its 項 (２, ３ …) and 号
(（１）, 一 …) kept in its text; 附則 and 別表 are sections too; chapter headings (第1章 総則), the
title line and the date line under it (「令和4年3月25日 告示第12号」) are not text to quote.

A document is a 例規 only when at least two distinct articles start a line; anything else is read
as before (a notice by its headings, a PDF by its pages). The date of a 例規 is when it took effect:
the latest 「…から施行する」 of its 附則 (an amendment's 附則 after the first), a 「公布の日から施行」
taking the date its 附則 or title gives, else the latest date line under the title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from hosakan.knowledge.dates import article_number, find_dates

# how a 例規's date reads where it is shown (the day it took effect): 「2024年4月1日施行」
ENACTED_AS_OF = "{date}施行"

_NUMBER = "[0-9０-９一二三四五六七八九十百〇]+"
_CAPTION = r"[（(](?P<caption>[^（）()。、「」]{1,24})[）)]"  # （任期）, never （以下「補佐官」という。）
# 第5条, 第3条の2, 第十条, with its caption (第5条（任期）) and the text after it; a line that
# only refers to an article (「第5条の規定により」「第3条に規定する」「第2条中…を改める」) starts none
_ARTICLE = re.compile(rf"^(?P<label>第{_NUMBER}条(?:の{_NUMBER})*)(?:\s*{_CAPTION})?(?P<space>\s*)(?P<rest>.*)$")
_NAMED = re.compile(rf"第\s*(?P<number>{_NUMBER})\s*条")  # an article named anywhere: a question's 「第５条には」
_REFERS = tuple("のに第及又かまをはがで、，,・中")  # 第3条の規定, 第3条第2項, 第3条中…を改める
_LISTS = ("及び", "並びに", "又は", "若しくは", "から", "まで", "中")  # 「第3条 及び第4条」 lists, even spaced
_CAPTION_LINE = re.compile(rf"^{_CAPTION}$")
_NUMERAL = re.compile(f"^{_NUMBER}$")
_CHAPTER = re.compile(rf"^第{_NUMBER}[章節款](?![のにをはがで、])")
# a 章's heading, or its line in the 目次: 第3章 セキュリティ委員会(第4条―第7条)
_CHAPTER_HEADING = re.compile(rf"^(?P<label>第\s*{_NUMBER}\s*章)\s*(?P<title>[^（(]*?)\s*"
                              r"(?:[（(](?P<span>[^）)]*)[）)])?\s*$")
_ARTICLE_NAME = re.compile(rf"第\s*{_NUMBER}\s*条(?:の\s*{_NUMBER})*")  # 第3条, 第3条の2
_SUPPLEMENT = re.compile(r"^[附付]\s?則(?:\s*[（(](?P<note>[^（）()]{1,40})[）)])?(?:\s+(?P<rest>.*))?$")
_APPENDIX = re.compile(rf"^(?P<label>(?:別表|別記|様式)(?:第?{_NUMBER}号?)?(?:\s*[（(][^（）()]{{1,24}}[）)])?)"
                       r"(?:\s+(?P<rest>.*))?$")
# a 項 (２ 補佐官は…, 2補佐官は… where a PDF dropped the space) and a 号 (（１）, (1), 一 , ア )
_PARAGRAPH = re.compile(r"^[0-9０-９]{1,2}(?:\s|(?=[^\s0-9０-９.．、,）)条項号章年月日時分円人名か箇ヶ万千%％]))")
_ITEM = re.compile(r"^(?:[（(](?:[0-9０-９一二三四五六七八九十]+|[ア-ンイロハ])[）)]"
                   r"|[一二三四五六七八九十]+\s|[ア-ン]\s)")
_SENTENCE_END = tuple("。．.！？!?」』）)：:｜")
_ENFORCED = re.compile(r"から施行")
# the date line under a title: its number (告示第12号, 訓令第3号) or what was done (制定, 改正), or a date alone
_ISSUE_NUMBER = re.compile(r"(?:告示|訓令|要綱|規程|規則|条例|達)?\s*第\s*[0-9０-９一二三四五六七八九十百]+\s*号")
_NUMBERED = re.compile(rf"{_ISSUE_NUMBER.pattern}|制定|改正|決裁|決定|施行")
_CIRCLED = re.compile(r"^[\u2460-\u2473\u2474-\u2487]")  # ① … ⑳, ⑴ … ⒇
_DATE_ALONE = re.compile(r"^\s*(?:令和|平成|昭和|[0-9０-９]{4})[^。]{0,16}日\s*$")
_TITLE = re.compile(r"(?:要綱|規程|規則|要領|条例|細則|基準|規約|訓令)$")
_LEADING_CAPTION = re.compile(rf"^(?P<lead>[（(][^（）()。、「」]{{1,24}}[）)])\s*(?=第{_NUMBER}条)")
# a caption a PDF's line joining ran onto the line before (「（２）…に関する助言（任期）」)
_TRAILING_CAPTION = re.compile(r"(?<=\S)(?P<tail>[（(][^（）()。、「」]{1,24}[）)])$")
_ON_PROMULGATION = re.compile(r"(?:公布|告示|公表|制定|決定|決裁|発令)の日")


@dataclass
class Section:
    """One article (第5条（任期）), 附則 or 別表: its label, its text (項 and 号 each on a line),
    the page it starts on, and the captions inside it (（経過措置） before a 附則's 項)."""

    label: str
    lines: list[str] = field(default_factory=list)
    page: int | None = None
    captions: list[str] = field(default_factory=list)
    note_date: str | None = None  # a 附則's own date: 附則（令和6年3月29日告示第20号）
    supplement: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def pieces(self, limit: int) -> list[str]:
        """The text in passages of at most ``limit`` characters: whole when it fits, else cut at
        項 boundaries (a 項 too long, at its 号, then at its sentences), never mid-sentence where
        a sentence fits."""
        text = self.text
        if len(text) <= limit:
            return [text] if text else []
        units: list[list[str]] = []
        for line in self.lines:  # each 項 with its 号
            if not units or _PARAGRAPH.match(line):
                units.append([line])
            else:
                units[-1].append(line)
        out, current = [], ""
        for unit in units:
            joined = "\n".join(unit)
            if len(joined) > limit:
                if current:
                    out.append(current)
                    current = ""
                for line in unit:  # the 項 at its 号, each line at its sentences if need be
                    for piece in _sentences_of(line, limit):
                        if current and len(current) + 1 + len(piece) > limit:
                            out.append(current)
                            current = ""
                        current = f"{current}\n{piece}" if current else piece
                continue
            if current and len(current) + 1 + len(joined) > limit:
                out.append(current)
                current = ""
            current = f"{current}\n{joined}" if current else joined
        return [*out, current] if current else out


@dataclass
class Chapter:
    """A 章 of a 例規 (第3章 セキュリティ委員会) and the articles under it (第4条 …)."""

    label: str
    title: str
    articles: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)  # its first and last article as its 目次 line gives them

    @property
    def span(self) -> list[str]:
        """Its first and last article: as the 目次 says, else as its articles run."""
        return self.listed or ([self.articles[0], self.articles[-1]] if self.articles else [])


@dataclass
class Rules:
    """A 例規 as read: its sections in order, and the lines before its first article that are
    sentences (a page's own text around the 例規); title, date and number lines are left out."""

    sections: list[Section]
    preamble: list[str]
    dated: list[str]  # dates of the lines under the title (制定 and 改正)
    title: str | None = None  # its own title line (a page's <title> adds the site's name)
    chapters: list[Chapter] = field(default_factory=list)

    def contents(self) -> list[list[str]]:
        """Its table of contents: [章, its title, its first article, its last] for each 章 with articles."""
        return [[c.label, c.title, *c.span] for c in self.chapters if c.span]

    def enacted(self) -> str | None:
        """The day the 例規 took effect as it stands: the latest 施行 date of its 附則, else the
        latest date under its title."""
        found = []
        for section in self.sections:
            if not section.supplement:
                continue
            for sentence in re.split(r"(?<=。)", unicodedata.normalize("NFKC", section.text)):
                enforced = _ENFORCED.search(sentence)
                if not enforced:
                    continue
                before = sentence[: enforced.start()]
                dates = [canonical for _, canonical in find_dates(before)]
                if dates and not _ON_PROMULGATION.search(before[-12:]):
                    found.append(dates[-1])
                elif _ON_PROMULGATION.search(before):
                    promulgated = section.note_date or (self.dated[0] if self.dated else None)
                    if promulgated:
                        found.append(promulgated)
        if found:
            return max(found, key=_sortable)
        return max(self.dated, key=_sortable) if self.dated else None


def article_named(text: str) -> int | None:
    """The number of the first article ``text`` names (「第5条には何が書いてある？」, 第五条), else None."""
    found = _NAMED.search(unicodedata.normalize("NFKC", text))
    return article_number(found.group("number")) if found else None


def is_date_line(line: str) -> bool:
    """Whether a line is only a date, or a date with the 例規's number (「平成27年12月10日 要綱第10号」):
    when a document was made or amended, no statement of it."""
    line = unicodedata.normalize("NFKC", line).strip()
    if _DATE_ALONE.match(line):
        return True
    if len(line) > 40 or line.endswith("。") or not _ISSUE_NUMBER.search(line):
        return False
    rest = line
    for written, _ in find_dates(line):
        rest = rest.replace(written, "")
    return rest != line and len(_ISSUE_NUMBER.sub("", rest).strip(" ()")) <= 6


def is_item(line: str) -> bool:
    """Whether a line is a 号 of a list (（１）…, (1)…, ⑴…, ①…, 一 …, ア …)."""
    line = line.strip()
    return bool(_CIRCLED.match(line) or _ITEM.match(unicodedata.normalize("NFKC", line)))


def article_heading(section: str) -> int | None:
    """The number of the article a passage is (its section begins 第5条（任期）), else None."""
    found = _NAMED.match(unicodedata.normalize("NFKC", section))
    return article_number(found.group("number")) if found else None


def _sortable(canonical: str) -> str:
    """2024, 2024-04 and 2024-04-01 compared as days (a month or year alone: its first day)."""
    return (canonical + "-01-01")[:10] if len(canonical) == 4 else (canonical + "-01")[:10]


def _sentences_of(line: str, limit: int) -> list[str]:
    """A line in pieces of at most ``limit``: whole sentences together, a sentence still too long
    cut at its last comma in the second half (else at the limit); linear in the line's length."""
    pieces: list[str] = []
    for sentence in (s for s in re.split(r"(?<=[。！？])", line) if s):
        start = 0
        while len(sentence) - start > limit:
            window = sentence[start: start + limit]
            cut = max(window.rfind(mark) for mark in "、，, ") + 1
            cut = cut if cut > limit // 2 else limit
            pieces.append(window[:cut])
            start += cut
        rest = sentence[start:]
        if rest:
            if pieces and len(pieces[-1]) + len(rest) <= limit:
                pieces[-1] += rest
            else:
                pieces.append(rest)
    return pieces


def _article(line: str) -> re.Match | None:
    """The match of a line that starts an article, or None (a line that only cites one)."""
    found = _ARTICLE.match(line)
    if not found:
        return None
    rest = found["rest"]
    if not found["caption"] and rest and (rest.startswith(_LISTS) or not found["space"] and rest.startswith(_REFERS)):
        return None
    return found


def _caption(line: str) -> str | None:
    """The caption a line is on its own (（任期） → 任期), not a bare 号 number （１）."""
    found = _CAPTION_LINE.match(line)
    if not found or _NUMERAL.match(found["caption"].strip()):
        return None
    return found["caption"].strip()


def _label(number: str, caption: str | None) -> str:
    label = unicodedata.normalize("NFKC", number).replace(" ", "")
    return f"{label}（{caption.strip()}）" if caption and caption.strip() else label


def _lines(parts, joined: bool) -> list[tuple[str, int | None]]:
    """Every line of the parts (each heading a line before its text) with its page; ``joined``
    (a PDF): a sentence a page break cut is joined again."""
    out: list[tuple[str, int | None]] = []
    for part in parts:
        first = True
        for line in ([part.heading] if part.heading else []) + part.text.split("\n"):
            line = line.strip()
            if not line:
                continue
            leading = _LEADING_CAPTION.match(line)  # （目的）第1条 … on one line: the caption, then the article
            if leading:
                out.append((leading["lead"], part.page))
                line = line[leading.end():]
            if (joined and first and out and not out[-1][0].endswith(_SENTENCE_END) and not _structural(line)):
                out[-1] = (out[-1][0] + line, out[-1][1])
            else:
                out.append((line, part.page))
            first = False
    split: list[tuple[str, int | None]] = []
    for at, (line, page) in enumerate(out):  # a caption run onto the line before its article: its own line
        tail = _TRAILING_CAPTION.search(line) if at + 1 < len(out) else None
        following = _article(out[at + 1][0]) if tail else None
        if tail and following and not following["caption"] and not _caption(line):
            split += [(line[: tail.start()], page), (tail["tail"], page)]
        else:
            split.append((line, page))
    return split


def _structural(line: str) -> bool:
    return bool(_article(line) or _caption(line) or _CHAPTER.match(line) or _SUPPLEMENT.match(line)
                or _APPENDIX.match(line) or _PARAGRAPH.match(line) or _ITEM.match(line))


def is_rules(parts) -> bool:
    """Whether a document is a 例規: at least two distinct articles start a line."""
    seen = set()
    for part in parts:
        for line in part.text.split("\n"):
            found = _article(_LEADING_CAPTION.sub("", line.strip()))
            if found:
                seen.add(unicodedata.normalize("NFKC", found["label"]))
                if len(seen) >= 2:
                    return True
    return False


def read_rules(parts, *, joined: bool = False) -> Rules | None:
    """The 例規 the parts hold, by article, or None when they are not one."""
    if not is_rules(parts):
        return None
    sections: list[Section] = []
    preamble: list[str] = []
    dated: list[str] = []
    title: str | None = None
    current: Section | None = None
    caption: str | None = None
    supplement = False
    chapters: dict[str, Chapter] = {}
    chapter: Chapter | None = None
    for line, page in _lines(parts, joined):
        alone = _caption(line)
        if alone:
            if caption and current is not None:
                current.captions.append(caption)
            caption = alone
            continue
        article = _article(line)
        if article:
            prefix = "附則" if supplement else ""
            current = Section(prefix + _label(article["label"], article["caption"] or caption), page=page,
                              supplement=supplement)
            if chapter is not None and not supplement and (number := _ARTICLE_NAME.match(current.label)):
                chapter.articles.append(number.group(0))
            sections.append(current)
            if article["rest"]:
                current.lines.append(article["rest"])
            caption = None
            continue
        appendix = _APPENDIX.match(line)
        supplement_line = _SUPPLEMENT.match(line)
        if supplement_line and not supplement_line["rest"] and not any(not s.supplement for s in sections):
            continue  # 附則 as the last line of a 目次, before any article
        if supplement_line or appendix:
            supplement, chapter = bool(supplement_line), None
            if supplement_line:
                note = supplement_line["note"]
                current = Section("附則" + (f"（{note.strip()}）" if note else ""), page=page, supplement=True,
                                  note_date=next((d for _, d in find_dates(note)), None) if note else None)
                rest = supplement_line["rest"]
            else:
                current = Section(unicodedata.normalize("NFKC", appendix["label"]).replace(" ", ""), page=page)
                rest = appendix["rest"]
            if caption:
                current.captions.append(caption)
                caption = None
            sections.append(current)
            if rest:
                current.lines.append(rest)
            continue
        if _CHAPTER.match(line):  # 第1章 総則: a heading over articles, not a passage of its own
            current, caption = None, None
            heading = _CHAPTER_HEADING.match(unicodedata.normalize("NFKC", line))
            if heading and not supplement:  # 節 and 款 stay in their 章
                label = heading["label"].replace(" ", "")
                name = heading["title"].strip()
                chapter = chapters.setdefault(label, Chapter(label, name))
                chapter.title = chapter.title or name
                listed = [m.group(0).replace(" ", "") for m in _ARTICLE_NAME.finditer(heading["span"] or "")]
                chapter.listed = chapter.listed or ([listed[0], listed[-1]] if listed else [])
            continue
        if current is None:
            if not sections and line.endswith("。"):
                preamble.append(line)
            elif not sections and len(line) <= 60 and (_NUMBERED.search(line) or _DATE_ALONE.match(line)):
                dated.extend(canonical for _, canonical in find_dates(line))  # 「令和4年3月25日 告示第12号」
            elif not sections and title is None and len(line) <= 80 and _TITLE.search(line):
                title = line
            continue
        if caption:  # a caption over a 項 (（経過措置） before 附則's ２): searched, never quoted alone
            current.captions.append(caption)
            caption = None
        current.lines.append(line)
    return Rules([s for s in sections if s.lines], preamble, dated, title, list(chapters.values()))
