"""The fuzzy retriever: a question in, an Answer with cited snippets (or an honest "not found") out.

User text never reaches Whoosh's query parser: the question becomes weighted (field, term) clauses
from analysed tokens, bigrams and resolved entities, ranked with BM25F over Whoosh's postings
(bot/ranking.py).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from whoosh.scoring import BM25F

from bot import answers
from bot.models import Answer, Hit
from bot.ranking import Clause, Ranker
from bot.snippets import snippet
from indexer.analysis import bigrams, terms
from indexer.gazetteer import Resolution, speaker_term
from indexer.normalize import clean_question, fold
from indexer.store import OpenIndex

TEXT_FIELDS = {"context": 0.8, "body": 1.0}  # context holds the title, section and speaker
ENTITY_BOOST = {"municipality": 6.0, "region": 2.5, "person": 4.0, "role": 1.5, "form": 2.0}
PER_RECORD = 2
CANDIDATES = 40


@dataclass
class Understanding:
    """What the retriever made of a question before searching."""

    text: str
    resolution: Resolution
    terms: dict[str, float]
    expansions: dict[str, float]
    attributes: list[str]
    kinds: list[str]
    known_fraction: float
    glossary_words: list[str] = field(default_factory=list)
    listing: bool = False  # asks for a list of cases
    leftover: list[str] = field(default_factory=list)  # content terms the glossary does not know
    grams: list[str] = field(default_factory=list)  # bigrams of words the index does not know
    highlight: dict[str, float] = field(default_factory=dict)


class Retriever:
    def __init__(self, index: OpenIndex, max_chars: int = 500, hits: int = 3):
        self.index = index
        self.max_chars = max_chars
        self.hits = hits
        # Entity, attribute and kind tags are yes/no facts: no length normalisation for them.
        self.searcher = index.index.searcher(weighting=BM25F(entities_B=0.0, attribute_B=0.0, kind_B=0.0))
        self.reader = self.searcher.reader()
        self.ranker = Ranker(self.searcher)
        # One question at a time: the index files are read with seek-then-read on shared handles,
        # and the impact cache is shared. The work holds the GIL anyway, so threads lose nothing.
        self._lock = threading.Lock()

    def close(self) -> None:
        self.searcher.close()

    def warm(self, previous: Retriever, question: str) -> None:
        """Read now what questions read from the previous index (the same terms' postings), and
        answer ``question`` so that everything built on first use (the gazetteer's fuzzy index,
        the case book) is built: the first questions on this index are as fast as the last on that."""
        self.ranker.warm(previous.ranker.cached_terms())
        self.ask(question)

    # -- vocabulary -----------------------------------------------------------------------
    @cached_property
    def _glossary_words(self) -> dict[str, list[str]]:
        """Folded glossary word -> the words of its synonym group."""
        words: dict[str, list[str]] = {}
        glossary = self.index.glossary
        groups = list(glossary.synonyms) + [list(ws) for ws in glossary.attributes.values()]
        for group in groups:
            for word in group:
                words.setdefault(fold(word), []).extend(group)
        return words

    @cached_property
    def casebook(self) -> answers.Casebook:
        return answers.Casebook(self.index.records.values())

    @cached_property
    def _folded(self) -> dict[str, dict[str, list[str]]]:
        """The glossary's question words, folded once."""
        glossary = self.index.glossary
        return {
            "attributes": {name: [fold(w) for w in words] for name, words in glossary.attributes.items()},
            "kinds": {name: [fold(w) for w in words] for name, words in glossary.kinds.items()},
            "listing": {"": [fold(w) for w in glossary.listing]},
        }

    @cached_property
    def _glossary_terms(self) -> set[str]:
        glossary = self.index.glossary
        words = list(self._glossary_words)
        words += [w for name, aliases in glossary.roles.items() for w in (name, *aliases)]
        words += [w for name, aliases in glossary.appointment_forms.items() for w in (name, *aliases)]
        words += [w for ws in glossary.kinds.values() for w in ws] + list(glossary.listing)
        return {term for word in words for term in terms(word)}

    def _idf(self, term: str) -> float:
        frequency = max(self.reader.doc_frequency(name, term) for name in TEXT_FIELDS)
        return math.log(1 + self.reader.doc_count() / (1 + frequency))

    def _known(self, term: str) -> bool:
        if term in self._glossary_terms:
            return True
        return any(self.reader.doc_frequency(name, term) for name in TEXT_FIELDS)

    # -- understanding --------------------------------------------------------------------
    def understand(self, text: str) -> Understanding:
        resolution = self.index.gazetteer.resolve(text)
        folded = fold(text)
        asked = terms(text)
        expansions: dict[str, float] = {}
        present = []
        for word, group in self._glossary_words.items():
            if _contains_word(folded, word):
                present.append(word)
                for synonym in group:
                    for term in terms(synonym):
                        if term not in asked:
                            expansions[term] = max(expansions.get(term, 0.0), 0.4)
        attributes = [a for a, ws in self._folded["attributes"].items() if any(_contains_word(folded, w) for w in ws)]
        kinds = [k for k, ws in self._folded["kinds"].items() if any(_contains_word(folded, w) for w in ws)]
        covered = {t for m in resolution.mentions if m.start >= 0 for t in terms(text[m.start:m.end])}
        content = [t for t, weight in asked.items() if weight >= 1.0 and t not in covered and not t.isdigit()]
        unknown = [t for t in content if not self._known(t)]
        known = len(content) - len(unknown)
        wanted = {t: w for t, w in asked.items() if len(t) > 1 or not _is_kana_or_symbol(t)}
        # synonyms are marked too, but the words the asker typed choose the sentences
        wanted |= {t: 0.15 for t in expansions if len(t) > 1 and t not in wanted}
        for entity in resolution.entities:
            wanted |= {t: w for t, w in terms(entity.name).items() if t not in wanted}
        highlight = {t: self._idf(t) * weight for t, weight in wanted.items()}
        return Understanding(
            text=text, resolution=resolution, terms=asked, expansions=expansions,
            attributes=attributes, kinds=kinds,
            known_fraction=(known / len(content)) if content else 1.0, glossary_words=present,
            listing=any(_contains_word(folded, w) for w in self._folded["listing"][""]),
            leftover=[t for t in content if t not in self._glossary_terms],
            grams=[g for t in unknown for g in bigrams(t)],
            highlight=highlight,
        )

    def in_scope(self, u: Understanding) -> bool:
        """Whether the knowledge base can say anything about the question."""
        anchored = bool(u.resolution.entities) or bool(u.glossary_words) or u.known_fraction > 0
        return anchored and u.known_fraction >= 0.5

    # -- searching ------------------------------------------------------------------------
    def build_query(self, u: Understanding) -> list[Clause]:
        """The question as weighted clauses (never through Whoosh's query parser)."""
        clauses: list[Clause] = []
        for term, weight in list(u.terms.items()) + list(u.expansions.items()):
            for name, boost in TEXT_FIELDS.items():
                clauses.append(Clause(name, term, weight * boost))
        for gram in u.grams:
            clauses.append(Clause("grams", gram, 0.3))
        for entity in u.resolution.entities:
            clauses.append(Clause("entities", entity.term, ENTITY_BOOST[entity.kind]))
        for place in u.resolution.of_kind("municipality"):
            for role in u.resolution.of_kind("role"):
                clauses.append(Clause("entities", speaker_term(place.name, role.name), ENTITY_BOOST["person"]))
        for attribute in u.attributes:
            clauses.append(Clause("attribute", attribute, 3.0 if u.resolution.of_kind("municipality") else 1.5))
        for kind in u.kinds:
            clauses.append(Clause("kind", kind, 2.0))
        return clauses

    def ranked(self, u: Understanding, limit: int) -> list[tuple[float, int]]:
        """(score, document number) of the best passages for the question."""
        return self.ranker.top(self.build_query(u), limit)

    def search(self, u: Understanding, limit: int = CANDIDATES) -> list[Hit]:
        if not (u.terms or u.resolution.entities):
            return []
        hits, per_record = [], Counter()
        for score, docnum in self.ranked(u, limit):
            result = self.searcher.stored_fields(docnum)
            data = result["data"]
            if per_record[data["record_id"]] >= PER_RECORD:
                continue
            per_record[data["record_id"]] += 1
            text, marks = snippet(data["text"], u.highlight)
            hits.append(Hit(
                doc_id=result["id"], record_id=data["record_id"], kind=data["kind"], title=data["title"],
                section=data["section"], speaker=data["speaker"], snippet=text, marks=marks,
                citation=data["citation"], source=data["source"], url=data["url"], as_of=data["as_of"], score=score,
            ))
            if len(hits) >= self.hits * 2:
                break
        return hits

    # -- answering ------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        with self._lock:
            answer = self._ask(question)
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        return answer

    def _ask(self, question: str) -> Answer:
        text = clean_question(question or "")
        problem = answers.problem_with(text, self.max_chars)
        if problem:
            return Answer(question=text[: self.max_chars], answered=False, message=problem)
        u = self.understand(text)
        if u.resolution.unknown_places:
            u.resolution.unknown_places, unknown = [], u.resolution.unknown_places
            suggestions = self.search(u) if u.resolution.entities else []
            return Answer(question=text, answered=False, hits=suggestions[: self.hits],
                          message=answers.unknown_place(unknown, self.casebook, bool(suggestions)))
        if not self.in_scope(u):
            return Answer(question=text, answered=False, message=answers.out_of_scope(self.casebook))
        hits = self.search(u)
        if not hits:
            return Answer(question=text, answered=False, message=answers.out_of_scope(self.casebook))
        direct = answers.direct_answer(u, self.casebook)
        return Answer(question=text, answered=True, direct_answer=direct,
                      hits=hits[: self.hits], more=hits[self.hits:])


def _contains_word(folded_text: str, folded_word: str) -> bool:
    """Whether the word occurs in the text; Latin words must stand alone (``cio`` is not in ``ciso``)."""
    if len(folded_word) < 2:
        return False
    start = folded_text.find(folded_word)
    while start != -1:
        end = start + len(folded_word)
        if not folded_word.isascii():
            return True
        before = folded_text[start - 1] if start else " "
        after = folded_text[end] if end < len(folded_text) else " "
        if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            return True
        start = folded_text.find(folded_word, start + 1)
    return False


def _is_kana_or_symbol(term: str) -> bool:
    return all(not ch.isalnum() or "\u3040" <= ch <= "\u30ff" for ch in term)
