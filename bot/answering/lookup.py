"""Passages looked up rather than answered: the passages a query finds with no answer decided, and
one passage or one whole record (a case, round-table, reference or source document) by its id.
What an AI assistant's tools read (adapters/mcp): every passage cited and dated as an answer's hits
are, with the places its record is about. The retriever (pipeline.py) runs these under its lock."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hosakan.bot.answering.search import Search
from hosakan.bot.models import Hit
from hosakan.knowledge.schema import Case, Roundtable

MAX_FOUND = 10  # passages one search lists at most
MAX_RECORD_PASSAGES = 200  # passages of one record a fetch lists at most (a long PDF has hundreds)
MAX_ID = 512  # characters: no passage or record id is longer (a source's id is its path)


def places_of(index, record_id: str) -> list[str]:
    """The municipalities and prefectures a record or source document is about, as it names them."""
    record = index.records.get(record_id)
    if isinstance(record, Case):
        names = [record.municipality, record.prefecture]
    elif isinstance(record, Roundtable):
        names = list(record.municipalities)
    elif record is None and (source := index.sources.get(record_id)) is not None:
        names = [source.municipality, source.prefecture]
    else:
        names = []
    return list(dict.fromkeys(name for name in names if name))


def _number(hit: Hit) -> int:
    """A passage's number within its record (rec#07 → 7): ids sort as text only up to 99 or 999."""
    tail = hit.doc_id.rpartition("#")[2]
    return int(tail) if tail.isascii() and tail.isdecimal() else 0


class Quoted(BaseModel):
    """A passage as it stands in the knowledge base, with the places its record is about."""

    hit: Hit
    places: list[str] = Field(default_factory=list)

    def contract(self) -> dict:
        return {**self.hit.contract(), "record_id": self.hit.record_id, "places": self.places}


class Found(BaseModel):
    """What a search found: passages best first; ``message`` says why there are none."""

    query: str
    passages: list[Quoted] = Field(default_factory=list)
    message: str | None = None

    def contract(self) -> dict:
        return {"query": self.query, "passages": [p.contract() for p in self.passages], "message": self.message}


class Whole(BaseModel):
    """A record or source document with its passages in order (at most MAX_RECORD_PASSAGES)."""

    record_id: str
    kind: str
    title: str
    source: str
    url: str | None = None
    as_of: str = Field(description="when its facts were true, or why it gives no date")
    dated: bool
    places: list[str] = Field(default_factory=list)
    passages: list[Hit] = Field(default_factory=list)
    total: int = Field(description="how many passages it has (more than listed when it is long)")

    def contract(self) -> dict:
        return {
            "record_id": self.record_id, "kind": self.kind, "title": self.title, "source": self.source,
            "url": self.url, "as_of": self.as_of, "dated": self.dated, "places": self.places,
            "passages": [{"doc_id": h.doc_id, "section": h.section, "speaker": h.speaker, "text": h.snippet,
                          "citation": h.citation} for h in self.passages],
            "passage_count": self.total, "truncated": self.total > len(self.passages),
        }


def found(index, query: str, hits: list[Hit], nothing: str) -> Found:
    """The passages a search ranked, each with its places; ``nothing`` said when there are none."""
    quoted = [Quoted(hit=hit, places=places_of(index, hit.record_id)) for hit in hits[:MAX_FOUND]]
    return Found(query=query, passages=quoted, message=None if quoted else nothing)


def fetch(index, finder: Search, wanted: str) -> Quoted | Whole | None:
    """The passage with this id (its whole text, unmarked), else the record or source document with
    this id; None when the index holds neither."""
    if not wanted or len(wanted) > MAX_ID:
        return None
    docnum = finder.searcher.document_number(id=wanted)
    if docnum is not None:
        hit = finder.hit(docnum, 0.0, None)
        return Quoted(hit=hit, places=places_of(index, hit.record_id))
    record, source = index.records.get(wanted), index.sources.get(wanted)
    if record is None and source is None:
        return None
    hits = sorted((finder.hit(docnum, 0.0, None) for docnum in finder.record_docnums(wanted)), key=_number)
    if record is not None:
        about = {"kind": record.kind, "title": record.title, "source": record.source.label(),
                 "url": record.source.url, "as_of": record.as_of_label(), "dated": record.dated}
    else:
        about = {"kind": "source", "title": source.title, "source": source.label(), "url": source.url,
                 "as_of": source.as_of_label(), "dated": source.dated}
    return Whole(record_id=wanted, places=places_of(index, wanted), passages=hits[:MAX_RECORD_PASSAGES],
                 total=len(hits), **about)
