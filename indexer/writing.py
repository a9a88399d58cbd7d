"""Writing passages into a Whoosh index fast: in memory, and on every core for a large build.

Whoosh's own writer sorts every posting as a tuple, spills runs to disk past its memory limit
and merges them back, then writes postings one call at a time, asking the per-document file for
a field length each time; at 100,000 passages (15 million postings) that was most of a build.
Here a passage's counted terms go straight into per-term arrays (a term's passages come in
order, so nothing is sorted but the terms), and each posting block is written whole, with field
lengths read once per field. The files are Whoosh's own (its W3 codec writes them). A large full
build splits its passages into one share per core: each share is analysed and written as its own
segment by its own process (this one writes the first), and the generation lists the segments in
passage order.
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from hosakan.indexer.fields import Analysed, Counted, open_index, passage_fields
from hosakan.indexer.postings import FlatWriter

BLOCK = 1024  # postings a block: the ranker reads a term's postings a block at a time (Whoosh's default 128)
PARALLEL_FROM = 20_000  # passages: a full build this large is written on every core, one segment per core


class MemoryPool:
    """Postings by field and term, in memory: what ``SegmentWriter`` keeps in its ``PostingPool``."""

    def __init__(self) -> None:
        self.fieldnames: set[str] = set()
        self._fields: dict[str, dict[bytes, list]] = {}  # field -> term -> [docnums, weights, values or None]

    def _terms(self, fieldname: str) -> dict[bytes, list]:
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def _entry(self, fieldname: str, btext: bytes) -> list:
        terms = self._terms(fieldname)
        entry = terms.get(btext)
        if entry is None:
            entry = terms[btext] = [array("q"), array("d"), None]
        return entry

    def add(self, item) -> None:
        """One posting as Whoosh hands it over: (field, term bytes, docnum, weight, value bytes)."""
        fieldname, btext, docnum, weight, value = item
        entry = self._entry(fieldname, btext)
        if value:
            if entry[2] is None:
                entry[2] = [b""] * len(entry[0])
            entry[2].append(value)
        elif entry[2] is not None:
            entry[2].append(b"")
        entry[0].append(docnum)
        entry[1].append(weight)

    def add_counted(self, fieldname: str, docnum: int, counted: Counted, boost: float) -> int:
        """A passage's counted terms of one analysed field; returns the field's length."""
        terms = self._terms(fieldname)
        length = 0
        for text, freq, weight in counted:
            btext = text.encode("utf-8")
            entry = terms.get(btext)
            if entry is None:
                entry = terms[btext] = [array("q"), array("d"), None]
            entry[0].append(docnum)
            entry[1].append(weight * boost)
            length += freq
        return length

    def by_field(self):
        """(field, its terms in order, each as (term, docnums, weights, values)), postings by docnum."""
        for fieldname in sorted(self._fields):
            yield fieldname, self._terms_of(self._fields.pop(fieldname))

    @staticmethod
    def _terms_of(terms: dict):
        for btext in sorted(terms):
            docnums, weights, values = terms.pop(btext)
            if any(later < earlier for earlier, later in zip(docnums, docnums[1:])):  # a merge added older passages
                rows = sorted(zip(docnums, weights, values or [b""] * len(docnums)))
                docnums, weights = array("q", (r[0] for r in rows)), array("d", (r[1] for r in rows))
                values = values and [r[2] for r in rows]
            yield btext, docnums, weights, values

    def save(self) -> None:
        pass

    def cleanup(self) -> None:
        self._fields.clear()


_LENGTH_OF_BYTE = [None] + [byte_to_length(byte) for byte in range(1, 256)]  # as W3PerDocReader reads a length


def _field_lengths(perdoc, fieldname: str, count: int) -> list:
    """Every document's length in one field (None where it has none), read at once."""
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return [0] * count
    return [_LENGTH_OF_BYTE[byte] for byte in column._dbfile.get(column._basepos, column._count)]


