"""`hosakan eval` keeps each run in the data directory and compares the next run of the same
question set with it: the figures that changed and the questions that got worse or better, over
the questions both runs asked."""

from __future__ import annotations

import json
import shutil
import stat

import yaml

from hosakan.indexer.build import build
from tests.support.cli import run
from tests.support.knowledge import KNOWLEDGE, copy_knowledge

MIE = {"q": "三重県のCDOの選考方法は？", "kind": "case", "records": ["mie-pref-cdo"], "contains": ["書類審査"],
       "direct": ["書類審査"]}
NARA = {"q": "奈良県のCIOの月収は？", "kind": "case", "records": ["nara-pref-cio-dx-manager"], "contains": ["60万円"],
        "direct": ["60万円"]}
OSAKA = {"q": "大阪府のCIO補佐官の任期は？", "kind": "case", "records": ["osaka-pref-cio-hosakan"], "contains": ["1年"],
         "direct": ["1年"]}
# a fact the real records do not state, expected anyway: it would lower any figure it were counted in
MISSED = {"q": "三重県のCDOの定年は何歳？", "kind": "case", "records": ["mie-pref-cdo"],
          "contains": ["65歳"], "direct": ["65歳"]}


def competing_case() -> str:
    """A second 三重県 CDO record, selecting by 論文審査: it outranks the real one on the selection."""
    text = (KNOWLEDGE / "cases" / "mie-pref-cdo.md").read_text(encoding="utf-8")
    return (text.replace("id: mie-pref-cdo", "id: mie-pref-cdo-2024").replace("書類審査", "論文審査")
            .replace("as_of: 2021-01", "as_of: 2024-04"))


def test_the_next_run_names_what_a_new_record_made_worse_and_compares_only_common_questions(index_dir, tmp_path):
    data = tmp_path / "home"
    questions = tmp_path / "maintainers-set.yaml"
    questions.write_text(yaml.safe_dump([MIE, NARA, OSAKA], allow_unicode=True), encoding="utf-8")

    def evaluate(*options: str, index=index_dir, knowledge=KNOWLEDGE):
        result = run("eval", "--questions", str(questions), *options, index_dir=index, knowledge=knowledge,
                     HOSAKAN_HOME=str(data))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result.stdout

    first = evaluate()
    assert "前回の結果がないため、比べられません" in first
    stored = list((data / "eval").glob("maintainers-set-*.json"))
    assert len(stored) == 1  # one file for this set, named after it, in the data directory
    assert stat.S_IMODE(stored[0].stat().st_mode) == 0o600 and stat.S_IMODE((data / "eval").stat().st_mode) == 0o700
    kept = json.loads(stored[0].read_text(encoding="utf-8"))
    assert kept["figures"]["overall"]["recall@1"] == 1.0
    assert sorted(q["q"] for q in kept["questions"].values()) == sorted([MIE["q"], NARA["q"], OSAKA["q"]])

    again = evaluate()  # the same records, the same set: one line says so
    under = again[again.index("└"):].splitlines()[1:]
    assert len(under) == 1 and under[0].startswith("前回（")
    assert under[0].endswith("日本時間）から変わったところはありません（両方にある 3問で比べました）。")

    unchanged = json.loads(evaluate("--json"))
    assert unchanged["overall"]["questions"] == 3  # the figures stay where they were
    assert unchanged["compared"]["unchanged"] is True and unchanged["compared"]["questions"] == 3
    assert unchanged["compared"]["worse"] == [] and unchanged["compared"]["figures"] == []

    # a maintainer adds a record that competes with an existing one, and reindexes
    knowledge = copy_knowledge(tmp_path / "knowledge", **{"mie-pref-cdo-2024": competing_case()})
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    assert build(knowledge, index).mode == "incremental"
    worse = evaluate(index=index, knowledge=knowledge)
    compared = worse[worse.index("└"):]
    assert "両方にある 3問で比べます" in compared
    assert "  全体 直接の回答の正解率：1.000 → 0.667（−0.333）\n" in compared
    assert "  case 直接の回答の正解率：1.000 → 0.667（−0.333）\n" in compared
    assert "全体 Recall@3" not in compared  # still in the top 3: that figure did not change
    assert "悪くなった質問（1問）：" in compared and "良くなった質問" not in compared
    # both 三重県 records now answer, side by side: the real one's 書類審査 is no longer what is said first
    [line] = [line for line in compared.splitlines() if line.startswith("  [case] 三重県のCDOの選考方法は？：")]
    assert line.endswith("直接の回答 正しい → 誤り")
    assert NARA["q"] not in compared and OSAKA["q"] not in compared

    # the set changes too (one question removed, one that is missed added) and the record goes:
    # only the two questions both runs asked are compared, and the one that got better is named
    questions.write_text(yaml.safe_dump([MIE, NARA, MISSED], allow_unicode=True), encoding="utf-8")
    back = json.loads(evaluate("--json"))
    assert back["overall"]["questions"] == 3 and back["overall"]["direct_accuracy"] < 1.0  # the miss counts here
    result = back["compared"]
    assert (result["questions"], result["added"], result["removed"]) == (2, 1, 1)
    figures = {(f["kind"], f["metric"]): (f["before"], f["now"]) for f in result["figures"]}
    assert figures[("overall", "direct_accuracy")] == (0.5, 1.0)  # over the common two: not fooled by the added miss
    assert ("overall", "recall@3") not in figures
    assert result["worse"] == [] and result["unchanged"] is False
    [better] = result["better"]
    assert better["q"] == MIE["q"] and better["kind"] == "case"
    assert better["before"]["rank"] >= better["now"]["rank"] == 1
    assert (better["before"]["direct"], better["now"]["direct"]) == (False, True)


