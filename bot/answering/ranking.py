"""BM25F ranking over Whoosh's own postings, term at a time, with numpy.

Whoosh's searcher scores one posting at a time through a tree of Python matcher objects; with
100,000 passages a question's common terms (a role, 報酬, the record kind) match tens of thousands
of passages each, and that is where an answer's time went. Here each term's postings are read as
flat arrays mapped from disk (indexer/postings.py; a segment without them through Whoosh's blocks),
turned into BM25F impacts with the searcher's own statistics (the same formula, idf, B, K1 and
average field length Whoosh's BM25F scorer uses), and added into one score per passage. The scores
are the ones ``searcher.search(Or(terms))`` gives (to float32 precision).

Pruning as MaxScore does (each term's largest impact bounding what the long lists can still add,
the long lists looked up only in the passages that can reach the best ``limit``) was tried at a
million generated passages and did not pay: questions hold 30–130 clauses of comparable weight, so
the bound stays near the floor and most passages stay candidates (ranking p50 23 ms pruned, 21 ms
in full; with exact bounds 23 ms). What made the step faster was reading postings in place.

Whoosh 2.7.4 (pinned, no longer released) has no public block-level API, so the reader below uses
a segment's own term reader and its ``W3LeafMatcher`` block methods; tests/test_ranking.py compares
every score with Whoosh's own and fails if those internals change.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from math import log

import numpy as np
from cachetools import LRUCache
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import _length_byte_cache

from hosakan.indexer.postings import FlatPostings, deleted_passages, term_postings

WARM_SECONDS = 1.0  # a new index's warm-up reads the old one's cached terms for this long at most
CACHE_BYTES = 48 * 2**20  # impacts kept between questions, per process: ids (int32) and impacts (float32); at
# 1,000,000 passages answers were as fast with 32 MB as with 96 (the postings themselves are mapped)
TERMS_KEPT = 50_000  # terms whose postings (slices of the maps) are remembered between questions
SAMPLE_STRIDE = 16  # every 16th passage's score bounds the best ones from below (_best)
_LENGTH_OF_BYTE = np.asarray(_length_byte_cache, dtype=np.float32)


@dataclass(frozen=True)
class Clause:
    """One weighted term of a question: ``boost`` × BM25F(field, text)."""

    field: str
    text: str
    boost: float


@dataclass(frozen=True)
class Postings:
    """One term's postings in every segment that has it."""

    parts: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # (first passage number, local ids, weights)
    count: int  # document frequency, deleted passages included (as Whoosh counts it)


_NONE = Postings((), 0)


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
        self.flat = [FlatPostings.open(leaf) for leaf, _ in self.leaves]
        self.deleted = deleted_passages(self.leaves)
        self._lengths: dict[str, np.ndarray] = {}
        self._parameters: dict[str, tuple[float, float, float]] = {}
        self._impacts: LRUCache = LRUCache(maxsize=cache_bytes, getsizeof=lambda pair: pair[0].nbytes + pair[1].nbytes)
        self._postings: LRUCache = LRUCache(maxsize=TERMS_KEPT)
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

    def holds(self, field: str, text: str, docnums: list[int]) -> bool:
        """Whether any of these passages holds the term in the field."""
        wanted = np.asarray(docnums, dtype=np.int64)
        for first, ids, _ in self.postings(field, text).parts:
            local = wanted - first
            at = np.searchsorted(ids, local)
            inside = at < len(ids)
            if (ids[at[inside]] == local[inside]).any():
                return True
        return False

    def postings(self, field: str, text: str) -> Postings:
        """One term's postings in every segment, remembered (slices of the maps: no copies)."""
        key = (field, text)
        with self._cache_lock:
            found = self._postings.get(key)
        if found is None:
            found = self._read_postings(field, text)
            with self._cache_lock:
                self._postings[key] = found
        return found

    def impacts(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F impacts) of one term across all segments, cached."""
        key = (field, text)
        with self._cache_lock:
            cached = self._impacts.get(key)
        if cached is None:
            postings = self.postings(field, text)
            if not postings.count:
                cached = np.empty(0, np.int32), np.empty(0, np.float32)
            else:
                ids = np.concatenate([local.astype(np.int32) + first for first, local, _ in postings.parts])
                weights = np.concatenate([weights for _, _, weights in postings.parts])
                cached = ids, self._impacts_of(field, postings.count, ids, weights)
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

    def _impacts_of(self, field: str, count: int, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """BM25F impacts (float32) of a term held ``count`` times, in these passages with these weights."""
        if not self.searcher.schema[field].scorable:
            return weights.astype(np.float32)
        weights = weights.astype(np.float64)
        B, K1, average = self._bm25(field)
        # Whoosh's idf (Weighting.idf): its document frequency counts deleted passages' postings too, as ids do
        idf = log(self.doc_count / (count + 1)) + 1
        relative = self._field_lengths(field)[ids] / average if B else np.zeros(len(ids))
        impacts = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * relative))
        return impacts.astype(np.float32)

    def _read_postings(self, field: str, text: str) -> Postings:
        parts, count = [], 0
        for (leaf, first), flat in zip(self.leaves, self.flat):
            btext = leaf._text_to_bytes(field, text)
            ids, weights = term_postings(leaf, flat, field, btext)
            if len(ids):
                parts.append((first, ids, weights))
                count += len(ids)
        return Postings(tuple(parts), count) if count else _NONE

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
