"""Dates that cannot exist, YAML that would not end, and a sidecar's mistakes are each named on one
Japanese line with the file, the line and the field, never a traceback; a YAML mistake on one item
does not hide the field problems of the others."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

import hosakan.indexer.documents as documents
import hosakan.knowledge.loader as loader
from hosakan.knowledge import front_matter
from hosakan.knowledge.dates import parse_date, today, why_not
from hosakan.knowledge.glossary import Glossary
from hosakan.knowledge.loader import DEFAULT_DIR, load
from hosakan.knowledge.sidecar import MAX_SIDECAR_BYTES, WHOLE, read_sidecar, sidecar_of
from tests.support.knowledge import copy_knowledge
from tests.support.records import ENGLISH, line_of, problems_of, record

HOSAKAN = str(Path(sys.executable).parent / "hosakan")
# 600 bytes that PyYAML would build into 9^9 strings (8.6 GB, 110 s before aliases were refused)
BOMB = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))
DEEP = "[" * 100_000 + "]" * 100_000  # libyaml's composer recursed on it until the process crashed


@pytest.fixture(params=["libyaml", "python"])
def yaml_loader(request, monkeypatch):
    """With libyaml (the usual wheel) and without it: refusals and dates read the same."""
    if request.param == "python":
        monkeypatch.setattr(loader, "_YAML", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    return request.param


def hosakan(command: str, knowledge: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOSAKAN_INDEX_DIR": str(tmp_path / "index"), "HOSAKAN_KNOWLEDGE_DIR": str(knowledge),
           "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([HOSAKAN, command], capture_output=True, text=True, env=env, timeout=120)


def said_of(run: subprocess.CompletedProcess, name: str) -> list[str]:
    """The lines of a run's output that name the file ``name``."""
    return [line for line in (run.stdout + run.stderr).splitlines() if f"/{name}" in line]


def assert_no_traceback(run: subprocess.CompletedProcess) -> None:
    output = run.stdout + run.stderr
    assert "Traceback" not in output and "Error:" not in output and "ValueError" not in output, output[-3000:]


# -- dates ----------------------------------------------------------------------------------
@pytest.mark.parametrize("written, reason", [
    ("2026-02-30", "2026年2月は28日まで"), ("2024-02-30", "2024年2月は29日まで"),
    ("2026-13-01", "月は1月から12月まで"), ("2026年4月31日", "2026年4月は30日まで"),
    ("令和8年2月29日", "2026年2月は28日まで"), ("R8.2.30", "2026年2月は28日まで"),
    ("令和元年4月1日", "令和は2019年5月1日から"), ("令和0年5月", "令和は元年（2019年）から"),
    ("0000-01-01", "西暦は1年から"),
    ("２０２６－０２－３０", "2026年2月は28日まで"),
])
def test_why_not_names_the_day_that_does_not_exist(written, reason):
    assert parse_date(written) is None and why_not(written) == f"{written} は存在しない日付です（{reason}）"


@pytest.mark.parametrize("written", ["2026-02-28", "2024-02-29", "令和8年度", "来年", "", None, 2.5, "令和8年1月"])
def test_why_not_says_nothing_of_a_date_or_of_what_is_no_date_at_all(written):
    assert why_not(written) is None


@pytest.mark.parametrize("field, written, said", [
    ("reviewed", "2026-02-30", "2026-02-30 は存在しない日付です（2026年2月は28日まで）"),
    ("reviewed", "2026-13-01", "2026-13-01 は存在しない日付です（月は1月から12月まで）"),
    ("reviewed", "2026-01-20 25:00", "「2026-01-20 25:00」を日付として読めません"),
    ("as_of", "2026-02-30", "2026-02-30 は存在しない日付です（2026年2月は28日まで）"),
    ("as_of", "2026-13-01", "2026-13-01 は存在しない日付です（月は1月から12月まで）"),
])
def test_a_date_that_does_not_exist_is_named_on_its_line(tmp_path, yaml_loader, field, written, said):
    old = {"as_of": "as_of: 2026-01", "reviewed": "reviewed: 2026-01-20"}[field]
    text = record(**{old: f"{field}: {written}"})
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None and [(p.field, p.line) for p in problems] == [(field, line_of(text, f"{field}: {written}"))]
    assert said in problems[0].message and not ENGLISH.search(problems[0].message)