def test_the_stress_set_and_each_question_file_are_kept_apart(index_dir, tmp_path):
    data = tmp_path / "home"
    sets = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        sets.append(folder / "questions.yaml")  # the same file name in two folders: two sets
        sets[-1].write_text(yaml.safe_dump([NARA], allow_unicode=True), encoding="utf-8")
    outputs = [json.loads(run("eval", "--json", "--questions", str(path), index_dir=index_dir,
                              HOSAKAN_HOME=str(data)).stdout) for path in (sets[0], sets[1], sets[0])]
    assert outputs[0]["compared"] is None and outputs[1]["compared"] is None  # each one's first run
    assert outputs[2]["compared"]["unchanged"] is True
    assert len(list((data / "eval").glob("questions-*.json"))) == 2


def test_a_blind_set_is_scored_by_half_with_false_not_stated_and_its_floor_named(index_dir, tmp_path):
    """A blind set (JSON lines, no records named) runs through the same command: each half is kept
    apart, the table counts answerable questions refused as "not stated", and a floor under the
    measured figure fails the run with the figure named."""
    data = tmp_path / "home"
    lines = [{"id": f"b{n}", "kind": kind, "q": q, "expect_any": expect, "direct": True}
             for n, (kind, q, expect) in enumerate([
                 ("fact", "大阪府のCIO補佐官の任期は？", ["1年"]),
                 ("fact", "奈良県のCIOの月収は？", ["60万円", "60万"]),
                 ("fact", "三重県のCDOの選考方法は？", ["書類審査"]),
                 ("unstated", "大阪府のCIO補佐官の定年は？", []),
                 ("fact", "印西市のCIO補佐官の好きな食べ物は？", ["カレー"]),  # not stated, and wrongly expected
             ])]
    questions = tmp_path / "blind.jsonl"
    questions.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    halves = {}
    for half in ("dev", "held"):
        result = run("eval", "--json", "--questions", str(questions), "--half", half, index_dir=index_dir,
                     HOSAKAN_HOME=str(data))
        assert result.returncode == 0, result.stderr
        halves[half] = json.loads(result.stdout)["overall"]
    assert halves["dev"]["questions"] + halves["held"]["questions"] == len(lines)
    assert len(list((data / "eval").glob("blind-*.json"))) == 2  # one history a half
    whole = run("eval", "--questions", str(questions), "--min-direct", "0.99", index_dir=index_dir,
                HOSAKAN_HOME=str(data))
    assert whole.returncode == 1 and "直接の回答の正解率 が" in whole.stderr and "Traceback" not in whole.stderr
    assert "誤った「記載なし」" in whole.stdout.replace("\n", "").replace("│", "").replace(" ", "") or \
        "誤った" in whole.stdout
    scored = json.loads(run("eval", "--json", "--questions", str(questions), index_dir=index_dir,
                            HOSAKAN_HOME=str(data)).stdout)["overall"]
    assert scored["false_not_stated"] == 1 and scored["abstain_accuracy"] == 1.0
    assert scored["direct_accuracy"] == 0.75