def _write_postings(fieldwriter, schema, pool: MemoryPool, perdoc, flat: FlatWriter) -> None:
    """Write the pool's postings block by block, as ``W3FieldWriter.add_postings`` would one by one,
    and each term's postings as flat arrays beside them (indexer/postings.py)."""
    count = perdoc.doc_count_all()
    for fieldname, terms in pool.by_field():
        fieldwriter.start_field(fieldname, schema[fieldname])
        lengths = _field_lengths(perdoc, fieldname, count)
        for btext, docnums, weights, values in terms:
            fieldwriter.start_term(btext)
            postings = fieldwriter._postwriter
            size = postings._blocklimit
            for at in range(0, len(docnums), size):
                if at:
                    postings._write_block()
                ids, block_weights = docnums[at:at + size], weights[at:at + size]
                postings._ids = array("I", ids)
                postings._weights = array("f", block_weights)
                postings._maxweight = max(0, max(block_weights))
                postings._values = [value for value in values[at:at + size] if value] if values else []
                held = [length for length in map(lengths.__getitem__, ids) if length]
                postings._minlength = min(held) if held else None
                postings._maxlength = max(held) if held else 0
            flat.add(postings._startoffset, docnums, weights)  # never inlined: every term has a block
            fieldwriter.finish_term()
        fieldwriter.finish_field()


class Writer(SegmentWriter):
    """A ``SegmentWriter`` with postings in memory, written a block at a time. Its segment is
    plain files, not one compound file: Whoosh reads a compound file by copying each part into
    memory, which doubled the server's RSS."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, compound=False, codec=W3Codec(blocklimit=BLOCK), **kwargs)
        self.pool = MemoryPool()
        self._plan = [(name, self.schema[name], isinstance(self.schema[name], Analysed))
                      for name in sorted(self.schema.names())]

    def add_passage(self, passage) -> None:
        """``add_document`` for one passage, its analysed fields' counted terms straight into the pool."""
        values = passage_fields(passage)
        docnum, pool, perdoc = self.docnum, self.pool, self.perdocwriter
        perdoc.start_doc(docnum)
        for name, field, analysed in self._plan:
            value = values[name]
            if analysed:
                length = pool.add_counted(name, docnum, value, field.format.field_boost)
            else:
                length = 0
                for btext, freq, weight, vbytes in (field.index(value) if field.indexed else ()):
                    length += freq if field.scorable else 0
                    pool.add((name, btext, docnum, weight, vbytes))
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_passages(self, passages, progress: Callable[[int], None] | None = None) -> None:
        for count, passage in enumerate(passages, 1):
            self.add_passage(passage)
            if progress:
                progress(count)

    def _flush_segment(self):
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        flat = FlatWriter(self.storage, self.newsegment)
        _write_postings(self.fieldwriter, self.schema, self.pool, perdoc, flat)
        flat.close()
        self.fieldwriter.close()
        perdoc.close()


def _segment_of(folder: str, passages) -> object:
    """In a worker process: write ``passages`` as one new segment of the index in ``folder``. Its
    temporary files are removed as they are read back; the temporary folder is every writer's
    (Whoosh names it after the index), so the first process's writer removes it when it commits:
    a worker that removed it on finishing first took the other writers' files from under them."""
    writer = Writer(open_index(folder), _lk=False)
    writer.add_passages(passages)
    return writer._finalize_segment()


def write_full(folder: Path, passages: list, progress: Callable[[int], None] | None = None,
               processes: int | None = None) -> None:
    """Write every passage into the new, empty index in ``folder``: one segment per share when the
    build is large (``processes``: how many; None: one per core from PARALLEL_FROM passages)."""
    if processes is None:
        processes = (os.cpu_count() or 1) if len(passages) >= PARALLEL_FROM else 1
    processes = max(1, min(processes, len(passages) // 1_000 or 1))
    ix = open_index(folder)
    writer = Writer(ix)
    if processes == 1:
        try:
            writer.add_passages(passages, progress)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=False, merge=False)
        return
    size = -(-len(passages) // processes)
    shares = [passages[i:i + size] for i in range(0, len(passages), size)]
    # spawn, not fork: the server builds from a thread, and a fork copies other threads' locks
    with ProcessPoolExecutor(len(shares) - 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [pool.submit(_segment_of, str(folder), share) for share in shares[1:]]
        try:
            writer.add_passages(shares[0], progress and (lambda count: progress(count * len(shares))))
            mine = writer._finalize_segment()
            theirs = [job.result() for job in jobs]
        except BaseException:
            for job in jobs:
                job.cancel()
            writer.cancel()
            raise
    if progress:
        progress(len(passages))
    writer._commit_toc([mine, *theirs])
    writer._finish()
