"""Build a new index generation from the records and swap it in only when the build succeeded."""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from indexer.gazetteer import Gazetteer
from indexer.passages import Passage, passages_of
from indexer.store import FORMAT, fingerprint, next_generation_name, publish, schema, write_snapshot
from knowledge.loader import Problem, load


class BuildFailed(RuntimeError):
    """The records have problems; nothing was changed and the live index keeps serving."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the records")
        self.problems = problems


@dataclass
class BuildSummary:
    generation: Path
    records: int
    passages: int
    seconds: float

    @property
    def passages_per_second(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0


def add_passages(writer, passages, progress: Callable[[int], None] | None = None) -> None:
    for count, passage in enumerate(passages, 1):
        writer.add_document(
            id=passage.id, record_id=passage.record_id, kind=passage.kind,
            attribute=passage.attribute or "", context=passage.context,
            body=passage.text, grams=f"{passage.title} {passage.text}",
            entities=",".join(passage.entities), data=passage.stored(),
        )
        if progress:
            progress(count)


def build(knowledge_dir: Path, index_dir: Path,
          on_start: Callable[[int], None] | None = None,
          progress: Callable[[int], None] | None = None) -> BuildSummary:
    """Validate, cut passages, write a fresh generation, then publish it atomically."""
    started = time.perf_counter()
    base = load(knowledge_dir)
    if not base.ok:
        raise BuildFailed(base.problems)
    gazetteer = Gazetteer.build(base.records, base.glossary)
    passages: list[Passage] = [p for record in base.records for p in passages_of(record, gazetteer)]
    if on_start:
        on_start(len(passages))
    index_dir.mkdir(parents=True, exist_ok=True)
    building = index_dir / f".building-{uuid.uuid4().hex[:8]}"
    building.mkdir()
    try:
        ix = whoosh_index.create_in(str(building), schema())
        writer = ix.writer(limitmb=256)
        try:
            add_passages(writer, passages, progress)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        seconds = time.perf_counter() - started
        manifest = {
            "format": FORMAT, "fingerprint": fingerprint(knowledge_dir),
            "records": len(base.records), "passages": len(passages),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "build_seconds": round(seconds, 3),
        }
        write_snapshot(building, base.records, base.glossary, manifest)
        generation = index_dir / next_generation_name(index_dir)
        building.rename(generation)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    publish(index_dir, generation)
    return BuildSummary(generation, len(base.records), len(passages), seconds)
