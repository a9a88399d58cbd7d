"""BM25F ranking over Whoosh's own postings, term at a time, with numpy.

Whoosh's searcher scores one posting at a time through a tree of Python matcher objects; with
100,000 passages a question's common terms (a role, 報酬, the record kind) match tens of thousands
of passages each, and that is where an answer's time went. Here each term's postings are read from
the Whoosh index a block at a time, turned into BM25F impacts with the searcher's own statistics
(the same formula, idf, B, K1 and average field length Whoosh's BM25F scorer uses), kept in a
size-bounded LRU cache, and added into one score array per question. The scores are the ones
``searcher.search(Or(terms))`` gives (to float32 precision), at a fraction of the cost.

Whoosh 2.7.4 (pinned, no longer released) has no public block-level API, so the two readers below
use a segment's own term reader, its ``W3LeafMatcher`` block methods and its length column;
tests/test_ranking.py compares every score with Whoosh's own and fails if those internals change.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from math import log

import numpy as np
from cachetools import LRUCache
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import _length_byte_cache

WARM_SECONDS = 1.0  # a new index's warm-up reads the old one's cached terms for this long at most
CACHE_BYTES = 96 * 2**20  # impacts kept between questions: ids (int32) and impacts (float32)
SAMPLE_STRIDE = 16  # every 16th passage's score bounds the best ones from below (_best)
_LENGTH_OF_BYTE = np.asarray(_length_byte_cache, dtype=np.float32)


@dataclass(frozen=True)
class Clause:
    """One weighted term of a question: ``boost`` × BM25F(field, text)."""

    field: str
    text: str
    boost: float


class Ranker:
    """Ranks an open searcher's passages for a list of clauses; one per index generation."""

    def __init__(self, searcher: Searcher, cache_bytes: int = CACHE_BYTES):
        if not isinstance(searcher.weighting, BM25F):
            raise TypeError("Ranker reproduces BM25F only")
        self.searcher = searcher
        self.weighting: BM25F = searcher.weighting
        self.reader = searcher.reader()
        self.doc_count = self.reader.doc_count_all()
        self.leaves = list(self.reader.leaf_readers())
        self.deleted = np.asarray([offset + d for leaf, offset in self.leaves if leaf.has_deletions()
                                   for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)], dtype=np.int64)
        self._lengths: dict[str, np.ndarray] = {}
        self._parameters: dict[str, tuple[float, float, float]] = {}
        self._impacts: LRUCache = LRUCache(maxsize=cache_bytes, getsizeof=lambda pair: pair[0].nbytes + pair[1].nbytes)
        self._cache_lock = threading.Lock()  # the next index's warm-up lists the cache from another thread

    def top(self, clauses: list[Clause], limit: int) -> list[tuple[float, int]]:
        """(score, document number) of the best ``limit`` live passages, best first; ties go to the
        lower document number, as in Whoosh."""
        found = [(self.impacts(clause.field, clause.text), clause.boost) for clause in clauses]
        total = sum(len(ids) for (ids, _), _ in found)
        if not total:
            return []
        # one pass over every posting: each clause's boosted impacts (a float32 product, widened as it
        # is written) into one buffer, summed per passage in clause order as `scores[ids] +=` would be
        ids, weights, at = np.empty(total, np.intp), np.empty(total, np.float64), 0
        for (clause_ids, impacts), boost in found:
            ids[at:at + len(clause_ids)] = clause_ids
            np.multiply(impacts, boost, out=weights[at:at + len(clause_ids)])
            at += len(clause_ids)
        scores = np.bincount(ids, weights=weights, minlength=self.doc_count)
        scores[self.deleted] = 0.0
        return _best(scores, limit)

    def impacts(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F impacts) of one term across all segments, cached."""
        key = (field, text)
        with self._cache_lock:
            cached = self._impacts.get(key)
        if cached is None:
            cached = self._read_impacts(field, text)
            with self._cache_lock:
                self._impacts[key] = cached
        return cached

    def cached_terms(self) -> list[tuple[str, str]]:
        """The (field, text) of every term whose impacts are cached."""
        with self._cache_lock:
            return list(self._impacts.keys())

    def warm(self, terms: list[tuple[str, str]], seconds: float = WARM_SECONDS) -> None:
        """Read these terms' impacts into the cache now (as far as it holds them), first come first,
        for ``seconds`` at most: the rest are read when a question first needs them."""
        until = time.perf_counter() + seconds
        for field, text in terms:
            self.impacts(field, text)
            if time.perf_counter() > until:
                break

    def _read_impacts(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        parts = [_postings(leaf, field, text) for leaf, _ in self.leaves]
        if not any(len(ids) for ids, _ in parts):
            return np.empty(0, np.int32), np.empty(0, np.float32)
        ids = np.concatenate([ids + offset for (ids, _), (_, offset) in zip(parts, self.leaves)]).astype(np.int32)
        weights = np.concatenate([weights for _, weights in parts])
        if not self.searcher.schema[field].scorable:
            return ids, weights.astype(np.float32)
        B, K1, average = self._bm25(field)
        # Whoosh's idf (Weighting.idf): its document frequency counts deleted passages' postings too, as ids do
        idf = log(self.doc_count / (len(ids) + 1)) + 1
        relative = self._field_lengths(field)[ids] / average if B else np.zeros(len(ids))
        impacts = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * relative))
        return ids, impacts.astype(np.float32)

    def _bm25(self, field: str) -> tuple[float, float, float]:
        """B, K1 and the average field length the scorer Whoosh would use for the field's terms."""
        if field not in self._parameters:
            weighting = self.weighting
            self._parameters[field] = (weighting._field_B.get(field, weighting.B), weighting.K1,
                                       self.searcher.avg_field_length(field) or 1)
        return self._parameters[field]

    def _field_lengths(self, field: str) -> np.ndarray:
        """Every passage's length in ``field`` as Whoosh stores it (one byte, log-scaled)."""
        if field not in self._lengths:
            lengths = np.zeros(self.doc_count, dtype=np.float32)
            for leaf, offset in self.leaves:
                column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                if column is not None:
                    raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
                    lengths[offset:offset + len(raw)] = _LENGTH_OF_BYTE[raw]
            self._lengths[field] = lengths
        return self._lengths[field]


