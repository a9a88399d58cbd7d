"""The search itself: the question as weighted clauses (never through Whoosh's query parser),
ranked with BM25F over Whoosh's postings (bot/answering/ranking.py), fused with the dense ranking by
reciprocal rank when the index holds vectors, at most two passages a record. It knows nothing of
conversations or paging.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property, lru_cache

import numpy as np
from whoosh.scoring import BM25F

from hosakan.bot.answering.ranking import Clause, Ranker
from hosakan.bot.answering.snippets import snippet
from hosakan.bot.answering.understanding import SYNONYM_WEIGHT, TEXT_FIELDS, Reader, Understanding
from hosakan.bot.models import Hit
from hosakan.indexer.embeddings import load_embedder
from hosakan.indexer.gazetteer import speaker_term
from hosakan.indexer.store import OpenIndex
from hosakan.indexer.word_vectors import model_of

ENTITY_BOOST = {"municipality": 6.0, "region": 2.5, "person": 4.0, "role": 1.5, "form": 2.0}
READING_BOOST = 0.5  # each reading trigram of the words typed by sound
# the dense ranking's weight in the fusion at most (the lexical one weighs 1), scaled by the share of the question
# the index does not know
DENSE_WEIGHT = 1.0
DENSE_BUDGET = 0.2  # seconds a question waits for its vector before it is answered lexically
RRF_K = 60  # reciprocal rank fusion's constant (Cormack et al.)
PER_RECORD = 2
CANDIDATES = 40


@lru_cache(maxsize=1)
def _one_blas_thread() -> None:
    """The dense step's matrix product (passages × the question's vector) on one BLAS thread, for
    the whole process, set once. OpenBLAS's threads busy-wait for a while after every product, and
    on a small server they took the cores from the next question's embedding: at 100,000 passages
    on two cores one thread made the product 4 ms slower and the embedding 7 ms faster
    (bench/run.py). Without threadpoolctl (the semantic extra installed by hand) BLAS is left as is."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1, user_api="blas")


