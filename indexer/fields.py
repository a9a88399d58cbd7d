"""The index's fields as Whoosh stores them, and what a passage puts in each.

A text field's terms are computed by ``indexer.analysis`` (the functions questions are analysed
with) and handed to Whoosh already counted (``Counted``), so a passage's text is analysed once,
by one function per field, without Whoosh's token-by-token analyzer chain. Postings keep a term's
weight (its count, compound parts at half) and no positions: the ranker (``bot.ranking``) scores
BM25F from weights and field lengths only, and no query needs a phrase.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, FieldType, Schema
from whoosh.formats import Format

from hosakan.indexer.analysis import gram_terms, group_terms, reading_terms, word_terms

_EMPTY = b""


class Counted(tuple):
    """A field's terms already counted: (term, frequency, weight) triples."""

    @classmethod
    def of(cls, terms: Iterable) -> Counted:
        """Count terms given as strings or as (term, weight) pairs."""
        counts: dict[str, list] = {}
        for term in terms:
            text, weight = term if isinstance(term, tuple) else (term, 1.0)
            entry = counts.get(text)
            if entry is None:
                counts[text] = [1, weight]
            else:
                entry[0] += 1
                entry[1] += weight
        return cls((text, freq, weight) for text, (freq, weight) in counts.items())


class Weights(Format):
    """Postings that hold a weight and nothing else (no positions, no value bytes)."""

    posting_size = 0
    __inittypes__ = dict(field_boost=float)

    def __init__(self, field_boost: float = 1.0, **options):
        self.field_boost = field_boost
        self.options = options

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, Counted):
            raise TypeError("an analysed field is given its terms counted (indexer.fields.Counted), not text")
        boost = self.field_boost
        return ((text, freq, weight * boost, _EMPTY) for text, freq, weight in value)

    def encode(self, value):
        return _EMPTY

    def decode_frequency(self, valuestring):
        return 1

    def decode_weight(self, valuestring):
        return self.field_boost

    def combine(self, vs):
        return _EMPTY


class Analysed(FieldType):
    """A scorable text field whose terms come from one of ``indexer.analysis``'s functions."""

    def __init__(self, field_boost: float = 1.0):
        super().__init__(Weights(field_boost=field_boost), analyzer=None, scorable=True)


# field -> (the function that analyses it, the passage's texts it is given)
ANALYSED: dict[str, tuple[Callable, Callable]] = {
    "context": (word_terms, lambda p: (p.context,)),
    "body": (word_terms, lambda p: (p.text,)),
    "grams": (gram_terms, lambda p: (f"{p.title} {p.text}",)),
    "reading": (reading_terms, lambda p: (p.context, p.text)),  # read one after the other
    "groups": (group_terms, lambda p: (p.text,)),
}


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        record_id=ID(stored=True),
        kind=KEYWORD(stored=True, scorable=True),
        attribute=KEYWORD(scorable=True),
        context=Analysed(field_boost=0.8),
        body=Analysed(),
        grams=Analysed(field_boost=0.3),
        reading=Analysed(),
        groups=Analysed(),
        entities=KEYWORD(commas=True, scorable=True),
        data=STORED,
    )


def open_index(folder) -> whoosh_index.FileIndex:
    """The index in ``folder``, opened with this code's schema rather than the copy pickled into it,
    which names its classes by the modules they lived in when it was written (an index written
    before the code moved under ``hosakan.`` would not open otherwise)."""
    return whoosh_index.open_dir(str(folder), schema=schema())


def passage_fields(passage) -> dict:
    """What ``writer.add_document`` is given for one passage."""
    return dict(
        id=passage.id, record_id=passage.record_id, kind=passage.kind,
        attribute=passage.attribute or "", entities=",".join(passage.entities), data=passage.stored(),
        **{field: Counted.of(analyse(*texts_of(passage))) for field, (analyse, texts_of) in ANALYSED.items()},
    )
