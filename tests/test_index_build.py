"""Index builds: a fresh generation swapped in only on success; failures leave the live one serving."""

from __future__ import annotations

import pytest

from bot.service import Hosakan
from bot.settings import Settings
from indexer.build import BuildFailed, build
from indexer.store import current_generation, is_stale, read_manifest


def test_a_build_publishes_a_new_generation_and_keeps_one_previous(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    first = build(knowledge_copy, index_dir)
    assert first.records == 19 and first.passages > 150
    assert current_generation(index_dir) == first.generation
    second = build(knowledge_copy, index_dir)
    third = build(knowledge_copy, index_dir)
    assert current_generation(index_dir) == third.generation
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [second.generation.name, third.generation.name]
    assert not list(index_dir.glob(".building-*"))


def test_a_broken_record_stops_the_build_and_the_old_index_keeps_answering(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir)
    live = current_generation(index_dir)
    bot = Hosakan(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir))
    record = knowledge_copy / "cases" / "ozu-city-cdo-hosakan.md"
    record.write_text(record.read_text(encoding="utf-8").replace("reading: おおずし", "reading: OZU"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(knowledge_copy, index_dir)
    assert [(p.path.name, p.field) for p in failure.value.problems] == [("ozu-city-cdo-hosakan.md", "reading")]
    assert current_generation(index_dir) == live
    assert "273,800円" in bot.ask("大洲市のCDO補佐官の報酬は？").direct_answer
    reopened = Hosakan(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir))
    assert reopened.index.path == live


def test_a_crash_mid_build_leaves_no_debris_and_the_live_index_untouched(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir)
    live = current_generation(index_dir)

    def crash(done: int) -> None:
        if done == 50:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(knowledge_copy, index_dir, progress=crash)
    assert current_generation(index_dir) == live
    assert not list(index_dir.glob(".building-*"))
    assert build(knowledge_copy, index_dir).generation != live


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
    answer = Hosakan(Settings(knowledge_dir=knowledge_copy, index_dir=index_dir)).ask("清瀬市のCIO補佐官の任期は？")
    assert answer.direct_answer == "【清瀬市】任期：任期2年〔2024年4月時点〕"