def _best(scores: np.ndarray, limit: int) -> list[tuple[float, int]]:
    """(score, document number) of the ``limit`` best passages with a score, best first, lower
    number first among equals."""
    # The limit-th best of every SAMPLE_STRIDE-th passage is no better than the limit-th best of
    # all, so every passage that can be among the best scores at least that: a few hundred
    # candidates out of 100,000 to partition, instead of every passage a clause matched.
    sample = scores[::SAMPLE_STRIDE]
    floor = np.partition(sample, len(sample) - limit)[len(sample) - limit] if len(sample) > limit else 0.0
    candidates = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores)
    if len(candidates) > limit:  # keep the best `limit` and everything tied with the last of them
        floor = np.partition(scores[candidates], len(candidates) - limit)[len(candidates) - limit]
        candidates = candidates[scores[candidates] >= floor]
    order = np.lexsort((candidates, -scores[candidates]))[:limit]
    return [(float(scores[d]), int(d)) for d in candidates[order]]


def _postings(leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of one term in one segment, deleted passages included
    (Ranker.deleted zeroes them): the segment's own term reader, one look-up of the term."""
    try:
        matcher = leaf._terms.matcher(field, leaf._text_to_bytes(field, text), leaf.schema[field].format)
    except TermNotFound:
        return np.empty(0, np.int64), np.empty(0)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if hasattr(matcher, "_read_data"):  # W3LeafMatcher: a block of postings at a time (indexer.writing.BLOCK)
        while matcher.is_active():
            matcher._read_data()
            block_ids, block_weights = matcher._data[0], matcher._data[1]  # ids are delta-coded per block
            block = np.asarray(block_ids, dtype=np.int64)
            ids.append(block if matcher._byteids else block.cumsum())
            if block_weights is None or isinstance(block_weights, float):  # every weight 1.0, or all the same
                weights.append(np.full(len(block_ids), 1.0 if block_weights is None else block_weights))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float64))
            matcher._next_block()
    else:  # postings inlined in the term info (a term in one passage)
        while matcher.is_active():
            ids.append(np.asarray([matcher.id()], dtype=np.int64))
            weights.append(np.asarray([matcher.weight()], dtype=np.float64))
            matcher.next()
    if not ids:
        return np.empty(0, np.int64), np.empty(0)
    return np.concatenate(ids), np.concatenate(weights)
