"""Source documents as the index holds them: what each one is (``SourceInfo``, kept in the
generation's snapshot beside the records) and its citable passages, cut from the document's parts
at sentence ends with their page or heading; a 例規 (indexer/rules.py) by article instead, each
passage under and cited by its article (「…設置要綱 第5条（任期）」).

A source's municipality is the sidecar's, else the real municipality its title (then its text)
names most; the gazetteer knows it like a case's, so a question about a place only a source
document covers is answered from that document, never refused as unknown.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from hosakan.indexer import sentences
from hosakan.indexer.documents import Document, Part
from hosakan.indexer.gazetteer import Gazetteer, entity_term
from hosakan.indexer.passages import Passage
from hosakan.indexer.rules import ENACTED_AS_OF, read_rules
from hosakan.knowledge.places import all_places

FOLDER = "sources"  # under the knowledge folder
PASSAGE_CHARS = 320  # a passage is a few sentences: long enough to hold a fact with its context
_SENTENCE = re.compile(r"(?<=[。！？!?])|\n")
_BREAKS = ("、", "，", ",", "；", ";", " ", "　", "｜")  # where a sentence too long for one passage is cut


class SourceInfo(BaseModel):
    id: str                  # source:<path under knowledge/sources>
    path: str                # under the knowledge folder
    kind: str                # pdf | html | docx | text
    title: str
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    municipality: str | None = None
    prefecture: str | None = None
    sha256: str
    pages: int | None = None
    seen: str | None = None  # the day a build first read this content (YYYY-MM-DD): when it last changed
    enacted: bool = False    # a 例規 dated by when it took effect (its 附則's 施行 date)
    chapters: list[list[str]] = []  # a 例規's 章: [第3章, its title, its first article, its last]

    def cited_by(self, record) -> bool:
        """Whether a curated record takes its facts from this document (its source has the same URL)."""
        url = record.source.url
        return bool(self.url and url and url.rstrip("/") == self.url.rstrip("/"))

    def label(self, article: str = "") -> str:
        """How an answer cites it: the document (with the article quoted: 「…要綱」第5条（任期）),
        marked as the original."""
        return f"「{self.title}」{article}（原資料{'・' + self.publisher if self.publisher else ''}）"

    @property
    def dated(self) -> bool:
        """Whether the document gives its own date (its as_of label gives one)."""
        return self.published is not None

    def as_of_label(self) -> str:
        shown = date_label(self.published) if self.published else None
        if shown and self.enacted:
            return ENACTED_AS_OF.format(date=shown)
        return sentences.document_of(shown) if shown else sentences.DOCUMENT_UNDATED


SOURCES = TypeAdapter(list[SourceInfo])


def source_id(relative: str) -> str:
    return f"source:{relative}"


def date_label(published: str) -> str | None:
    """「2026年1月15日」 from 2026-01-15, 2026-01 or 2026 (other forms: None)."""
    found = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", published.strip())
    if not found:
        return None
    year, month, day = found.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


def place_of(document: Document) -> tuple[str | None, str | None]:
    """(municipality, prefecture) a document is about: the sidecar's, else the real place its title
    names (then the first pages), a municipality before its prefecture."""
    places = all_places()
    if document.municipality:
        found = next((p for p in places if p.name == document.municipality), None)
        return document.municipality, found.prefecture if found else None
    for text in (document.title, document.text[:3000]):
        counts = {}
        for place in places:
            if len(place.name) >= 2 and place.name in text:
                counts[place] = text.count(place.name) + (0 if place.is_prefecture else 100)
        if counts:
            best = max(counts, key=counts.get)
            return best.name, best.prefecture
    return None, None


def info_of(document: Document, relative: str) -> SourceInfo:
    municipality, prefecture = place_of(document)
    pages = max((p.page or 0 for p in document.parts), default=0) or None
    return SourceInfo(id=source_id(relative), path=f"{FOLDER}/{relative}", kind=document.kind, title=document.title,
                      publisher=document.publisher, url=document.url, published=document.published,
                      municipality=municipality, prefecture=prefecture, sha256=document.sha256, pages=pages,
                      enacted=bool(document.meta.get("enacted")), chapters=document.meta.get("chapters", []))


_NUMBERING = re.compile(r"^(?:[（(]?[0-9０-９一二三四五六七八九十]{1,3}(?:[）).．、]|\s+|(?=[^\s0-9０-９]))"
                        r"|第[0-9０-９一二三四五六七八九十]+[条項章]?)\s*")
_DIGIT = re.compile(r"[0-9０-９]")
_COUNTERS = frozenset("名人件年月日円回週時分歳%％か箇ヶヵカ万千億倍割")
_BULLET = re.compile(r"^[-*+•●○■□◆◇]\s+")
LABEL_CHARS = 16  # a line this short with no sentence end is a label (「6 応募資格」), not a fact


def _label(line: str) -> str | None:
    """The label a short line is (「6 応募資格」 → 応募資格), or None for a line that says something."""
    numbered = _NUMBERING.match(line)
    bare = line[numbered.end():].strip(" 　:：") if numbered else line.strip(" 　:：")
    if numbered and bare[:1] in _COUNTERS and not numbered.group().rstrip().endswith(tuple("）).．、")):
        return None  # 「1名」「3年」: a number with its counter is a fact
    if (not bare or len(bare) > LABEL_CHARS or bare[-1] in "。．.！？!?）)」" or any(c in bare for c in "：:｜|、")
            or _DIGIT.search(bare)):  # 「1名」「月額20万円」 are facts, not labels
        return None
    return bare


def labelled(part: Part) -> str:
    """The part's text with each fact under its label: a label line is joined to the line after it
    and a short heading to the part's first line (「報酬：月額30万円」), so a passage says what it is
    about wherever the document put the word; list bullets become 「・」."""
    lines, pending = [], None
    for line in (_BULLET.sub("・", raw.strip()) for raw in part.text.split("\n")):
        if not line:
            continue
        label = _label(line)
        if label is not None and pending is None:
            pending = label
            continue
        lines.append(f"{pending}：{line.removeprefix('・')}" if pending else line)
        pending = None
    if pending:
        lines.append(pending)
    heading = _label(part.heading) if part.heading else None
    if heading and lines and not lines[0].startswith(heading):
        lines[0] = f"{heading}：{lines[0].removeprefix('・')}"
    return "\n".join(lines)


def _pieces(sentence: str) -> list[str]:
    """A sentence longer than a passage (a page on one line, a list with no 。) cut into pieces of
    at most PASSAGE_CHARS, each after the last comma or space in its second half where there is
    one, so that no passage is ever longer than that however the document is written."""
    pieces = []
    while len(sentence) > PASSAGE_CHARS:
        window = sentence[:PASSAGE_CHARS]
        cut = max(window.rfind(mark) for mark in _BREAKS) + 1
        cut = cut if cut > PASSAGE_CHARS // 2 else PASSAGE_CHARS
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*pieces, sentence] if sentence else pieces


def _chunks(part: Part) -> list[str]:
    """The part's text in passages of whole sentences, at most about PASSAGE_CHARS each."""
    pieces, current = [], ""
    for sentence in (p for s in _SENTENCE.split(labelled(part)) for p in _pieces(s.strip())):
        if not sentence:
            continue
        if current and len(current) + len(sentence) > PASSAGE_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current}\n{sentence}" if current and current[-1] not in "。！？!?" else current + sentence
    return pieces + [current] if current else pieces