def test_a_roundtables_impossible_date_is_named_too(knowledge_copy):
    path = knowledge_copy / "roundtables" / "kiyose-tokyo-cio-roundtable-part2.md"
    text = path.read_text(encoding="utf-8").replace("date: 2021-10-15", "date: 2021-09-31", 1)
    path.write_text(text, encoding="utf-8")
    problems = [p for p in load(knowledge_copy).problems if p.path == path]
    assert [(p.field, p.line) for p in problems] == [("date", line_of(text, "date: 2021-09-31"))]
    assert problems[0].message.startswith("2021-09-31 は存在しない日付です（2021年9月は30日まで）")


def test_a_reviewed_date_in_the_future_is_refused_and_today_is_not(tmp_path):
    tomorrow = today() + timedelta(days=1)
    text = record(**{"reviewed: 2026-01-20": f"reviewed: {tomorrow.isoformat()}"})
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None and [(p.field, p.line) for p in problems] == [
        ("reviewed", line_of(text, f"reviewed: {tomorrow}"))]
    assert problems[0].message.startswith(f"reviewed が未来の日付です（{tomorrow.isoformat()}、"
                                          f"今日は {today().isoformat()}）")
    loaded, problems = problems_of(tmp_path, record(**{"reviewed: 2026-01-20": f"reviewed: {today().isoformat()}"}))
    assert problems == [] and loaded.reviewed == today()


def test_an_index_reads_back_its_records_whatever_the_clock_says():
    from hosakan.knowledge.schema import Case

    case = Case.model_validate({"kind": "case", "id": "a", "title": "t", "municipality": "m", "prefecture": "p",
                                "reading": "て", "roles": ["CIO"], "reviewed": date(2999, 1, 1),
                                "source": {"title": "s"}})
    assert case.reviewed == date(2999, 1, 1)  # the future is checked where a maintainer's file is read


# -- one run names the YAML mistake and the fields ------------------------------------------
def test_a_yaml_mistake_and_a_field_mistake_are_named_in_the_same_run(tmp_path, yaml_loader):
    text = record(**{"term: 任期1年": 'term: "任期1年', "reading: てすとし": "reading: test",
                     "reviewed: 2026-01-20": "reviewed: 2026-02-30"})
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None
    assert problems[0].field == "(front matter)" and problems[0].line == line_of(text, 'term: "任期1年')
    assert "引用符（\"）が閉じていません" in problems[0].message
    said = {p.field: (p.line, p.message) for p in problems[1:]}
    assert said.keys() == {"reading", "reviewed"} and len(problems) == 3
    assert said["reading"][0] == line_of(text, "reading: test") and "かなだけで" in said["reading"][1]
    assert said["reviewed"] == (line_of(text, "reviewed: 2026-02-30"),
                                "2026-02-30 は存在しない日付です（2026年2月は28日まで）。正しい日付を書いてください")


def test_an_item_left_unread_is_not_blamed_again(tmp_path, yaml_loader):
    text = record(**{"roles: [CIO補佐官]": "roles: [CIO補佐官", "reading: てすとし": "reading: test"})
    loaded, problems = problems_of(tmp_path, text)
    # roles is required, but it is left unread for its bracket: named once, never as missing
    assert loaded is None and [(p.field, p.line) for p in problems] == [
        ("(front matter)", line_of(text, "roles: [CIO補佐官")), ("reading", line_of(text, "reading: test"))]
    assert "「[」が「]」で閉じていません" in problems[0].message


def test_what_cannot_be_read_is_not_guessed_at(tmp_path, yaml_loader):
    text = record(**{"reviewed: 2026-01-20": "reviewed: 2026-01-20\n!!python/object:os.system"})
    loaded, problems = problems_of(tmp_path, text)
    assert loaded is None and [p.field for p in problems] == ["(front matter)"]


