"""The record of what was asked (a real SQLite file) and the maintainers' report on it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Action, Asker, Question
from hosakan.bot.operations.report import build_report, group_similar
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from hosakan.bot.storage.history import Asked, Feedback, History, now
from hosakan.knowledge.loader import load
from tests.support.knowledge import KNOWLEDGE


def _age(history: History, days: int) -> None:
    """Move every recorded question ``days`` into the past (as if asked then)."""
    assert history.recorder.flush()
    with Session(history.engine) as session, session.begin():
        session.execute(update(Asked).values(at=now() - timedelta(days=days)))


def test_retention_deletes_old_question_text_but_keeps_the_counts(tmp_path, index_dir):
    history = History(f"sqlite:///{tmp_path / 'h.db'}", "salt", retention_days=90)
    talk = Conversation(LiveIndex(Settings(knowledge_dir=KNOWLEDGE, index_dir=index_dir)), history)
    talk.ask(Question("奈良県のCIOの月収は？", Asker("slack", "U1"), ""))
    _age(history, 100)
    talk.ask(Question("大洲市のCDO補佐官の報酬は？", Asker("slack", "U1"), ""))
    assert history.purge() == 1
    rows = history.questions(now() - timedelta(days=365))
    assert [r.question for r in rows] == [None, "大洲市のCDO補佐官の報酬は？"]
    assert all(r.answered for r in rows) and rows[0].hit_ids
    assert rows[0].user_hash == rows[1].user_hash == history.user_hash("slack", "U1") != "U1"


def test_similar_unanswered_questions_are_grouped():
    groups = group_similar(["横浜市のCIO補佐官の報酬", "横浜市のCIO補佐官の報酬は？", "横浜市 CIO補佐官 報酬",
                            "札幌市のCDO", "今日の天気"])
    assert (groups[0].question, groups[0].count) == ("横浜市のCIO補佐官の報酬", 3)
    assert sorted(g.question for g in groups[1:]) == ["今日の天気", "札幌市のCDO"]


def _history_with_traffic(path: Path, index_dir: Path) -> History:
    history = History(f"sqlite:///{path}", "salt")
    talk = Conversation(LiveIndex(Settings(knowledge_dir=KNOWLEDGE, index_dir=index_dir)), history)
    for question, user in [("横浜市のCIO補佐官の報酬", "U1"), ("横浜市のCIO補佐官の報酬は？", "U2"),
                           ("札幌市のCDO", "U1"), ("奈良県のCIOの月収は？", "U3"),
                           ("大阪府のCIO補佐官の任期は？", "U3")]:
        talk.ask(Question(question, Asker("slack", user), ""))
    for kind, question, hit, user in [
            ("down", "奈良県のCIOの月収は？", "nara-pref-cio-dx-manager#05", Asker("slack", "U1")),
            ("down", "奈良県のCIOの月収は？", "nara-pref-cio-dx-manager#05", Asker("slack", "U2")),
            ("up", "大阪府のCIO補佐官の任期は？", "osaka-pref-cio-hosakan#04", Asker("teams", "U4"))]:
        talk.act(Action(a=kind, q=question, h=[hit]), user, "")
    return history


def test_the_report_on_a_recorded_history(tmp_path, index_dir):
    history = _history_with_traffic(tmp_path / "h.db", index_dir)
    records = load(KNOWLEDGE).by_id()
    report = build_report(history, records, days=30, stale_months=12, today=date(2028, 1, 1))
    assert (report.asked, report.answered) == (5, 2)
    assert (report.unanswered[0].question, report.unanswered[0].count) == ("横浜市のCIO補佐官の報酬", 2)
    assert report.worst_rated[0] == {"question": "奈良県のCIOの月収は？", "down": 2, "up": 0, "reasons": []}
    cited = dict(report.most_cited)
    assert cited["nara-pref-cio-dx-manager"] >= 1 and cited["osaka-pref-cio-hosakan"] >= 1
    assert "mie-pref-cdo" in report.never_cited and "osaka-pref-cio-hosakan" not in report.never_cited
    assert len(report.stale) == len(records)  # reviewed 2026-11-23, more than 12 months before 2028
    assert build_report(history, records, stale_months=12, today=date(2027, 1, 1)).stale == []
    _age(history, 40)
    assert build_report(history, records, days=30).asked == 0


def test_report_command_prints_json_csv_and_tables(tmp_path, index_dir):
    _history_with_traffic(tmp_path / "h.db", index_dir)
    env = {**os.environ, "HOSAKAN_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "HOSAKAN_INDEX_DIR": str(index_dir),
           "HOSAKAN_KNOWLEDGE_DIR": str(KNOWLEDGE), "COLUMNS": "200", "NO_COLOR": "1"}
    hosakan = str(Path(sys.executable).parent / "hosakan")

    def run(*args):
        done = subprocess.run([hosakan, "report", *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    data = json.loads(run("--format", "json"))
    assert data["asked"] == 5 and data["unanswered"][0]["count"] == 2
    csv_text = run("--format", "csv")
    assert "unanswered,横浜市のCIO補佐官の報酬,2" in csv_text and "never_cited,mie-pref-cdo,0" in csv_text
    table = run()
    assert "回答できなかった質問" in table and "横浜市のCIO補佐官の報酬" in table
    # times are Japan Standard Time, as officials read them
    assert data["until"].endswith("+09:00") and "（日本時間）" in table


def test_kept_answers_are_stored_compactly_capped_oldest_first_and_old_ones_still_read(tmp_path, hosakan):
    from hosakan.bot.storage.history import KeptAnswer, OldKeptAnswer

    history = History(f"sqlite:///{tmp_path / 'k.db'}", "salt", kept_bytes=20_000)
    talk = Conversation(hosakan, history)
    questions = ["大阪府のCIO補佐官の任期は？", "CIO補佐官の報酬が高い順に", "業務委託でCIO補佐官を置いた例は？"] * 10
    kept = [talk.keep(talk.ask(Question(q, Asker("api", "client"), "")), q) for q in questions]
    assert history.recorder.flush()
    with Session(history.engine) as session:
        sizes = [row.size for row in session.query(KeptAnswer)]
    shown = json.dumps({k: v for k, v in kept[1].items() if k != "answer_id"}).encode()  # as the database saw it before
    assert max(sizes) < 2_000 and max(sizes) * 4 < len(shown), (max(sizes), len(shown))
    fresh = History(f"sqlite:///{tmp_path / 'k.db'}", "salt")  # another replica: read from the database
    assert all(fresh.kept(k["answer_id"]) == {key: v for key, v in k.items() if key != "answer_id"} for k in kept)
    history.purge()  # beyond 20,000 bytes the oldest go, the newest stay
    assert fresh.kept(kept[0]["answer_id"]) is None and fresh.kept(kept[-1]["answer_id"]) is not None
    with Session(history.engine) as session:
        assert sum(row.size for row in session.query(KeptAnswer)) <= 20_000
    # a database from before keeps its old permalinks readable until they expire
    OldKeptAnswer.metadata.create_all(history.engine)
    with Session(history.engine) as session, session.begin():
        session.add(OldKeptAnswer(id="old-permalink", at=now(), body={"question": "奈良県のCIOは？", "hits": []}))
    assert History(f"sqlite:///{tmp_path / 'k.db'}", "salt").kept("old-permalink")["question"] == "奈良県のCIOは？"


def test_a_thumbs_down_reason_joins_its_vote_shows_in_the_report_and_goes_with_the_question(tmp_path, index_dir):
    history = History(f"sqlite:///{tmp_path / 'h.db'}", "salt", retention_days=90)
    talk = Conversation(LiveIndex(Settings(knowledge_dir=KNOWLEDGE, index_dir=index_dir)), history)
    asker, other = Asker("slack", "U1"), Asker("teams", "29:abc")
    down = Action(a="down", q="奈良県のCIOの月収は？", h=["nara-cio"])
    talk.act(down, asker, "")                                   # Slack: the vote first …
    talk.act(down, asker, "", reason="  古い情報でした\n（2021年の数字）  ")  # … then the dialog's reason
    talk.act(down, other, "", reason="別の県の話")              # Teams: the vote and its reason at once
    talk.act(Action(a="up", q="奈良県のCIOの月収は？"), asker, "", reason="ignored for a 👍")
    votes = history.feedback(now() - timedelta(days=1))
    assert sorted((v.helpful, v.reason) for v in votes) == [
        (False, "別の県の話"), (False, "古い情報でした （2021年の数字）"), (True, None)]
    records = {r.id: r for r in load(KNOWLEDGE).records}
    worst = build_report(history, records).worst_rated
    assert worst == [{"question": "奈良県のCIOの月収は？", "down": 2, "up": 1,
                      "reasons": ["別の県の話", "古い情報でした （2021年の数字）"]}]
    assert history.recorder.flush()
    with Session(history.engine) as session, session.begin():
        session.execute(update(Feedback).values(at=now() - timedelta(days=100)))
    history.purge()
    assert {(v.question, v.reason) for v in history.feedback(now() - timedelta(days=365))} == {(None, None)}


def test_a_database_from_before_feedback_reasons_gets_the_column_and_keeps_its_votes(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # the feedback table as Hosakan made it until 2026-12
        db.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY, at DATETIME, platform VARCHAR(16), "
                   "user_hash VARCHAR(32), question TEXT, hit_ids JSON, helpful BOOLEAN)")
        db.execute("INSERT INTO feedback (at, platform, user_hash, question, hit_ids, helpful) "
                   "VALUES (?, 'slack', 'x', '古い質問', '[]', 0)", (str(now()),))
    history = History(f"sqlite:///{path}", "salt")
    history.record_feedback("web", "u", "新しい質問", [], False, "数字が違う")
    votes = history.feedback(now() - timedelta(days=1))
    assert [(v.question, v.reason) for v in votes] == [("古い質問", None), ("新しい質問", "数字が違う")]