def passages_of_source(info: SourceInfo, document: Document, gazetteer: Gazetteer) -> list[Passage]:
    base = [entity_term(f"municipality:{info.municipality}")] if info.municipality else []
    if info.prefecture and info.prefecture != info.municipality:
        base.append(entity_term(f"region:{info.prefecture}"))
    rules = read_rules(document.parts, joined=document.kind == "pdf")
    if rules is not None:
        return _passages_of_rules(info, rules, base, gazetteer)
    found: list[Passage] = []
    for part in document.parts:
        where = f"p.{part.page}" if part.page else (part.heading or "本文")
        if part.page and part.heading:
            where = f"{part.heading}（p.{part.page}）"
        for text in _chunks(part):
            mentioned = [entity.term for entity in gazetteer.tag(text)]
            found.append(Passage(
                id=f"{info.id}#{len(found) + 1:03d}", record_id=info.id, kind="source", title=info.title,
                section=where, text=text,
                citation=f"{info.title} › {where} — 出典：{info.label()}、{info.as_of_label()}",
                source=info.label() + (f"（{where}）" if part.page else ""), url=info.url,
                as_of=info.as_of_label(), dated=info.dated,
                entities=list(dict.fromkeys([*base, *mentioned])),
                context=" ".join(x for x in (info.title, part.heading or "", info.municipality or "") if x),
            ))
    return found


def _passages_of_rules(info: SourceInfo, rules, base: list[str], gazetteer: Gazetteer) -> list[Passage]:
    """A 例規's passages: each article (附則, 別表) whole where it fits, else cut at its 項, under
    the article's label (第5条（任期）), cited by it; the caption and the title are the section
    and the title, never text of their own. Sentences before the first article (a page's own
    text around the 例規) are read as a notice's."""
    found: list[Passage] = []

    def add(where: str, text: str, cited: str, context: str) -> None:
        mentioned = [entity.term for entity in gazetteer.tag(text)]
        found.append(Passage(
            id=f"{info.id}#{len(found) + 1:03d}", record_id=info.id, kind="source", title=info.title,
            section=where, text=text, citation=f"{info.title} {cited} — 出典：{info.label()}、{info.as_of_label()}",
            source=info.label(cited), url=info.url, as_of=info.as_of_label(), dated=info.dated,
            entities=list(dict.fromkeys([*base, *mentioned])),
            context=" ".join(x for x in (info.title, context, info.municipality or "") if x)))

    if rules.preamble:
        for text in _chunks(Part("\n".join(rules.preamble))):
            add("本文", text, "本文", "")
    for section in rules.sections:
        cited = section.label + (f"（p.{section.page}）" if section.page else "")
        for text in section.pieces(PASSAGE_CHARS):
            add(section.label, text, cited, " ".join([section.label, *section.captions]))
    return found


def relative(path: Path, sources_dir: Path) -> str:
    return path.relative_to(sources_dir).as_posix()