# -- bounded YAML -----------------------------------------------------------------------------
def bounded(call):
    """(what ``call`` returned, seconds, peak bytes allocated)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_alias_bomb_in_a_record_is_refused_at_once_on_its_line(tmp_path, yaml_loader):
    text = record().replace("---\n## 概要", BOMB + "---\n## 概要", 1)
    (loaded, problems), seconds, peak = bounded(lambda: problems_of(tmp_path, text))
    assert seconds < 0.5 and peak < 20_000_000, (seconds, peak)
    first_alias = line_of(text, BOMB.split("\n")[1])
    assert loaded is None and [(p.field, p.line) for p in problems] == [("(front matter)", first_alias)]
    assert "「*a」は YAML の別名（「&a」を付けた値の繰り返し）です" in problems[0].message


def test_nesting_that_would_crash_libyaml_is_refused(tmp_path, yaml_loader):
    text = record(**{"term: 任期1年": f"term: {DEEP}"})
    (loaded, problems), seconds, _ = bounded(lambda: problems_of(tmp_path, text))
    assert loaded is None and [(p.field, p.line) for p in problems] == [
        ("(front matter)", line_of(text, f"term: {DEEP}"))]
    assert "入れ子が深すぎます（32段まで）" in problems[0].message and seconds < 2


def test_anchors_without_aliases_and_stars_inside_text_still_read():
    reading = front_matter.read(Path("x.md"), "a: &x 1\nb: \"*強調*\"\nc: 5*3\n")
    assert reading.problems == [] and reading.data == {"a": 1, "b": "*強調*", "c": "5*3"}


def test_an_alias_bomb_in_the_glossary_is_named_and_the_records_are_not_read(tmp_path):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    glossary = knowledge / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + BOMB, encoding="utf-8")
    (read, problems), seconds, peak = bounded(lambda: Glossary.read(glossary))
    assert read is None and seconds < 0.5 and peak < 20_000_000
    assert [p.field for p in problems] == ["(glossary)"] and "別名" in problems[0].message
    assert problems[0].line == line_of(glossary.read_text(encoding="utf-8"), BOMB.split("\n")[1])


def test_a_glossary_field_that_does_not_fit_is_named_in_japanese_on_its_line(tmp_path):
    path = tmp_path / "glossary.yaml"
    text = (DEFAULT_DIR / "glossary.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("\nlisting:", "\nlisting: 12\nlistings:", 1), encoding="utf-8")
    read, problems = Glossary.read(path)
    assert read is None and problems and all(p.line and not ENGLISH.search(p.message) for p in problems), problems


# -- the commands -----------------------------------------------------------------------------
BROKEN = {  # file -> (what replaces what, the line to blame, the field, what the line says)
    "impossible-day": ({"reviewed: 2026-01-20": "reviewed: 2026-02-30"}, "reviewed: 2026-02-30", "reviewed",
                       "2026-02-30 は存在しない日付です（2026年2月は28日まで）"),
    "impossible-month": ({"as_of: 2026-01": "as_of: 2026-13-01"}, "as_of: 2026-13-01", "as_of",
                         "2026-13-01 は存在しない日付です（月は1月から12月まで）"),
    "future-review": ({"reviewed: 2026-01-20": "reviewed: 2999-01-01"}, "reviewed: 2999-01-01", "reviewed",
                      "reviewed が未来の日付です（2999-01-01"),
    "alias-bomb": ({"---\n## 概要": BOMB + "---\n## 概要"}, BOMB.split("\n")[1], "(front matter)", "YAML の別名"),
    "deep": ({"term: 任期1年": f"term: {DEEP}"}, f"term: {DEEP}", "(front matter)", "入れ子が深すぎます"),
}


@pytest.mark.parametrize("command", ["validate", "index"])
def test_the_commands_name_each_mistake_on_one_line_with_no_traceback(tmp_path, command):
    texts = {name: record(f"broken-{name}", **replace) for name, (replace, _, _, _) in BROKEN.items()}
    knowledge = copy_knowledge(tmp_path / "knowledge", **texts)
    started = time.perf_counter()
    run = hosakan(command, knowledge, tmp_path)
    assert run.returncode == 1 and time.perf_counter() - started < 60, run.stderr[-3000:]
    assert_no_traceback(run)
    for name, (_, blamed, field, said) in BROKEN.items():
        mine = said_of(run, f"{name}.md")
        line = line_of(texts[name], blamed)
        assert len(mine) == 1, (name, mine)
        assert f"{name}.md:{line}: {field}: " in mine[0] and said in mine[0], mine[0]
        assert not ENGLISH.search(mine[0].split(f": {field}: ", 1)[1]), mine[0]


def test_validate_names_a_glossary_alias_bomb_on_its_line(tmp_path):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    glossary = knowledge / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + BOMB, encoding="utf-8")
    run = hosakan("validate", knowledge, tmp_path)
    assert run.returncode == 1
    assert_no_traceback(run)
    line = line_of(glossary.read_text(encoding="utf-8"), BOMB.split("\n")[1])
    assert [text for text in said_of(run, "glossary.yaml")
            if f"glossary.yaml:{line}: (glossary): " in text and "別名" in text]


SOURCE = "三豊市ではDX推進監を募集します。任期は2年で、更新があります。\n"


@pytest.mark.skipif("read_sidecar" not in Path(documents.__file__).read_text(encoding="utf-8"),
                    reason="indexer/documents.py reads sidecars with read_sidecar once its owner wires it in")
@pytest.mark.parametrize("command", ["validate", "index"])
def test_a_sidecars_impossible_date_is_named_and_the_rest_indexed(tmp_path, command):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    sources = knowledge / "sources"
    sources.mkdir()
    (sources / "mitoyo.txt").write_text(SOURCE, encoding="utf-8")
    (sources / "mitoyo.txt.yaml").write_text("title: 三豊市 DX推進監\npublished: 2026-02-30\n", encoding="utf-8")
    (sources / "bomb.txt").write_text(SOURCE, encoding="utf-8")
    (sources / "bomb.txt.yaml").write_text(BOMB, encoding="utf-8")
    run = hosakan(command, knowledge, tmp_path)
    assert_no_traceback(run)
    said = said_of(run, "mitoyo.txt.yaml") or said_of(run, "mitoyo.txt")
    assert len(said) == 1 and "2026-02-30 は存在しない日付です（2026年2月は28日まで）" in said[0], run.stderr
    said = said_of(run, "bomb.txt.yaml") or said_of(run, "bomb.txt")
    assert len(said) == 1 and "別名" in said[0], run.stderr


# -- read_sidecar ---------------------------------------------------------------------------
def sidecar(tmp_path: Path, text: str | bytes) -> tuple[Path, dict, list]:
    path = sidecar_of(tmp_path / "募集要項.pdf")
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path, *read_sidecar(path)


def test_a_sidecar_is_read_into_text_with_its_date_in_canonical_form(tmp_path):
    path, fields, problems = sidecar(tmp_path, "# 丸亀市の募集\ntitle: 令和8年度 CIO補佐官の募集\npublisher: 丸亀市\n"
                                               "url: https://www.city.marugame.example/dx/cio.html\n"
                                               "published: 令和8年1月15日\nmunicipality: 丸亀市\n")
    assert path.name == "募集要項.pdf.yaml" and problems == []
    assert fields == {"title": "令和8年度 CIO補佐官の募集", "publisher": "丸亀市", "municipality": "丸亀市",
                      "url": "https://www.city.marugame.example/dx/cio.html", "published": "2026-01-15"}


def test_no_sidecar_an_empty_one_and_empty_fields_say_nothing(tmp_path):
    assert read_sidecar(tmp_path / "none.pdf.yaml") == ({}, [])
    assert sidecar(tmp_path, "")[1:] == ({}, [])
    assert sidecar(tmp_path, "# メモだけ\n")[1:] == ({}, [])
    assert sidecar(tmp_path, "title:\npublisher: ''\npublished: 2026-01-15\n")[1:] == ({"published": "2026-01-15"}, [])


def test_a_yaml_number_or_date_where_text_belongs_is_the_text_written(tmp_path):
    _, fields, problems = sidecar(tmp_path, "title: 2026\nmunicipality: 2026-01-15\npublished: 2026\n")
    assert problems == [] and fields == {"title": "2026", "municipality": "2026-01-15", "published": "2026"}


def test_every_sidecar_mistake_is_named_in_one_run_with_its_field_and_line(tmp_path):
    text = ("title: [一, 二]\npublisher: 3.10\nurl: [https://a.example/x, https://b.example/y]\npublished: 2026-02-30\n"
            "municipality: yes\ntittle: 題名\n")
    path, fields, problems = sidecar(tmp_path, text)
    assert fields == {}
    assert [(p.path, p.field, p.line) for p in problems] == [
        (path, "title", 1), (path, "publisher", 2), (path, "url", 3), (path, "published", 4), (path, "municipality", 5),
        (path, "tittle", 6)]
    said = [p.message for p in problems]
    assert "1つの文字で書いてください" in said[0] and "数（3.1）として読まれ" in said[1] and '"…" で囲んで' in said[1]
    assert "URL は1つだけ書いてください（2個あります）" in said[2]
    assert said[3].startswith("2026-02-30 は存在しない日付です（2026年2月は28日まで）")
    assert "true として読まれました" in said[4]
    assert "説明ファイルに書けるのは title・publisher・url・published・municipality です" in said[5]
    assert not any(ENGLISH.search(message) for message in said), said
    assert all(str(p).startswith(f"{path}:{p.line}: {p.field}: ") for p in problems)


@pytest.mark.parametrize("written, said", [
    ("url: ftp://example.jp/a", "http:// か https:// で始まり"), ("url: https://a b", "空白と <>| を含まない"),
    ("published: 2026-13-01", "2026-13-01 は存在しない日付です（月は1月から12月まで）"),
    ("published: 令和元年4月1日", "令和元年4月1日 は存在しない日付です（令和は2019年5月1日から）"),
    ("published: 来週", "「来週」を日付として読めません。次のどれかの形で書いてください：2026"),
    ("published: 2026.10", "数として読まれ、月が分かりません"),
])
def test_a_sidecar_value_that_does_not_fit_says_how_to_write_it(tmp_path, written, said):
    _, fields, problems = sidecar(tmp_path, f"title: 題名\n{written}\n")
    assert fields == {"title": "題名"} and [(p.field, p.line) for p in problems] == [(written.split(":")[0], 2)]
    assert said in problems[0].message


def test_a_sidecar_yaml_mistake_is_named_with_the_fields_that_read(tmp_path):
    path, fields, problems = sidecar(tmp_path, 'title: "閉じていない\npublished: 2026-02-30\nurl: https://a.example/x\n')
    assert fields == {"url": "https://a.example/x"}
    assert [(p.field, p.line) for p in problems] == [(WHOLE, 1), ("published", 2)]
    assert problems[0].message.startswith("YAML として読めません（1行目「title: \"閉じていない」）："
                                          "引用符（\"）が閉じていません")


def test_a_sidecar_that_is_too_large_not_utf8_a_list_or_an_alias_bomb_is_named(tmp_path):
    _, fields, problems = sidecar(tmp_path, "title: " + "あ" * MAX_SIDECAR_BYTES + "\n")
    assert (fields == {} and [p.field for p in problems] == [WHOLE]
            and "上限 65,536 バイトを超えています" in problems[0].message)
    _, fields, problems = sidecar(tmp_path, "title: 募集\n".encode("cp932"))
    assert fields == {} and "UTF-8 の文字として読めません" in problems[0].message
    _, fields, problems = sidecar(tmp_path, "- 募集要項\n- 丸亀市\n")
    assert fields == {} and "「項目: 値」の行を並べて書いてください" in problems[0].message
    (_, fields, problems), seconds, peak = bounded(lambda: sidecar(tmp_path, BOMB))
    assert seconds < 0.5 and peak < 20_000_000 and fields == {}
    assert [(p.field, p.line) for p in problems] == [(WHOLE, 2)] and "「*a」は YAML の別名" in problems[0].message


def test_a_sidecars_bom_and_crlf_count_lines_the_same(tmp_path):
    _, fields, problems = sidecar(tmp_path, "\ufefftitle: 題名\r\nurl: [a, b]\r\n")
    assert fields == {"title": "題名"} and [(p.field, p.line) for p in problems] == [("url", 2)]
