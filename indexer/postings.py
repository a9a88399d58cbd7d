"""Each segment's postings as flat arrays beside Whoosh's own files, read in place through memory maps.

Whoosh's ``.pst`` file holds a term's postings in compressed blocks that only its Python matcher
decodes; at a million passages decoding them was most of a question's time, and every worker
process kept its own decoded copies. Beside each segment the writer (indexer/writing.py) also writes

    MAIN_<segment>.hpi   int64: a magic number, the term count, then each term's offset into
                         ``.pst`` (ascending, as the terms were written) and where its postings
                         start in the two arrays below (one more entry: the end)
    MAIN_<segment>.hpd   int32: segment-local passage numbers, term after term, ascending per term
    MAIN_<segment>.hpw   float32: the postings' weights, as Whoosh stores them

The ranker maps them into memory (``numpy.memmap``): every worker process of a server reads the
same pages of the operating system's cache, and a term's postings are a slice nobody decodes. A
term is found through Whoosh's own term dictionary (its ``TermInfo`` gives the offset into
``.pst``). Whoosh deletes the files with their segment (its pattern ``MAIN_<segment>.*``); a
segment written without them (an index built before them) is read through Whoosh's blocks.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import numpy as np
from whoosh.reading import TermNotFound

INDEX, IDS, WEIGHTS = ".hpi", ".hpd", ".hpw"
MAGIC = 0x48_4F_53_41_4B_41_4E_31  # "HOSAKAN1"


class FlatWriter:
    """Writes one segment's flat postings as its terms are written, term after term, in chunks."""

    CHUNK = 1 << 20  # postings gathered before they are converted and written

    def __init__(self, storage, segment):
        self._segment, self._storage = segment, storage
        self._ids = segment.create_file(storage, IDS)
        self._weights = segment.create_file(storage, WEIGHTS)
        self._offsets = array("q")
        self._starts = array("q", [0])
        self._pending_ids, self._pending_weights = array("q"), array("d")

    def add(self, offset: int, docnums: array, weights: array) -> None:
        """One term's postings (``docnums`` ascending), found later by ``offset`` into ``.pst``."""
        self._offsets.append(offset)
        self._starts.append(self._starts[-1] + len(docnums))
        self._pending_ids.extend(docnums)
        self._pending_weights.extend(weights)
        if len(self._pending_ids) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        self._ids.write(np.frombuffer(self._pending_ids, dtype=np.int64).astype("<i4").tobytes())
        self._weights.write(np.frombuffer(self._pending_weights, dtype=np.float64).astype("<f4").tobytes())
        self._pending_ids, self._pending_weights = array("q"), array("d")

    def close(self) -> None:
        self._flush()
        self._ids.close()
        self._weights.close()
        index = self._segment.create_file(self._storage, INDEX)
        header = np.asarray([MAGIC, len(self._offsets)], dtype="<i8")
        index.write(header.tobytes() + np.frombuffer(self._offsets, np.int64).astype("<i8").tobytes()
                    + np.frombuffer(self._starts, np.int64).astype("<i8").tobytes())
        index.close()


class FlatPostings:
    """One segment's flat postings, mapped read-only."""

    def __init__(self, offsets: np.ndarray, starts: np.ndarray, ids: np.ndarray, weights: np.ndarray):
        self.offsets, self.starts, self.ids, self.weights = offsets, starts, ids, weights

    @classmethod
    def open(cls, leaf) -> FlatPostings | None:
        """The segment's flat postings, or None when it has none (or they do not match it)."""
        folder = getattr(leaf.storage(), "folder", None)
        segment = leaf.segment()
        if folder is None or getattr(segment, "compound", False):
            return None
        paths = [Path(folder) / segment.make_filename(ext) for ext in (INDEX, IDS, WEIGHTS)]
        if not all(path.is_file() for path in paths):
            return None
        index = _mapped(paths[0], "<i8")
        if len(index) < 3 or index[0] != MAGIC:
            return None
        count = int(index[1])
        offsets, starts = index[2:2 + count], index[2 + count:3 + 2 * count]
        ids, weights = _mapped(paths[1], "<i4"), _mapped(paths[2], "<f4")
        if len(starts) != count + 1 or len(ids) != len(weights) or (count and starts[-1] != len(ids)):
            return None
        return cls(offsets, starts, ids, weights)

    def postings(self, offset: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(segment-local passage numbers, weights) of the term whose postings start at ``offset``
        in ``.pst``: slices of the maps, nothing copied."""
        at = int(np.searchsorted(self.offsets, offset))
        if at >= len(self.offsets) or self.offsets[at] != offset:
            return None
        start, end = int(self.starts[at]), int(self.starts[at + 1])
        return self.ids[start:end], self.weights[start:end]


def _mapped(path: Path, dtype: str) -> np.ndarray:
    if path.stat().st_size < np.dtype(dtype).itemsize:
        return np.empty(0, dtype)
    return np.memmap(path, dtype=dtype, mode="r")


def deleted_passages(leaves) -> np.ndarray:
    """The index-wide numbers of the deleted passages of a reader's ``leaf_readers()``."""
    return np.asarray([first + d for leaf, first in leaves if leaf.has_deletions()
                       for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)], dtype=np.int64)


def term_postings(leaf, flat: FlatPostings | None, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(segment-local passage numbers, weights) of one term in one segment, deleted passages
    included: slices of the flat postings where the segment has them, else read through Whoosh."""
    try:
        info = leaf._terms.term_info(field, btext)
    except TermNotFound:
        return np.empty(0, np.int64), np.empty(0)
    found = flat.postings(info._offset) if flat is not None and not info.is_inlined() else None
    return found if found is not None else _blocks(leaf, field, btext)


def _blocks(leaf, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of one term in one segment read through Whoosh's blocks (a
    segment without flat postings), deleted passages included."""
    try:
        matcher = leaf._terms.matcher(field, btext, leaf.schema[field].format)
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
