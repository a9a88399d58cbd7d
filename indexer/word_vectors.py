"""Passage vectors fast enough for a million passages: a static embedding distilled from the bundled model.

The bundled model embeds about 40 passages a second on two cores: a prefecture's published
documents (a million passages) would take seven hours. Here each distinct word of the index is
embedded once by that model (its vector as a question, ``query:``), and a passage's vector is the
sum of its words' vectors weighted as the ranking weighs them (the posting's weight × idf; the
context field at 0.8), read from the generation's postings, so nothing is analysed twice. The cost
follows the vocabulary, not the passages: words already embedded are kept in the index folder
(``words/``) for every later build, full or incremental, and the sum over a million passages takes
seconds.

A question is read the same way (its words the index knows, by idf) and mixed half and half with
the model's own vector of the question, which carries the words the index does not know (English,
paraphrases). Past ``EXACT_BELOW`` passages, the nearest are found by the sign bits of the centred
vectors (48 bytes a passage, compared by Hamming distance) and only the closest ``SHORTLIST``
compared in full, so a question reads 48 MB at a million passages instead of 1.5 GB.

The generation holds ``words.npy`` (float32, one row per passage number, unit length; deleted
passages zero), ``words-bits.npy`` (the sign bits, one row of passages per 64 dimensions),
``words-table.npy`` (the vectors of the words it uses) and ``words.json`` (model, words, centre).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Callable

import numpy as np

from hosakan.indexer.fields import open_index
from hosakan.indexer.postings import FlatPostings, deleted_passages, term_postings

PREFIX = "words of "  # the model name a generation's word vectors carry: "words of <model>"
FIELDS = {"body": 1.0, "context": 0.8}  # the ranking's text fields and their weights
USE_FROM = 20_000  # passages: a larger index is embedded by its words (the model would take 8 minutes and more)
EXACT_BELOW = 50_000  # passages: a smaller index compares every vector in full
SHORTLIST = 4_000  # passages compared in full after the sign bits, at most
LOT = 512  # words embedded between two saves of the kept table
TABLE = "words"  # in the index folder: every word embedded so far, for the next build
VECTORS, BITS, WORDS, META = "words.npy", "words-bits.npy", "words-table.npy", "words.json"
_CHUNK = 1 << 18  # postings summed at once


def model_of(embedder) -> str:
    return PREFIX + embedder.model


def _is_word(text: str) -> bool:
    """Whether a term is worth a vector: a number says nothing of a passage's meaning."""
    return bool(text) and not text.isdecimal()


