"""Record validation teaches: each YAML mistake is named in Japanese on its own line of the file, with
how to fix it; dates are read as officials write them; roles are read in any width and case."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

import hosakan.knowledge.loader as loader
from hosakan.knowledge.dates import find_dates, parse_date, parse_day
from hosakan.knowledge.loader import load, load_record
from hosakan.knowledge.scaffold import scaffold
from tests.support.knowledge import copy_knowledge
from tests.support.records import ENGLISH, GLOSSARY, line_of, problems_of, record

HOSAKAN = str(Path(sys.executable).parent / "hosakan")


@pytest.fixture(params=["libyaml", "python"])
def yaml_loader(request, monkeypatch):
    """Every diagnosis holds whether PyYAML came with libyaml (the usual wheel) or without it:
    the two parsers stop at the same place but say different English."""
    if request.param == "python":
        monkeypatch.setattr(loader, "_YAML", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    return request.param


def quoted(line: str) -> str:
    """A line as a message quotes it: indentation spaces dropped, a tab and a control character named."""
    return line.strip(" ").replace("\t", "<タブ>").replace("\x07", "<U+0007>")


def assert_teaches(problem, line: int, quoted: str, *said: str) -> None:
    assert problem.field == "(front matter)"
    assert problem.line == line, problem
    assert problem.message.startswith(f"YAML として読めません（{line}行目「{quoted}」）："), problem.message
    for words in said:
        assert words in problem.message, problem.message
    assert not ENGLISH.search(problem.message), problem.message
    assert str(problem).startswith(f"{problem.path}:{line}: (front matter): ")


# (what the maintainer wrote instead of the right line, the line to blame, what the message says)
MISTAKES = {
    "full-width colon": ({"selection: 書類選考と面接": "selection：書類選考と面接"}, "selection：書類選考と面接",
                         ["全角のコロン（：）", "selection: …"]),
    "empty list followed by items": ({"compensation:\n": "compensation: []\n"}, "compensation: []",
                                     ["「[]」は空の一覧", "「compensation:」だけに"]),
    "tab indentation": ({"  title: テスト市 CIO補佐官の募集について": "\ttitle: テスト市 CIO補佐官の募集について"},
                        "\ttitle: テスト市 CIO補佐官の募集について", ["タブ文字", "半角スペースで字下げ"]),
    "unclosed quote": ({"term: 任期1年": 'term: "任期1年'}, 'term: "任期1年',
                       ["引用符（\"）が閉じていません", 'term: "…"']),
    "indented too deep": ({"    amount_yen: 200000": "     amount_yen: 200000"}, "     amount_yen: 200000",
                          ["字下げが深すぎます", "前の行「- as_written: 月額 20万円」", "半角スペース4個"]),
    "indented too shallow": ({"  publisher: テスト市": " publisher: テスト市"}, " publisher: テスト市",
                             ["字下げ（半角スペース1個）",
                              "上の行「title: テスト市 CIO補佐官の募集について」（2個）とそろっていません"]),
    "colon inside a value": ({"term: 任期1年": "term: 任期: 1年"}, "term: 任期: 1年",
                             ["値の中に「: 」", 'term: "任期: 1年"']),
    "unclosed bracket": ({"roles: [CIO補佐官]": "roles: [CIO補佐官"}, "roles: [CIO補佐官",
                         ["「[」が「]」で閉じていません"]),
    "control character": ({"term: 任期1年": "term: 任期\x071年"}, "term: 任期\x071年",
                          ["目に見えない制御文字（U+0007）"]),
    "anything else": ({"reviewed: 2026-01-20": "reviewed: 2026-01-20\n!!python/object:os.system"}, "source:",
                      ["この行か、その前の行「!!python/object:os.system」のあたりが読めません", "字下げ"]),
    "body text above the closing ---": ({"selection: 書類選考と面接": "selection: 書類選考と面接\n> 記事からの引用"},
                                        "> 記事からの引用", ["コロン（:）がありません", "「---」の行より下"]),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_yaml_mistake_is_named_on_its_line_with_the_fix(tmp_path, yaml_loader, mistake):
    replace, blamed, said = MISTAKES[mistake]
    text = record(**replace)
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None and len(problems) == 1, problems
    shown = quoted(blamed)
    assert_teaches(problems[0], line_of(text, blamed), shown, *said)


def test_the_scaffolds_empty_compensation_list_is_blamed_on_line_15_not_16(tmp_path, yaml_loader):
    knowledge = tmp_path / "knowledge"
    path = scaffold(knowledge, "case", "sakura-city-cio-hosakan")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[14].startswith("compensation: []")  # line 15 of the file
    end = next(i for i in range(15, len(lines)) if not lines[i].lstrip().startswith("#"))
    lines[end:end] = ["  - as_written: 月額 25万円", "    amount_yen: 250000", "    period: month"]
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = [p for p in load(knowledge).problems if p.path == path]
    assert (problems[0].field == "(front matter)"
            and [p for p in problems if p.field == "(front matter)"] == problems[:1])
    assert_teaches(problems[0], 15, lines[14].strip()[:60] + "…", "「[]」は空の一覧", "「compensation:」だけに")
    # the rest of the draft is checked in the same run (its empty fields), compensation left unread and unblamed
    assert {"title", "reading"} <= {p.field for p in problems} and not any("compensation" in p.field for p in problems)


def test_every_full_width_colon_is_named_with_the_next_yaml_mistake(tmp_path, yaml_loader):
    text = record(**{"selection: 書類選考と面接": "selection：書類選考と面接", "term: 任期1年": "term： 任期1年",
                     "term： 任期1年\n": 'term： 任期1年\nsummary: "要約\n'})
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None
    lines = {p.line: p.message for p in problems}
    assert "「term」の後ろが全角のコロン" in lines[line_of(text, "term： 任期1年")]
    assert "「selection」の後ろが全角のコロン" in lines[line_of(text, "selection：書類選考と面接")]
    assert "引用符（\"）が閉じていません" in lines[line_of(text, 'summary: "要約')]
    assert len(problems) == 3 and not any(ENGLISH.search(p.message) for p in problems)


def test_after_full_width_colons_the_rest_of_the_record_is_still_checked(tmp_path, yaml_loader):
    text = record(**{"selection: 書類選考と面接": "selection：書類選考と面接", "reading: てすとし": "reading: test"})
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None and [(p.field, p.line) for p in problems] == [
        ("(front matter)", line_of(text, "selection：書類選考と面接")), ("reading", line_of(text, "reading: test"))]
    assert "かなだけで" in problems[1].message


def test_a_full_width_colon_that_yaml_reads_as_text_is_still_named(tmp_path, yaml_loader):
    text = record(**{"  - as_written: 月額 20万円": "  - as_written：月額 20万円"})
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None and len(problems) == 1, problems  # and no confusing compensation.0 problem
    assert_teaches(problems[0], 12, "- as_written：月額 20万円", "「as_written」の後ろが全角のコロン")


def test_a_full_width_colon_inside_a_value_is_left_alone(tmp_path):
    loaded, problems = problems_of(tmp_path, record(**{"term: 任期1年": "term: 任期：1年（更新あり）"}))
    assert problems == [] and loaded.term == "任期：1年（更新あり）"


def test_crlf_files_and_a_byte_order_mark_count_lines_the_same(tmp_path, yaml_loader):
    text = record(**{"selection: 書類選考と面接": "selection：書類選考と面接"})
    cases = tmp_path / "knowledge" / "cases"
    cases.mkdir(parents=True)
    path = cases / "test-city-cio-hosakan.md"
    path.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    _, problems = load_record(path, GLOSSARY)
    assert [p.line for p in problems] == [line_of(text, "selection：書類選考と面接")]


@pytest.mark.parametrize("written, stored", [
    ("令和8年1月", "2026-01"), ("2026年1月", "2026-01"), ("2026年1月15日", "2026-01-15"), ("2026/1", "2026-01"),
    ("令和元年5月1日", "2019-05-01"), ("平成31年4月", "2019-04"), ("R8.1", "2026-01"), ("令和８年１月", "2026-01"),
    ("2026", "2026"), ("2026-01-15", "2026-01-15"), ("'2026.10'", "2026-10"),
])
def test_as_of_is_read_as_officials_write_it(tmp_path, written, stored):
    loaded, problems = problems_of(tmp_path, record(**{"as_of: 2026-01": f"as_of: {written}"}))
    assert problems == [] and loaded.as_of == stored


def test_dates_read_from_wareki_are_shown_as_western_dates(tmp_path):
    loaded, problems = problems_of(tmp_path, record(**{"as_of: 2026-01": "as_of: 令和8年1月",
                                                       "reviewed: 2026-01-20": "reviewed: 令和8年1月20日"}))
    assert problems == [] and loaded.reviewed == date(2026, 1, 20) and loaded.as_of_label() == "2026年1月時点"


def test_a_roundtables_date_is_read_from_wareki_too(knowledge_copy):
    path = knowledge_copy / "roundtables" / "kiyose-tokyo-cio-roundtable-part2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2021-10-15", "date: 令和3年10月15日", 1),
                    encoding="utf-8")
    loaded, problems = load_record(path, GLOSSARY)
    assert problems == [] and loaded.date == date(2021, 10, 15)


@pytest.mark.parametrize("field, written, said", [
    ("as_of", "令和8年度", "時点「令和8年度」を日付として読めません。次のどれかの形で書いてください：2026、2026-01"),
    ("as_of", "令和元年4月", "令和元年4月 は存在しない日付です（令和は2019年5月1日から）"),
    ("as_of", "2026.10", "数として読まれ、月が分かりません（2026.10 も 2026.1 になります）。2026-10 か 2026年10月"),
    ("reviewed", "令和8年1月", "「令和8年1月」には日がありません。日まで書いてください"),
    ("reviewed", "2026年2月30日", "2026年2月30日 は存在しない日付です（2026年2月は28日まで）"),
    ("as_of", "2026-13", "2026-13 は存在しない日付です（月は1月から12月まで）"),
])
def test_a_date_that_cannot_be_read_lists_the_forms_that_can(tmp_path, field, written, said):
    old = {"as_of": "as_of: 2026-01", "reviewed": "reviewed: 2026-01-20"}[field]
    loaded, problems = problems_of(tmp_path, record(**{old: f"{field}: {written}"}))
    assert loaded is None and [p.field for p in problems] == [field]
    assert said in problems[0].message and not ENGLISH.search(problems[0].message)


def test_parse_date_is_one_reusable_reader():
    assert parse_date("令和八年一月十五日") == "2026-01-15"
    assert parse_date("令和8年1月15日（木）") == "2026-01-15"
    assert parse_date("H31/4/30") == "2019-04-30" and parse_date("平成元年1月7日") is None  # 昭和64年 still
    assert parse_date("昭和64年1月7日") == "1989-01-07" and parse_date("2026年13月") is None
    assert parse_date(2026) == "2026" and parse_date(date(2026, 1, 5)) == "2026-01-05" and parse_date(None) is None
    assert parse_day("令和8年1月15日") == date(2026, 1, 15) and parse_day("令和8年1月") is None
    found = list(find_dates("募集期間：令和８年１月１５日（木）から2026年2月末まで（定員2026名、平成30年度の例あり）"))
    assert found == [("令和8年1月15日(木)", "2026-01-15"), ("2026年2月", "2026-02")]


@pytest.mark.parametrize("written", ["ＣＩＯ補佐官", "cio補佐官", "ＣＩＯ　補佐官", " Cio 補佐官"])
def test_a_role_in_another_width_case_or_spacing_is_stored_as_the_glossary_name(tmp_path, written):
    loaded, problems = problems_of(tmp_path, record(**{"roles: [CIO補佐官]": f"roles: [{written}, CIO補佐官]"}))
    assert problems == [] and loaded.roles == ["CIO補佐官"]  # the same name twice is kept once


def test_an_appointment_form_in_full_width_is_folded_and_a_variant_names_the_word_to_write(tmp_path):
    loaded, problems = problems_of(tmp_path, record(**{"[任期付職員]": "[任期付職員, 業務　委託]"}))
    assert problems == [] and loaded.appointment_forms == ["任期付職員", "業務委託"]
    loaded, problems = problems_of(tmp_path, record(**{"[任期付職員]": "[特定任期付職員]"}))
    assert loaded is None and [p.field for p in problems] == ["appointment_forms.0"]
    assert ("「特定任期付職員」" in problems[0].message
            and "記録には「任期付職員」と書いてください" in problems[0].message)


def run_validate(knowledge: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOSAKAN_INDEX_DIR": str(tmp_path / "index"), "HOSAKAN_KNOWLEDGE_DIR": str(knowledge),
           "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([HOSAKAN, "validate"], capture_output=True, text=True, env=env, timeout=120)


def test_hosakan_validate_prints_each_mistake_with_its_file_line_and_quoted_line(tmp_path):
    broken = {f"broken-{index}": record(f"broken-{index}", **replace)
              for index, (replace, _, _) in enumerate(MISTAKES.values())}
    fine = record("fine-city-cio-hosakan", **{"roles: [CIO補佐官]": "roles: [ＣＩＯ補佐官]",
                                              "as_of: 2026-01": "as_of: 令和8年1月"})
    knowledge = copy_knowledge(tmp_path / "knowledge", **broken, **{"fine-city-cio-hosakan": fine})
    checked = run_validate(knowledge, tmp_path)
    assert checked.returncode == 1
    reported = checked.stderr.splitlines()
    for index, (_replace, blamed, said) in enumerate(MISTAKES.values()):
        line = line_of(broken[f"broken-{index}"], blamed)
        shown = quoted(blamed)
        mine = [text for text in reported if f"broken-{index}.md" in text]
        assert len(mine) == 1, (blamed, mine)
        assert f"broken-{index}.md:{line}: (front matter): YAML として読めません（{line}行目「{shown}」）：" in mine[0]
        assert all(words in mine[0] for words in said), mine[0]
    assert "fine-city-cio-hosakan" not in checked.stderr
    said = [text.split(": (front matter): ", 1)[-1] for text in reported[1:]]
    assert len(said) == len(MISTAKES) and not any(ENGLISH.search(text) for text in said), said
    for name in broken:
        (knowledge / "cases" / f"{name}.md").unlink()
    assert run_validate(knowledge, tmp_path).returncode == 0
