"""The index on disk: generations swapped in atomically, and opening the live one.

Layout of ``HOSAKAN_INDEX_DIR``::

    CURRENT            name of the live generation (replaced atomically with os.replace)
    gen-000007/        a complete Whoosh index (each segment with its flat postings, indexer/postings.py)
                       + manifest.json + records.jsonl + glossary.json

A build writes a new generation beside the live one and only then points CURRENT at it, so a
failed or killed build never touches what is serving.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from cachetools import LRUCache, cached
from pydantic import TypeAdapter
from whoosh import index as whoosh_index

from hosakan.indexer import embeddings
from hosakan.indexer.documents import MAX_SOURCE_BYTES, source_files
from hosakan.indexer.fields import open_index
from hosakan.indexer.gazetteer import Gazetteer
from hosakan.indexer.sources import FOLDER as SOURCES, SOURCES as SOURCES_JSON, SourceInfo
from hosakan.indexer.word_vectors import WordVectors
from hosakan.knowledge.files import Refused, read_bytes
from hosakan.knowledge.glossary import Glossary
from hosakan.knowledge.loader import DEFAULT_DIR, record_files
from hosakan.knowledge.schema import Record
from hosakan.knowledge.sidecar import sidecar_of

FORMAT = "hosakan-index-13"  # bump when analysis, schema or files change: every index is then stale
_RECORD = TypeAdapter(Record)
# Records already read, by the digest of their line in a snapshot, shared by every generation this
# process opens: the next generation of 100,000 passages differs from the last by a record or two.
@cached(LRUCache(maxsize=200_000), key=lambda line: hashlib.sha1(line).digest(), lock=threading.Lock())
def _record_of(line: bytes) -> Record:
    return _RECORD.validate_json(line)


class IndexMissing(RuntimeError):
    """No index has been built yet in the index directory."""


def file_hashes(knowledge_dir: Path) -> dict[str, str]:
    """Content hash of each record file and source document (with its sidecar), by its path under
    the knowledge folder. A file that cannot be read (a link, no permission, too large) is hashed
    by what it is (size, time, mode), so that the build names it and mending it is a change."""
    hashes = {str(p.relative_to(knowledge_dir)): _content(p).hexdigest() for p in record_files(knowledge_dir)}
    for path in source_files(knowledge_dir / SOURCES)[0]:
        digest = _content(path)
        sidecar = sidecar_of(path)
        if sidecar.exists() or sidecar.is_symlink():
            digest.update(b"\0sidecar\0" + _content(sidecar).digest())
        hashes[path.relative_to(knowledge_dir).as_posix()] = digest.hexdigest()
    return hashes


def _content(path: Path):
    """sha256 of a file's bytes, read as the build reads them (never through a link)."""
    try:
        return hashlib.sha256(read_bytes(path, MAX_SOURCE_BYTES, str))
    except Refused:
        try:
            info = os.lstat(path)
            said = f"{info.st_size}:{info.st_mtime_ns}:{info.st_mode}:{info.st_nlink}"
        except OSError:
            said = "missing"
        return hashlib.sha256(f"unread\0{said}".encode())


def glossary_hash(knowledge_dir: Path) -> str:
    path = knowledge_dir / "glossary.yaml"
    return _content(path if path.exists() or path.is_symlink() else DEFAULT_DIR / "glossary.yaml").hexdigest()


def fingerprint(knowledge_dir: Path, hashes: dict[str, str] | None = None) -> str:
    """Hash of everything an index is built from: the record files, the glossary, the format."""
    hashes = file_hashes(knowledge_dir) if hashes is None else hashes
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(hashes):
        digest.update(f"{path}\0{hashes[path]}\0".encode())
    digest.update(glossary_hash(knowledge_dir).encode())
    return digest.hexdigest()


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    path = index_dir / pointer.read_text(encoding="utf-8").strip()
    return path if (path / "manifest.json").exists() else None


def read_manifest(index_dir: Path) -> dict | None:
    generation = current_generation(index_dir)
    if generation is None:
        return None
    return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))


def is_stale(knowledge_dir: Path, index_dir: Path) -> bool:
    manifest = read_manifest(index_dir)
    return manifest is None or manifest.get("fingerprint") != fingerprint(knowledge_dir)


def publish(index_dir: Path, generation: Path) -> None:
    """Point CURRENT at ``generation`` atomically, then drop generations older than the previous one."""
    pointer = index_dir / "CURRENT"
    temporary = index_dir / f".CURRENT.{os.getpid()}"
    temporary.write_text(generation.name, encoding="utf-8")
    os.replace(temporary, pointer)
    generations = sorted(p for p in index_dir.glob("gen-*") if p.is_dir())
    for old in generations[:-2]:
        shutil.rmtree(old, ignore_errors=True)


def next_generation_name(index_dir: Path) -> str:
    suffixes = [p.name.split("-")[1] for p in index_dir.glob("gen-*")]
    numbers = [int(s) for s in suffixes if s.isascii() and s.isdecimal()]
    return f"gen-{max(numbers, default=0) + 1:06d}"


@dataclass
class OpenIndex:
    """The live generation, opened once: Whoosh index, records, glossary and gazetteer."""

    path: Path
    index: whoosh_index.Index
    records: dict
    sources: dict  # id -> SourceInfo
    glossary: Glossary
    gazetteer: Gazetteer
    manifest: dict
    vectors: tuple[list[str], object, str] | None = None  # (passage ids, unit vectors, model), when embedded
    words: WordVectors | None = None  # when embedded by words (a large index)


def load_sources(generation: Path | None) -> list[SourceInfo]:
    """The source documents a generation holds (none before sources existed)."""
    path = generation / "sources.json" if generation else None
    return SOURCES_JSON.validate_json(path.read_bytes()) if path and path.is_file() else []


def load_snapshot(generation: Path) -> tuple[Glossary, list]:
    """The glossary and records a generation was built from."""
    glossary = Glossary.model_validate_json((generation / "glossary.json").read_text(encoding="utf-8"))
    return glossary, [_record_of(line) for line in (generation / "records.jsonl").read_bytes().splitlines()]


def open_current(index_dir: Path) -> OpenIndex:
    generation = current_generation(Path(index_dir))
    if generation is None:
        raise IndexMissing(f"no index in {index_dir}; run `hosakan index` first")
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    glossary, records = load_snapshot(generation)
    sources = load_sources(generation)
    return OpenIndex(
        path=generation,
        index=open_index(generation),
        records={record.id: record for record in records},
        sources={source.id: source for source in sources},
        glossary=glossary,
        gazetteer=Gazetteer.build(records, glossary, sources),
        manifest=manifest,
        vectors=embeddings.read(generation),
        words=WordVectors.read(generation),
    )


def write_snapshot(generation: Path, records, glossary: Glossary, manifest: dict, sources=()) -> None:
    """The records, source documents and glossary the index was built from, so the bot answers
    from the same data."""
    (generation / "records.jsonl").write_bytes(b"".join(_RECORD.dump_json(record) + b"\n" for record in records))
    (generation / "sources.json").write_bytes(SOURCES_JSON.dump_json(list(sources)))
    (generation / "glossary.json").write_text(glossary.model_dump_json(), encoding="utf-8")
    (generation / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
