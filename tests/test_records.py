"""The curated records load cleanly, and a broken record is reported with its file and field."""

from __future__ import annotations

from pathlib import Path

from hosakan.knowledge.loader import load
from hosakan.knowledge.schema import Case, Reference, Roundtable
from tests.support.knowledge import KNOWLEDGE

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_real_records_are_valid_and_cover_every_seed():
    base = load(KNOWLEDGE)
    assert base.problems == []
    municipalities = {r.municipality for r in base.records if isinstance(r, Case)}
    assert {"大阪府", "奈良県", "奈良市", "印西市", "大洲市", "小松島市", "伊豆の国市", "米原市", "酒田市",
            "三重県"} <= municipalities
    assert any(isinstance(r, Roundtable) for r in base.records)
    assert sum(isinstance(r, Reference) for r in base.records) >= 6
    seeds = {r.source.seed for r in base.records}
    assert len(seeds) == 5


def test_every_case_has_a_kana_reading_and_a_dated_or_explained_source():
    for record in load(KNOWLEDGE).records:
        assert record.as_of or record.as_of_note, record.id
        if isinstance(record, Case):
            assert record.reading and record.roles


def test_compensation_is_normalised_to_yen():
    records = load(KNOWLEDGE).by_id()
    osaka = records["osaka-pref-cio-hosakan"].compensation[0]
    assert (osaka.amount_yen, osaka.period) == (11_400_000, "year")
    assert records["izunokuni-city-cio-support"].compensation[0].amount_yen == 8_366_000


def test_roundtable_turns_are_attributed_to_declared_participants():
    table = load(KNOWLEDGE).by_id()["kiyose-tokyo-cio-roundtable-part2"]
    assert table.participant("宮坂").role == "東京都CIO"
    assert "### 宮坂" in table.body and "### 南澤" in table.body


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CASE = """---
id: {id}
kind: case
title: テスト市のCIO補佐官
municipality: テスト市
prefecture: テスト県
reading: {reading}
roles: [{role}]
compensation:
  - as_written: 月額 20万円
    amount_yen: {amount}
reviewed: 2026-11-23
source:
  title: テスト記事
---
## 概要
テスト市のCIO補佐官の事例。
"""


def test_every_broken_record_is_reported_at_once_with_file_and_field(knowledge_copy):
    cases = knowledge_copy / "cases"
    _write(cases / "a.md", CASE.format(id="test-a", reading="test", role="CIO補佐官", amount="20万円"))
    _write(cases / "b.md", CASE.format(id="test-b", reading="てすとし", role="CIO補佐", amount="二十万"))
    _write(cases / "c.md", CASE.format(id="osaka-pref-cio-hosakan", reading="てすとし", role="CIO補佐官",
                                       amount="20万円"))
    _write(cases / "d.md", "no front matter here\n")
    _write(cases / "e.md", "---\nid: [unclosed\n---\nbody\n")
    problems = load(knowledge_copy).problems
    by_file = {(p.path.name, p.field): p.message for p in problems}
    assert "かなだけで" in by_file[("a.md", "reading")]
    assert ("知られていない役職「CIO補佐」" in by_file[("b.md", "roles.0")]
            and "CIO補佐官" in by_file[("b.md", "roles.0")])
    assert "円の金額として読めません" in by_file[("b.md", "compensation.0.amount_yen")]
    duplicate = [p for p in problems if p.field == "id" and "重複" in p.message]
    assert len(duplicate) == 1 and "c.md" in str(duplicate[0]) and "osaka-pref-cio-hosakan.md" in str(duplicate[0])
    assert "front matter" in by_file[("d.md", "(file)")]
    assert "YAML" in by_file[("e.md", "(front matter)")]
    assert all("Traceback" not in str(p) for p in problems)


def test_missing_field_and_unknown_speaker_are_named(knowledge_copy):
    path = knowledge_copy / "roundtables" / "kiyose-tokyo-cio-roundtable-part2.md"
    text = (path.read_text(encoding="utf-8").replace("### 瀬谷\n", "### 瀬戸\n", 1)
            .replace("forum: 東京都・区市町村CIOフォーラム\n", ""))
    _write(path, text)
    problems = [(p.field, p.message) for p in load(knowledge_copy).problems if p.path == path]
    assert ("forum", "必須の項目がありません") in problems
    assert any(field == "body" and "「### 瀬戸」が participants にいません" in m for field, m in problems)
    assert len(problems) == 2


def test_a_scaffolded_record_names_every_field_left_to_fill(knowledge_copy):
    from hosakan.knowledge.scaffold import scaffold
    from hosakan.knowledge.sentences import RECORD_TEMPLATES

    for kind in RECORD_TEMPLATES:
        path = scaffold(knowledge_copy, kind, f"new-{kind}")
        assert path.parent.name in ("cases", "roundtables", "references")
        problems = {(p.field, p.message) for p in load(knowledge_copy).problems if p.path == path}
        assert ("title", "空にはできません") in problems and ("source.title", "空にはできません") in problems
        if kind == "case":
            assert ("reading", "空にはできません") in problems and ("roles", "少なくとも1つ書いてください") in problems
        path.unlink()


def test_a_filled_in_scaffold_is_valid(knowledge_copy):
    from hosakan.knowledge.scaffold import scaffold

    path = scaffold(knowledge_copy, "case", "new-case")
    text = path.read_text(encoding="utf-8")
    for field, value in {"title": "テスト市のCIO補佐官", "municipality": "テスト市", "prefecture": "テスト県",
                         "reading": "てすとし"}.items():
        text = text.replace(f'{field}: ""', f"{field}: {value}", 1)
    text = text.replace("roles: []", "roles: [CIO補佐官]").replace('  title: ""', "  title: テスト記事")
    path.write_text(text, encoding="utf-8")
    assert [p for p in load(knowledge_copy).problems if p.path == path] == []


def test_scaffold_refuses_bad_ids_and_existing_files(knowledge_copy):
    import pytest

    from hosakan.knowledge.scaffold import scaffold

    with pytest.raises(ValueError, match="小文字英字・数字・ハイフン"):
        scaffold(knowledge_copy, "case", "Bad ID")
    with pytest.raises(FileExistsError):
        scaffold(knowledge_copy, "case", "osaka-pref-cio-hosakan")
