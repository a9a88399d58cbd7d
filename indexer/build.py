"""Build a new index generation from the records and swap it in only when the build succeeded.

A build is incremental when it can be: record files are compared by content hash with those the
live generation was built from; when only a few changed, the live generation is copied and only
their passages are replaced. One build runs at a time (a lock file in the index directory); a
build killed half-way leaves a `.building-*` folder that the next build removes.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from filelock import FileLock, Timeout
from whoosh import index as whoosh_index

from hosakan.indexer import embeddings, sentences, word_vectors
from hosakan.indexer.documents import Unreadable, read as read_document, source_files
from hosakan.indexer.fields import open_index, schema
from hosakan.indexer.gazetteer import Gazetteer
from hosakan.indexer.passages import Passage, passages_of
from hosakan.indexer.sources import FOLDER as SOURCES, SourceInfo, info_of, passages_of_source, source_id
from hosakan.indexer.store import (
    FORMAT,
    current_generation,
    file_hashes,
    fingerprint,
    glossary_hash,
    load_snapshot,
    load_sources,
    next_generation_name,
    publish,
    read_manifest,
    write_snapshot,
)
from hosakan.indexer.writing import Writer, write_full
from hosakan.knowledge.files import shown
from hosakan.knowledge.loader import MAX_RECORD_BYTES, Problem, load, load_record
from hosakan.knowledge.sentences import duplicate_id

INCREMENTAL_SHARE = 0.2  # above this share of changed files a full build is faster
OPTIMIZE_BELOW = 2_000  # passages: below this an incremental build also merges the index into one segment


class BuildFailed(RuntimeError):
    """The records have problems; nothing was changed and the live index keeps serving."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the records")
        self.problems = problems


class BuildBusy(RuntimeError):
    """Another build holds the lock."""


def disk_full(error: OSError) -> bool:
    """Whether a build stopped because the disk is full: ENOSPC itself, or among the errors
    ``shutil.copytree`` gathered (an incremental build copies the live generation)."""
    if error.errno == errno.ENOSPC:
        return True
    details = error.args[0] if isinstance(error, shutil.Error) and error.args else []
    return isinstance(details, list) and any(os.strerror(errno.ENOSPC) in str(detail) for detail in details)