class Search:
    def __init__(self, index: OpenIndex, hits: int = 3):
        self.index = index
        self.hits = hits
        self.dense_budget: float | None = DENSE_BUDGET  # None: always wait for the vector (measuring)
        # Entity, attribute and kind tags are yes/no facts: no length normalisation for them.
        self.searcher = index.index.searcher(weighting=BM25F(entities_B=0.0, attribute_B=0.0, kind_B=0.0))
        self.reader = self.searcher.reader()
        self.ranker = Ranker(self.searcher)
        self.words = Reader(index, self.reader)
        self._texts: dict[str, list[tuple[str, str]]] = {}  # record id -> its passages' (section, text)

    def close(self) -> None:
        self.searcher.close()

    def build_query(self, u: Understanding) -> list[Clause]:
        """The question as weighted clauses (never through Whoosh's query parser)."""
        clauses: list[Clause] = []
        for term, weight in list(u.terms.items()) + list(u.expansions.items()):
            for name, boost in TEXT_FIELDS.items():
                clauses.append(Clause(name, term, weight * boost))
        for gram in u.grams:
            clauses.append(Clause("grams", gram, 0.3))
        for gram in u.readings:
            clauses.append(Clause("reading", gram, READING_BOOST))
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

    @cached_property
    def semantic(self) -> tuple | None:
        """(embedder, passage ids, vectors) when the index holds vectors of the installed model."""
        vectors, embedder = self.index.vectors, load_embedder()
        if vectors is None or embedder is None or vectors[2] != embedder.model or not len(vectors[0]):
            return None
        _one_blas_thread()
        return embedder, vectors[0], vectors[1]

    @property
    def dense_state(self) -> tuple[str, int] | None:
        """(model, passages embedded) of the dense ranking in use, if any."""
        if self.semantic is not None:
            return self.semantic[0].model, len(self.semantic[1])
        if self.by_words is not None:
            return self.by_words[1].model, len(self.by_words[1].vectors)
        return None

    @cached_property
    def by_words(self) -> tuple | None:
        """(embedder, word vectors) when the index was embedded by its words with the installed model."""
        words, embedder = self.index.words, load_embedder()
        if words is None or embedder is None or words.model != model_of(embedder):
            return None
        return embedder, words

    def _words_vector(self, u: Understanding) -> np.ndarray:
        """The question's vector among passages embedded by their words."""
        embedder, words = self.by_words
        return words.question(embedder.query(u.text), {t: w * self.words.idf(t) for t, w in u.terms.items()})

    def _dense(self, u: Understanding, limit: int) -> list[int]:
        """The passage numbers nearest to the question's meaning, nearest first."""
        if self.semantic is not None:
            embedder, ids, vectors = self.semantic
            similarity = vectors @ embedder.query(u.text)
            top = np.argpartition(-similarity, min(limit, len(ids)) - 1)[:limit]
            found = (self.searcher.document_number(id=ids[row]) for row in top[np.argsort(-similarity[top])])
            return [docnum for docnum in found if docnum is not None]
        # a deleted passage's vector is zero: never near
        return [docnum for _, docnum in self.by_words[1].nearest(self._words_vector(u), limit)]

    def ranked(self, u: Understanding, limit: int) -> list[tuple[float, int]]:
        """(score, document number) of the best passages for the question: the lexical ranking,
        fused with the dense one by reciprocal rank (weighted) when the index has vectors."""
        lexical = self.ranker.top(self.build_query(u), limit)
        weight = DENSE_WEIGHT * self.unexplained(u)
        if (self.semantic is None and self.by_words is None) or weight == 0 or not u.dense:
            return lexical
        fused: dict[int, float] = {}
        for rank, (_, docnum) in enumerate(lexical, 1):
            fused[docnum] = 1 / (RRF_K + rank)
        for rank, docnum in enumerate(self._dense(u, limit), 1):
            fused[docnum] = fused.get(docnum, 0.0) + weight / (RRF_K + rank)
        return sorted(((score, docnum) for docnum, score in fused.items()), key=lambda x: (-x[0], x[1]))[:limit]

    def search(self, u: Understanding, upto: int | None = None, per_record: int = PER_RECORD) -> list[Hit]:
        """The best passages, at most ``per_record`` of a record, at most ``upto`` (two pages)."""
        if not (u.terms or u.resolution.entities or u.readings):
            return []
        upto = upto or self.hits * 2
        hits, counted = [], Counter()
        for score, docnum in self.ranked(u, max(CANDIDATES, upto * 2)):
            result = self.searcher.stored_fields(docnum)
            data = result["data"]
            if counted[data["record_id"]] >= per_record:
                continue
            counted[data["record_id"]] += 1
            hits.append(self.hit(docnum, score, u, result))
            if len(hits) >= upto:
                break
        return hits

    def hit(self, docnum: int, score: float, u: Understanding | None, result: dict | None = None) -> Hit:
        """A passage as a cited hit, its snippet marked for the question (no question: the whole
        passage, unmarked)."""
        result = result or self.searcher.stored_fields(docnum)
        data = result["data"]
        text, marks = snippet(data["text"], u.highlight) if u is not None else (data["text"].strip(), [])
        return Hit(doc_id=result["id"], record_id=data["record_id"], kind=data["kind"], title=data["title"],
                   section=data["section"], speaker=data["speaker"], snippet=text, marks=marks,
                   citation=data["citation"], source=data["source"], url=data["url"], as_of=data["as_of"],
                   dated=data.get("dated", True), score=score, docnum=docnum)

    def record_docnums(self, record_id: str) -> list[int]:
        """The passages of a record (or source document), in order."""
        return sorted(self.searcher.document_numbers(record_id=record_id))

    def evidence(self, u: Understanding, docnums: list[int]) -> float:
        """The share of the question's content words (weighed by idf; a word the index does not
        know weighs most) that these passages hold."""
        if not u.content:
            return 0.0
        total = matched = 0.0

        def held(term: str) -> bool:
            return any(self.ranker.holds(name, term, docnums) for name in TEXT_FIELDS)

        for term in u.content:
            weight = self.words.idf(term)  # a word in no passage gets the largest idf
            total += weight
            # a glossary word the passages do not spell (salary) counts for less when they hold a synonym
            if held(term):
                matched += weight
            elif any(held(t) for t in self.words.synonym_terms.get(term, ())):
                matched += SYNONYM_WEIGHT * weight
        return matched / total if total else 0.0

    def unexplained(self, u: Understanding) -> float:
        """The share (by idf) of the question's content words that neither the index nor the
        glossary knows: English and paraphrases the lexical ranking cannot read, where the dense
        ranking earns its say."""
        if not u.content:
            return 0.0
        weights = {t: self.words.idf(t) for t in u.content}
        # words typed in kana or romaji are read by sound (the reading field), not by meaning
        return sum(weights[t] for t in u.unknown if t not in u.by_sound) / sum(weights.values())

    def passage(self, docnum: int) -> tuple[str, str]:
        """(section, text) of a passage."""
        data = self.searcher.stored_fields(docnum)["data"]
        return data["section"], data["text"]

    def record_texts(self, record_id: str) -> list[tuple[str, str]]:
        """(section, text) of a record's passages, in order (cached: an index never changes)."""
        found = self._texts.get(record_id)
        if found is None:
            found = self._texts[record_id] = [
                (fields["data"]["section"], fields["data"]["text"])
                for fields in sorted(self.searcher.documents(record_id=record_id), key=lambda f: f["id"])]
        return found

    def prepare(self, text: str) -> bool:
        """Embed the question before the lexical work (outside any lock of the retriever's),
        within its time budget: whether the dense ranking may join the answer."""
        dense = self.semantic or self.by_words
        return dense is None or dense[0].prepare(text, self.dense_budget)

    def similarity(self, u: Understanding, hits: list[Hit]) -> float | None:
        """The best dense similarity of the question to these passages (None without vectors)."""
        if not u.dense:
            return None
        if self.semantic is None:
            return self.by_words[1].similarity(self._words_vector(u), [h.docnum for h in hits]) \
                if self.by_words is not None and hits else None
        embedder, ids, vectors = self.semantic
        rows = [self._rows[h.doc_id] for h in hits if h.doc_id in self._rows]
        return float((vectors[rows] @ embedder.query(u.text)).max()) if rows else None

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {doc_id: row for row, doc_id in enumerate(self.semantic[1])} if self.semantic else {}