class KeptTable:
    """Every word embedded so far for this index folder, by model: read at a build, grown, saved."""

    def __init__(self, index_dir: Path, model: str):
        self.folder, self.model = index_dir / TABLE, model
        self.words: dict[str, int] = {}
        self.vectors = np.empty((0, 384), np.float32)
        try:
            meta = json.loads((self.folder / "table.json").read_text(encoding="utf-8"))
            vectors = np.load(self.folder / "table.npy", allow_pickle=False)
            if meta.get("model") == model and len(meta["words"]) == len(vectors):
                self.words = {word: row for row, word in enumerate(meta["words"])}
                self.vectors = vectors
        except (OSError, ValueError, KeyError):  # none yet, or half written: embedded again
            pass

    def ensure(self, words: list[str], embedder, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed the words not kept yet, LOT at a time, saving after each lot; the count embedded."""
        todo = [word for word in dict.fromkeys(words) if word not in self.words]
        for start in range(0, len(todo), LOT):
            lot = todo[start:start + LOT]
            vectors = np.asarray(embedder.words(lot), dtype=np.float32).reshape(len(lot), -1)
            first = len(self.words)
            self.words.update((word, first + i) for i, word in enumerate(lot))
            self.vectors = np.vstack([self.vectors, vectors]) if len(self.vectors) else vectors
            self._save()
            if progress:
                progress(min(start + LOT, len(todo)), len(todo))
        return len(todo)

    def _save(self) -> None:
        self.folder.mkdir(exist_ok=True)
        np.save(self.folder / "table.npy.part.npy", self.vectors, allow_pickle=False)
        (self.folder / "table.json.part").write_text(
            json.dumps({"model": self.model, "words": list(self.words)}, ensure_ascii=False), encoding="utf-8")
        (self.folder / "table.npy.part.npy").replace(self.folder / "table.npy")
        (self.folder / "table.json.part").replace(self.folder / "table.json")


def _postings(generation: Path) -> tuple[int, list[str], list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """(passage count, words, [(passage numbers, word rows, weights)]) of a generation's text fields,
    term after term, weighted by the field, the posting's weight and the word's idf."""
    ix = open_index(generation)
    reader = ix.reader()
    try:
        count = reader.doc_count_all()
        leaves = list(reader.leaf_readers())
        flats = [FlatPostings.open(leaf) for leaf, _ in leaves]
        words: dict[str, int] = {}
        parts = []
        for field, field_weight in FIELDS.items():
            for btext in list(reader.lexicon(field)):
                text = btext.decode("utf-8")
                if not _is_word(text):
                    continue
                found = [(first + ids.astype(np.int64), weights)
                         for (leaf, first), flat in zip(leaves, flats)
                         for ids, weights in [term_postings(leaf, flat, field, btext)] if len(ids)]
                if not found:
                    continue
                frequency = sum(len(ids) for ids, _ in found)
                idf = math.log(1 + count / (1 + frequency))
                row = words.setdefault(text, len(words))
                for ids, weights in found:
                    parts.append((ids, np.full(len(ids), row, np.int32),
                                  np.asarray(weights, np.float32) * np.float32(field_weight * idf)))
        gone = deleted_passages(leaves)
    finally:
        reader.close()
    if len(gone):
        parts = [(ids, rows, np.where(np.isin(ids, gone), np.float32(0), weights)) for ids, rows, weights in parts]
    return count, list(words), parts


def write(generation: Path, index_dir: Path, embedder,
          progress: Callable[[int, int], None] | None = None) -> int:
    """Store a generation's word vectors (its words embedded where the kept table lacks them);
    the number of words embedded now."""
    count, words, parts = _postings(generation)
    kept = KeptTable(index_dir, embedder.model)
    embedded = kept.ensure(words, embedder, progress)
    table = kept.vectors[[kept.words[word] for word in words]] if words else np.empty((0, 384), np.float32)
    ids = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, np.int64)
    rows = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, np.int32)
    weights = np.concatenate([p[2] for p in parts]) if parts else np.empty(0, np.float32)
    del parts
    order = np.argsort(ids, kind="stable")
    ids, rows, weights = ids[order], rows[order], weights[order]
    del order
    vectors = np.lib.format.open_memmap(generation / VECTORS, mode="w+", dtype=np.float32,
                                        shape=(count, table.shape[1]))
    for start in range(0, len(ids), _CHUNK):
        end = min(len(ids), start + _CHUNK)
        while end < len(ids) and ids[end] == ids[end - 1]:  # a passage's postings stay in one chunk
            end += 1
        chunk = ids[start:end]
        firsts = np.flatnonzero(np.r_[True, chunk[1:] != chunk[:-1]])
        summed = np.add.reduceat(table[rows[start:end]] * weights[start:end, None], firsts, axis=0)
        vectors[chunk[firsts]] += summed
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, lengths, out=vectors, where=lengths > 0)
    centre = vectors[lengths[:, 0] > 0].mean(axis=0) if count else np.zeros(table.shape[1], np.float32)
    np.save(generation / BITS, _bits(vectors, centre), allow_pickle=False)
    vectors.flush()
    del vectors
    np.save(generation / WORDS, table.astype(np.float32), allow_pickle=False)
    (generation / META).write_text(json.dumps(
        {"model": model_of(embedder), "words": words, "centre": centre.tolist()}, ensure_ascii=False), encoding="utf-8")
    return embedded


def _bits(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """The sign bits of the centred vectors: one row of uint64 per 64 dimensions, a column per passage."""
    packed = [np.packbits(vectors[start:start + _CHUNK] - centre > 0, axis=1).view(np.uint64)
              for start in range(0, len(vectors), _CHUNK)]
    if not packed:
        return np.empty((vectors.shape[1] // 64, 0), np.uint64)
    return np.ascontiguousarray(np.vstack(packed).T)


def remove(generation: Path) -> None:
    for name in (VECTORS, BITS, WORDS, META):
        (generation / name).unlink(missing_ok=True)


class WordVectors:
    """A generation's word vectors, mapped read-only (worker processes share the pages)."""

    def __init__(self, model: str, vectors: np.ndarray, bits: np.ndarray, table: np.ndarray,
                 words: list[str], centre: np.ndarray):
        self.model, self.vectors, self.bits, self.table, self.centre = model, vectors, bits, table, centre
        self.rows = {word: row for row, word in enumerate(words)}

    @classmethod
    def read(cls, generation: Path) -> WordVectors | None:
        """The generation's word vectors, or None when it has none."""
        if not (generation / META).is_file():
            return None
        meta = json.loads((generation / META).read_text(encoding="utf-8"))
        return cls(meta["model"], np.load(generation / VECTORS, mmap_mode="r", allow_pickle=False),
                   np.load(generation / BITS, mmap_mode="r", allow_pickle=False),
                   np.load(generation / WORDS, allow_pickle=False), meta["words"],
                   np.asarray(meta["centre"], np.float32))

    def question(self, model_vector: np.ndarray, weighted: dict[str, float]) -> np.ndarray:
        """The question's vector: its known words' (by weight) mixed half and half with the model's."""
        known = [(self.rows[word], weight) for word, weight in weighted.items() if word in self.rows]
        vector = np.asarray(model_vector, np.float32)
        if known:
            mean = np.asarray([w for _, w in known], np.float32) @ self.table[[row for row, _ in known]]
            length = np.linalg.norm(mean)
            if length > 0:
                vector = vector + mean / length
        return vector / max(float(np.linalg.norm(vector)), 1e-9)

    def nearest(self, vector: np.ndarray, limit: int) -> list[tuple[float, int]]:
        """(similarity, passage number) of the ``limit`` nearest passages, nearest first."""
        count = len(self.vectors)
        if not count or limit <= 0:
            return []
        if count < EXACT_BELOW:
            candidates = np.arange(count)
        else:
            candidates = np.sort(self._shortlist(vector, min(SHORTLIST, count)))
        similarity = self.vectors[candidates] @ vector
        best = np.argsort(-similarity, kind="stable")[:limit]
        return [(float(similarity[i]), int(candidates[i])) for i in best if similarity[i] > 0]

    def _shortlist(self, vector: np.ndarray, size: int) -> np.ndarray:
        """The ``size`` passages whose sign bits differ least from the question's."""
        code = np.packbits(vector - self.centre > 0).view(np.uint64)
        distance = np.bitwise_count(self.bits[0] ^ code[0]).astype(np.uint16)
        for row in range(1, len(code)):
            distance += np.bitwise_count(self.bits[row] ^ code[row])
        return np.argpartition(distance, size - 1)[:size] if size < len(distance) else np.arange(len(distance))

    def similarity(self, vector: np.ndarray, docnums: list[int]) -> float | None:
        """The best similarity of the question's vector to these passages."""
        return float((self.vectors[sorted(docnums)] @ vector).max()) if docnums else None