@dataclass
class BuildSummary:
    generation: Path
    records: int
    passages: int
    seconds: float
    mode: str = "full"  # full | incremental | unchanged
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    sources: int = 0
    skipped: list[Problem] = field(default_factory=list)  # source documents that could not be read, and why
    embedded: int = 0  # texts embedded by this build (words, where the passages are embedded by their words)
    resumed: int = 0  # texts whose vectors a stopped build had embedded and saved, used instead

    @property
    def passages_per_second(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0

    @property
    def changes(self) -> str:
        if self.mode == "unchanged":
            return sentences.NOTHING_CHANGED
        if self.mode == "full" and not (self.added or self.changed or self.removed):
            return sentences.ALL_REBUILT
        return sentences.build_changes(self.mode == "incremental",
                                       {"added": self.added, "changed": self.changed, "removed": self.removed})


def _plan(knowledge_dir: Path, index_dir: Path, hashes: dict[str, str], full: bool, model: str | None):
    """("full" | "incremental" | "unchanged", previous manifest, added, changed, removed)."""
    manifest = read_manifest(index_dir)
    if full or manifest is None or manifest.get("format") != FORMAT or "files" not in manifest \
            or manifest.get("glossary") != glossary_hash(knowledge_dir) \
            or manifest.get("semantic") not in ({model, word_vectors.PREFIX + model} if model else {None}):
        return "full", manifest, [], [], []
    before = {path: entry["hash"] for path, entry in manifest["files"].items()}
    added = sorted(set(hashes) - set(before))
    removed = sorted(set(before) - set(hashes))
    changed = sorted(p for p in set(hashes) & set(before) if hashes[p] != before[p])
    touched = len(added) + len(changed) + len(removed)
    if touched == 0:
        return "unchanged", manifest, [], [], []
    if touched > INCREMENTAL_SHARE * max(1, len(hashes)):
        return "full", manifest, added, changed, removed
    return "incremental", manifest, added, changed, removed


def build(knowledge_dir: Path, index_dir: Path,
          on_start: Callable[[int], None] | None = None,
          progress: Callable[[int], None] | None = None,
          *, full: bool = False, wait: float = 600.0, processes: int | None = None,
          on_wait: Callable[[], None] | None = None, semantic: bool | None = None,
          on_embed: Callable[[int, int, str], None] | None = None,
          max_record_bytes: int = MAX_RECORD_BYTES, words_from: int = word_vectors.USE_FROM) -> BuildSummary:
    """Validate, cut passages, write a fresh generation, then publish it atomically. ``semantic``:
    embed the passages too (None: when the semantic extra is installed), by the model, or by their
    words from ``words_from`` passages on (indexer/word_vectors.py); ``on_embed(done, total, unit)``
    follows the embedding, ``unit`` "passages" or "words"."""
    knowledge_dir, index_dir = Path(knowledge_dir), Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait:
            on_wait()
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise BuildBusy(f"another `hosakan index` is still running on {index_dir}") from None
    try:
        for debris in index_dir.glob(".building-*"):  # left by a build that was killed
            shutil.rmtree(debris, ignore_errors=True)
        embedder = embeddings.load_embedder() if semantic is not False else None
        if semantic and embedder is None:
            raise RuntimeError("semantic search needs the semantic extra: pip install 'hosakan[semantic]'")
        return _build(knowledge_dir, index_dir, on_start, progress, full, processes, embedder, on_embed,
                      max_record_bytes, words_from)
    finally:
        lock.release()


def _build(knowledge_dir, index_dir, on_start, progress, full, processes, embedder, on_embed,
           max_bytes: int, words_from: int) -> BuildSummary:
    started = time.perf_counter()
    hashes = file_hashes(knowledge_dir)
    mode, manifest, added, changed, removed = _plan(knowledge_dir, index_dir, hashes, full, embedder and embedder.model)
    refused = source_files(knowledge_dir / SOURCES)[1]  # links and the like, named at every build
    if mode == "unchanged":
        generation = current_generation(index_dir)
        return BuildSummary(
            generation, manifest["records"], manifest["passages"], time.perf_counter() - started, mode,
            sources=manifest.get("sources", 0), skipped=refused + _still_skipped(knowledge_dir, manifest),
        )
    if mode == "incremental":
        work = _incremental(knowledge_dir, index_dir, manifest, added, changed, removed, hashes, max_bytes)
    else:
        work = _full(knowledge_dir, hashes, max_bytes)
    records, sources, glossary, passages, deleted_ids, unread = work
    if mode == "incremental":  # the documents left out before and not touched since are still left out
        unread = _still_skipped(knowledge_dir, manifest, {*added, *changed, *removed}) + unread
    skipped = refused + unread
    before = {s.id: s for s in load_sources(current_generation(index_dir))}
    for source in sources:  # when its content was first read: what `hosakan report` compares with reviews
        earlier = before.get(source.id)
        source.seen = earlier.seen if earlier and earlier.sha256 == source.sha256 and earlier.seen \
            else time.strftime("%Y-%m-%d")
    if on_start:
        on_start(len(passages))
    building = index_dir / f".building-{uuid.uuid4().hex[:8]}"
    try:
        if mode == "incremental":
            shutil.copytree(current_generation(index_dir), building)
            ix = open_index(building)
            writer = Writer(ix)
            try:
                for record_id in deleted_ids:
                    writer.delete_by_term("record_id", record_id)
                writer.add_passages(passages, progress)
            except BaseException:
                writer.cancel()
                raise
            # An incremental commit adds a segment, and every segment adds a read per term when
            # the ranker first meets the term; a small index is merged back into one segment
            # (cheap), a large one only merges its small segments (Whoosh's default policy).
            writer.commit(optimize=ix.doc_count() < OPTIMIZE_BELOW)
        else:
            building.mkdir()
            ix = whoosh_index.create_in(str(building), schema())
            write_full(building, passages, progress, processes)
        total = ix.doc_count()
        by_words = embedder is not None and total >= words_from
        embedded, resumed = _embed(building, current_generation(index_dir), None if by_words else embedder,
                                   passages, deleted_ids, _following(on_embed, "passages"))
        word_vectors.remove(building)  # an incremental build copied the live generation's
        if by_words:
            embedded = word_vectors.write(building, index_dir, embedder, _following(on_embed, "words"))
        seconds = time.perf_counter() - started
        ids = {str(record.path.relative_to(knowledge_dir)): record.id for record in records if record.path}
        ids.update({path: source_id(path.removeprefix(f"{SOURCES}/"))
                    for path in hashes if path.startswith(f"{SOURCES}/")})
        files = {path: {"hash": digest, "id": ids.get(path) or manifest["files"][path]["id"]}
                 for path, digest in hashes.items()}
        write_snapshot(building, records, glossary, {
            "format": FORMAT, "fingerprint": fingerprint(knowledge_dir, hashes),
            "glossary": glossary_hash(knowledge_dir),
            "records": len(records), "sources": len(sources), "passages": total, "files": files,
            "semantic": embedder and (word_vectors.model_of(embedder) if by_words else embedder.model),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "build_seconds": round(seconds, 3), "mode": mode,
            "skipped": [[_relative(knowledge_dir, p.path), p.message] for p in unread],
        }, sources)
        generation = index_dir / next_generation_name(index_dir)
        building.rename(generation)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    publish(index_dir, generation)
    if embedder:
        embeddings.forget_saved(index_dir)
    return BuildSummary(generation, len(records), total, seconds, mode, added, changed, removed, len(sources), skipped,
                        embedded, resumed)


def _following(on_embed, unit: str) -> Callable[[int, int], None] | None:
    """``on_embed`` told what it follows (passages or words), for a step that reports (done, total)."""
    return (lambda done, total: on_embed(done, total, unit)) if on_embed else None


def _embed(building: Path, previous: Path | None, embedder, passages: list[Passage], deleted_ids: list[str],
           on_embed) -> tuple[int, int]:
    """Store the passages' vectors in the generation: the kept passages' copied from the live
    generation (an incremental build), the new ones' taken from it where it embedded the same
    text (a full build too) or from what a stopped build saved, and only the rest embedded now;
    (texts embedded, texts whose vectors came from a stopped build)."""
    copied = (building / embeddings.IDS).exists()  # an incremental build copied the live files
    stored = building if copied else previous
    found = embeddings.read(stored) if embedder and stored else None
    same = found is not None and found[2] == embedder.model
    keys = embeddings.keys_of(stored) if same else []
    for name in (embeddings.VECTORS, embeddings.IDS):
        (building / name).unlink(missing_ok=True)
    if embedder is None:
        return 0, 0
    known = {key: found[1][row] for row, key in enumerate(keys) if key}
    ids, vectors, kept_keys = [], np.empty((0, 0), dtype=np.float32), []
    if same and copied:
        gone = {f"{record_id}#" for record_id in deleted_ids}
        rows = [i for i, passage_id in enumerate(found[0]) if passage_id[:passage_id.index("#") + 1] not in gone]
        ids, vectors, kept_keys = [found[0][i] for i in rows], found[1][rows], [keys[i] for i in rows]
    texts = [embeddings.passage_text(p) for p in passages]
    new_keys = [embeddings.text_key(text) for text in texts]
    earlier = {key: vector for key, vector in embeddings.saved(building.parent, embedder.model).items()
               if key not in known}
    known.update(earlier)
    todo = {key: text for key, text in zip(new_keys, texts) if key not in known}
    known.update(embeddings.embed_saving(embedder, building.parent, todo, on_embed))
    fresh = np.stack([known[key] for key in new_keys]) if passages else np.empty((0, 0), dtype=np.float32)
    vectors = np.vstack([v for v in (vectors, fresh) if v.size]) if (vectors.size or fresh.size) else fresh
    embeddings.write(building, ids + [p.id for p in passages], vectors, embedder.model, kept_keys + new_keys)
    return len(todo), len(earlier.keys() & set(new_keys))


def read_source(knowledge_dir: Path, relative: str, gazetteer: Gazetteer, max_bytes: int | None = None):
    """(SourceInfo, passages) of one source document (``relative``: under knowledge/sources);
    raises Unreadable with why it cannot be read."""
    path = knowledge_dir / SOURCES / relative
    document = read_document(path) if max_bytes is None else read_document(path, max_bytes=max_bytes)
    info = info_of(document, relative)
    return info, passages_of_source(info, document, gazetteer)


def _sources(knowledge_dir: Path, relatives: list[str], gazetteer: Gazetteer):
    """(infos, passages, problems) of the source documents given; one that cannot be read is
    named with why and left out, the rest are indexed."""
    infos, passages, problems = [], [], []
    for relative in relatives:
        try:
            info, found = read_source(knowledge_dir, relative, gazetteer)
        except Unreadable as error:
            problems.append(Problem(Path(shown(knowledge_dir / SOURCES / relative)), sentences.SOURCE_FIELD,
                                    error.reason))
            continue
        infos.append(info)
        passages.extend(found)
    return infos, passages, problems


def unreadable_sources(knowledge_dir: Path) -> list[Problem]:
    """Every source document that cannot be read or is not read (a link, not a plain file), with
    why (for `hosakan validate`)."""
    files, problems = source_files(knowledge_dir / SOURCES)
    for path in files:
        try:
            read_document(path)
        except Unreadable as error:
            problems.append(Problem(Path(shown(path)), sentences.SOURCE_FIELD, error.reason))
    return problems


def _relative(knowledge_dir: Path, path: Path) -> str:
    """A skipped document's path under the knowledge folder (as the manifest's files are keyed)."""
    try:
        return path.relative_to(Path(shown(knowledge_dir))).as_posix()
    except ValueError:
        return str(path)


def _still_skipped(knowledge_dir: Path, manifest: dict, touched: set[str] = frozenset()) -> list[Problem]:
    """The source documents the live generation's build left out, and why, but those touched since."""
    return [Problem(Path(shown(knowledge_dir)) / path, sentences.SOURCE_FIELD, message)
            for path, message in manifest.get("skipped", []) if path not in touched]


def _source_paths(hashes: dict[str, str]) -> list[str]:
    """The source documents a build reads (under knowledge/sources), from its file hashes."""
    return sorted(path.removeprefix(f"{SOURCES}/") for path in hashes if path.startswith(f"{SOURCES}/"))


def _full(knowledge_dir: Path, hashes: dict[str, str], max_bytes: int):
    base = load(knowledge_dir, max_bytes)
    if not base.ok:
        raise BuildFailed(base.problems)
    gazetteer = Gazetteer.build([], base.glossary)  # passages are tagged with roles and forms only
    passages: list[Passage] = [p for record in base.records for p in passages_of(record, gazetteer)]
    infos, found, skipped = _sources(knowledge_dir, _source_paths(hashes), gazetteer)
    return base.records, infos, base.glossary, passages + found, [], skipped


def _incremental(knowledge_dir: Path, index_dir: Path, manifest: dict, added, changed, removed, hashes,
                 max_bytes: int):
    """Only the added and changed files are read; the rest comes from the live generation."""
    glossary, previous = load_snapshot(current_generation(index_dir))
    old_ids = {manifest["files"][path]["id"] for path in changed + removed}
    kept = [record for record in previous if record.id not in old_ids]
    kept_sources: list[SourceInfo] = [s for s in load_sources(current_generation(index_dir)) if s.id not in old_ids]
    fresh_sources = [p.removeprefix(f"{SOURCES}/") for p in added + changed if p.startswith(f"{SOURCES}/")]
    added = [p for p in added if not p.startswith(f"{SOURCES}/")]
    changed = [p for p in changed if not p.startswith(f"{SOURCES}/")]
    taken = {record.id: f"(unchanged record {record.id})" for record in kept}
    fresh, problems = [], []
    for path in added + changed:
        record, found = load_record(knowledge_dir / path, glossary, max_bytes)
        problems.extend(found)
        if record is None:
            continue
        if record.id in taken:
            problems.append(Problem(knowledge_dir / path, "id", duplicate_id(record.id, taken[record.id])))
            continue
        taken[record.id] = path
        fresh.append(record)
    if problems:
        raise BuildFailed(problems)
    for record in kept:  # paths for the manifest; unchanged files keep their old entries
        record.path = None
    gazetteer = Gazetteer.build([], glossary)
    passages = [p for record in fresh for p in passages_of(record, gazetteer)]
    infos, found, skipped = _sources(knowledge_dir, fresh_sources, gazetteer)
    return kept + fresh, kept_sources + infos, glossary, passages + found, sorted(old_ids), skipped
