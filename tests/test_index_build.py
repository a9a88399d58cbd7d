"""Index builds: a fresh generation swapped in only on success; failures leave the live one serving."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest

from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from hosakan.indexer.build import BuildFailed, build
from hosakan.indexer.store import current_generation, is_stale, read_manifest
from tests.support.knowledge import KNOWLEDGE


def test_a_build_publishes_a_new_generation_and_keeps_one_previous(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    first = build(knowledge_copy, index_dir)
    assert first.records == 19 and first.passages > 150
    assert current_generation(index_dir) == first.generation
    second = build(knowledge_copy, index_dir, full=True)
    third = build(knowledge_copy, index_dir, full=True)
    assert current_generation(index_dir) == third.generation
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [second.generation.name, third.generation.name]
    assert not list(index_dir.glob(".building-*"))


def test_a_broken_record_stops_the_build_and_the_old_index_keeps_answering(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir)
    live = current_generation(index_dir)
    bot = LiveIndex(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir))
    record = knowledge_copy / "cases" / "ozu-city-cdo-hosakan.md"
    record.write_text(record.read_text(encoding="utf-8").replace("reading: おおずし", "reading: OZU"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(knowledge_copy, index_dir)
    assert [(p.path.name, p.field) for p in failure.value.problems] == [("ozu-city-cdo-hosakan.md", "reading")]
    assert current_generation(index_dir) == live
    assert "273,800円" in bot.ask("大洲市のCDO補佐官の報酬は？").direct_answer
    reopened = LiveIndex(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir))
    assert reopened.index.path == live


def test_a_crash_mid_build_leaves_no_debris_and_the_live_index_untouched(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir)
    live = current_generation(index_dir)

    def crash(done: int) -> None:
        if done == 50:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(knowledge_copy, index_dir, progress=crash, full=True)
    assert current_generation(index_dir) == live
    assert not list(index_dir.glob(".building-*"))
    assert build(knowledge_copy, index_dir, full=True).generation != live


def test_staleness_follows_the_record_files(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    assert is_stale(knowledge_copy, index_dir)
    build(knowledge_copy, index_dir)
    assert not is_stale(knowledge_copy, index_dir)
    (knowledge_copy / "cases" / "inzai-city-cio-hosakan.md").unlink()
    assert is_stale(knowledge_copy, index_dir)
    build(knowledge_copy, index_dir)
    assert read_manifest(index_dir)["records"] == 18


def test_a_new_record_is_searchable_after_a_rebuild(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    (knowledge_copy / "cases" / "kiyose-city-cio.md").write_text("""---
id: kiyose-city-cio
kind: case
title: 清瀬市 CIO補佐官の募集（テスト）
municipality: 清瀬市
prefecture: 東京都
reading: きよせし
roles: [CIO補佐官]
term: 任期2年
reviewed: 2026-11-23
as_of: 2024-04
source:
  title: テスト
---
## 概要
清瀬市がCIO補佐官を任期2年で募集した。
""", encoding="utf-8")
    build(knowledge_copy, index_dir)
    answer = LiveIndex(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir)).ask("清瀬市のCIO補佐官の任期は？")
    assert answer.direct_answer == "【清瀬市】任期2年〔2024年4月時点〕"


def _edit(path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_added_changed_and_removed_records_are_applied_incrementally(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    first = build(knowledge_copy, index_dir)
    assert first.mode == "full"
    assert build(knowledge_copy, index_dir).mode == "unchanged"
    _edit(knowledge_copy / "cases" / "ozu-city-cdo-hosakan.md", "月額 273,800円", "月額 300,000円")
    (knowledge_copy / "cases" / "inzai-city-cio-hosakan.md").unlink()
    (knowledge_copy / "cases" / "kiyose-city-cio.md").write_text(
        (knowledge_copy / "cases" / "osaka-pref-cio-hosakan.md").read_text(encoding="utf-8")
        .replace("id: osaka-pref-cio-hosakan", "id: kiyose-city-cio").replace("大阪府", "清瀬市")
        .replace("reading: おおさかふ", "reading: きよせし").replace("prefecture: 清瀬市", "prefecture: 東京都"),
        encoding="utf-8")
    summary = build(knowledge_copy, index_dir)
    assert summary.mode == "incremental"
    assert (summary.added, summary.changed, summary.removed) == (
        ["cases/kiyose-city-cio.md"], ["cases/ozu-city-cdo-hosakan.md"], ["cases/inzai-city-cio-hosakan.md"])
    assert "追加1件" in summary.changes and "削除1件" in summary.changes
    bot = LiveIndex(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir))
    assert "300,000円" in bot.ask("大洲市のCDO補佐官の報酬は？").direct_answer
    assert not any(h.record_id == "inzai-city-cio-hosakan" for h in bot.ask("印西市のCIO補佐官の報酬").hits)
    assert bot.ask("清瀬市のCIO補佐官の年収").hits[0].record_id == "kiyose-city-cio"
    full = build(knowledge_copy, tmp_path / "full", full=True)
    assert (summary.records, summary.passages) == (full.records, full.passages)


def test_an_incremental_build_still_rejects_a_duplicate_id(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir)
    live = current_generation(index_dir)
    (knowledge_copy / "cases" / "copy.md").write_text(
        (knowledge_copy / "cases" / "mie-pref-cdo.md").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(knowledge_copy, index_dir)
    assert [p.field for p in failure.value.problems] == ["id"]
    assert current_generation(index_dir) == live


def test_two_builds_at_once_take_turns(knowledge_copy, tmp_path):
    import threading

    from hosakan.indexer.build import BuildBusy

    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir)
    started, release = threading.Event(), threading.Event()

    def slow(done: int) -> None:
        if done == 1:
            started.set()
            release.wait(30)

    first = threading.Thread(target=build, args=(knowledge_copy, index_dir), kwargs={"progress": slow, "full": True})
    first.start()
    assert started.wait(30)
    with pytest.raises(BuildBusy, match="still running"):
        build(knowledge_copy, index_dir, full=True, wait=0)
    waited = []
    second = threading.Thread(target=lambda: waited.append(build(knowledge_copy, index_dir, full=True, wait=30,
                                                                  on_wait=lambda: waited.append("waiting"))))
    second.start()
    time.sleep(0.3)
    release.set()
    first.join(30)
    second.join(30)
    assert waited[0] == "waiting" and waited[1].mode == "full"
    assert current_generation(index_dir) == waited[1].generation
    assert LiveIndex(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir)).ask(
        "大阪府のCIO補佐官の任期は？").answered


def test_a_killed_build_leaves_the_serving_index_and_the_next_build_clean(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from bench.generate import generate

    knowledge = generate(3_000, tmp_path / "knowledge")
    index_dir = tmp_path / "index"
    build(knowledge, index_dir, semantic=False)  # lexical: what is killed is the build, not the embedding
    live = current_generation(index_dir)
    env = {**os.environ, "HOSAKAN_KNOWLEDGE_DIR": str(knowledge), "HOSAKAN_INDEX_DIR": str(index_dir),
           "HOSAKAN_SEMANTIC": "false"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "hosakan"), "index", "--full"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list(index_dir.glob(".building-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert current_generation(index_dir) == live  # killed before it could publish
    bot = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=index_dir, semantic=False))
    assert bot.index.path == live and bot.ask("CIO補佐官の報酬").answered
    rebuilt = build(knowledge, index_dir, full=True, semantic=False)
    assert not list(index_dir.glob(".building-*"))
    assert current_generation(index_dir) == rebuilt.generation


def test_a_serving_bot_swaps_to_a_new_index_without_failing_a_question(knowledge_copy, tmp_path):
    import threading

    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir)
    bot = LiveIndex(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir))
    seen, errors, stop = [], [], threading.Event()

    def ask_in_a_loop() -> None:
        while not stop.is_set():
            try:
                seen.append((time.monotonic(), bot.ask("大洲市のCDO補佐官の報酬は？").direct_answer))
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)

    workers = [threading.Thread(target=ask_in_a_loop) for _ in range(2)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 60  # the first answers load the model: on a busy machine, seconds
    while len(seen) < 2 and not errors and time.monotonic() < deadline:
        time.sleep(0.05)
    _edit(knowledge_copy / "cases" / "ozu-city-cdo-hosakan.md", "月額 273,800円", "月額 300,000円")
    read_before = set(bot.retriever.ranker.cached_terms())
    summary = build(knowledge_copy, index_dir)
    published = time.monotonic()
    time.sleep(2.0)
    stop.set()
    for worker in workers:
        worker.join(30)
    assert errors == []
    before = [answer for at, answer in seen if at < published]
    after = [answer for at, answer in seen if at > published + 1.0]  # swapped within a second
    assert before and all("273,800円" in answer for answer in before)
    assert after and all("300,000円" in answer for answer in after)
    assert bot.index.path == summary.generation
    assert read_before and read_before <= set(bot.retriever.ranker.cached_terms())  # warmed before the swap


def test_a_parallel_build_indexes_the_same_passages(tmp_path):
    from bench.generate import generate

    knowledge = generate(2_000, tmp_path / "knowledge")
    single = build(knowledge, tmp_path / "one", full=True, processes=1, semantic=False)
    parallel = build(knowledge, tmp_path / "two", full=True, processes=2, semantic=False)
    assert (parallel.records, parallel.passages) == (single.records, single.passages)
    question = "CIO補佐官の報酬"
    one = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=tmp_path / "one")).ask(question)
    two = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=tmp_path / "two")).ask(question)
    assert (one.answered and two.answered
            and {h.record_id for h in two.hits} & {h.record_id for h in one.more + one.hits})


def test_a_parallel_build_whose_worker_finishes_first_still_builds(tmp_path):
    """A worker's share written before the first process has finished its own (what a fast machine
    did now and then) leaves the first writer's temporary files alone, and every passage is indexed."""
    from whoosh import index as whoosh_index

    from hosakan.indexer.build import _full
    from hosakan.indexer.fields import open_index, schema
    from hosakan.indexer.store import file_hashes
    from hosakan.indexer.writing import Writer, _segment_of
    from hosakan.knowledge.loader import MAX_RECORD_BYTES

    passages = _full(KNOWLEDGE, file_hashes(KNOWLEDGE), MAX_RECORD_BYTES)[3]
    folder = tmp_path / "index"
    folder.mkdir()
    whoosh_index.create_in(str(folder), schema())
    first = Writer(open_index(folder))
    first.add_passages(passages[:100])  # the first share, still being written
    theirs = _segment_of(str(folder), passages[100:])  # a worker's, finished meanwhile
    first._commit_toc([first._finalize_segment(), theirs])
    first._finish()
    assert open_index(folder).doc_count() == len(passages) and not (folder / "MAIN.tmp").exists()


def test_a_published_index_that_cannot_be_opened_is_reported_once_and_the_old_one_keeps_serving(
        knowledge_copy, tmp_path, caplog):
    index_dir = tmp_path / "index"
    live = build(knowledge_copy, index_dir).generation
    bot = LiveIndex(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir))
    broken = index_dir / "gen-000099"
    shutil.copytree(live, broken)
    for toc in broken.glob("*.toc"):
        toc.unlink()  # the Whoosh index inside is gone; the manifest says it is there
    with caplog.at_level(logging.ERROR, logger="hosakan.bot"):
        (index_dir / "CURRENT").write_text(broken.name, encoding="utf-8")
        time.sleep(2.0)  # four looks at the pointer
        answer = bot.ask("大洲市のCDO補佐官の報酬は？")
    assert answer.answered and "273,800円" in answer.direct_answer and bot.index.path == live
    assert len([r for r in caplog.records if "cannot open the published index" in r.getMessage()]) == 1
    bot.close()
