"""Faults under load: the history database locked (unwritable) and released while signed Slack
events arrive concurrently on 127.0.0.1. Every question gets its answer; after recovery every
question is recorded, except those the Recorder counted as dropped."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from hosakan.adapters.server import Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Asker, Question, Shown
from hosakan.bot.storage.contexts import Contexts
from hosakan.bot.storage.history import History, now
from tests.support.knowledge import recording_conversation
from tests.support.slack import SECRET, event, post
from tests.support.slack_standin import SlackStandIn

QUESTIONS = ["大阪府のCIO補佐官の任期は？", "奈良県のCIOの月収は？", "業務委託でCIO補佐官を置いた例は？",
             "三重県のCDOの選考方法は？", "印西市のCIO補佐官の勤務日数は？"]
LOAD, CONCURRENCY = 200, 20


def lock_database(path, seconds: float, locked: threading.Event) -> None:
    """Hold an exclusive lock on the SQLite file: no other connection can read or write it."""
    database = sqlite3.connect(path, timeout=10, isolation_level=None)
    database.execute("BEGIN EXCLUSIVE")
    locked.set()
    time.sleep(seconds)
    database.execute("COMMIT")
    database.close()


def health(server: Server) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def serving(loop, tmp_path):
    standin = SlackStandIn()
    loop.run(standin.start())
    talk = recording_conversation(tmp_path, {})
    slack = SlackSettings(slack_bot_token="xoxb-test-token", slack_signing_secret=SECRET,
                          slack_api_url=f"{standin.url}/api/")
    server = Server(talk.settings, talk, slack=slack, teams=TeamsSettings())
    loop.run(server.start())
    yield server, standin, tmp_path / "h.db"
    loop.run(server.stop())
    loop.run(standin.stop())


def test_a_locked_database_costs_no_answer_and_no_record_under_load(serving):
    server, standin, path = serving
    history = server.conversation.history
    assert history.recorder.flush()
    locked, done, seen = threading.Event(), threading.Event(), []

    def watch() -> None:  # what an operator's monitoring sees meanwhile
        while not done.is_set():
            seen.append(health(server)["history"]["status"])
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()

    def ask(number: int) -> int:
        if number == LOAD // 4:  # a quarter of the way in, the database stops taking anything for 4 s
            threading.Thread(target=lock_database, args=(path, 4.0, locked), daemon=True).start()
            locked.wait(5)
        body = event("app_mention", f"<@UHOSAKAN> {QUESTIONS[number % len(QUESTIONS)]}", event_id=f"EvLoad{number}",
                     ts=f"1700001000.{number:06d}", user=f"U0LOAD{number % 7}")
        return post(server, body, "application/json")[0]

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        statuses = list(pool.map(ask, range(LOAD)))
    assert statuses == [200] * LOAD
    answers = standin.wait_for(LOAD, "chat.postMessage", timeout=180)
    done.set()
    watcher.join()
    assert len(answers) == LOAD
    texts = [a["payload"]["text"] for a in answers]
    assert not [t for t in texts if "申し訳ありません" in t]  # not one apology: every question got its answer
    assert "failing" in seen  # /healthz told the operator while it lasted

    assert history.recorder.flush(timeout=60)
    state = health(server)["history"]
    assert state["status"] == "ok" and state["pending"] == 0
    rows = history.questions(now() - timedelta(minutes=10))
    assert len(rows) == LOAD - state["dropped"] and state["dropped"] == 0
    assert sorted({r.question.split("（")[0] for r in rows}) == sorted(QUESTIONS)


def test_beyond_the_bound_writes_are_dropped_and_counted_and_the_rest_arrive(hosakan, tmp_path, caplog):
    history = History(f"sqlite:///{tmp_path / 'b.db'}", "salt-of-this-test")
    history.recorder.bound = 10
    talk = Conversation(hosakan, history, Contexts(history.recorder, history.salt))
    locked = threading.Event()
    holder = threading.Thread(target=lock_database, args=(tmp_path / "b.db", 6.0, locked))
    holder.start()
    locked.wait(5)
    with caplog.at_level("WARNING", logger="hosakan.recorder"):
        replies = [talk.ask(Question(QUESTIONS[n % len(QUESTIONS)], Asker("slack", "U1"), "")) for n in range(30)]
        assert all(isinstance(r, Shown) and r.answer.answered for r in replies)
        holder.join()
        assert history.recorder.flush(timeout=30)
    state = history.recorder.state()
    # 30 questions waited behind the lock; at most 10 writes may wait
    assert state["dropped"] >= 20 and state["status"] == "ok"
    assert len(history.questions(now() - timedelta(minutes=5))) == 30 - state["dropped"]
    outage = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(outage) == 1 and "back after" in caplog.text  # logged once when it started, once when it ended
    assert "大阪府" not in caplog.text


def test_connections_opened_while_the_file_was_read_only_do_not_outlive_it(hosakan, tmp_path):
    """The file read-only: every connection opened meanwhile refuses writes for good (SQLite's
    PRAGMA query_only stands in for chmod, which root ignores). Once the file is writable again,
    the pool must not keep handing those connections out."""
    from sqlalchemy import event as sql_event

    history = History(f"sqlite:///{tmp_path / 'ro.db'}", "salt-of-this-test")
    read_only = threading.Event()
    read_only.set()

    @sql_event.listens_for(history.engine, "connect")
    def opened(connection, record) -> None:
        if read_only.is_set():
            connection.execute("PRAGMA query_only = ON")

    history.engine.dispose()  # every connection from here on is opened while "read-only"
    talk = Conversation(hosakan, history)
    asker = Asker("slack", "U1")
    for text in QUESTIONS:
        assert isinstance(talk.ask(Question(text, asker, "")), Shown)
    assert not history.recorder.flush(timeout=1.5) and history.recorder.state()["status"] == "failing"
    read_only.clear()  # writable again
    assert history.recorder.flush(timeout=30)
    assert talk.ask(Question(QUESTIONS[0], asker, "")).answer.answered
    assert history.recorder.flush(timeout=10)
    assert len(history.questions(now() - timedelta(minutes=5))) == len(QUESTIONS) + 1
    assert history.recorder.state()["dropped"] == 0


def test_serve_purges_expired_question_text_at_start(loop, tmp_path):
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from hosakan.bot.storage.history import Asked

    talk = recording_conversation(tmp_path, {})
    talk.ask(Question(QUESTIONS[0], Asker("slack", "U1"), "thread-old"))
    assert talk.history.recorder.flush()
    with Session(talk.history.engine) as session, session.begin():
        session.execute(update(Asked).values(at=now() - timedelta(days=talk.settings.question_retention_days + 1)))
    server = Server(talk.settings, talk, slack=SlackSettings(), teams=TeamsSettings())
    loop.run(server.start())
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            rows = talk.history.questions(now() - timedelta(days=400))
            if rows and rows[0].question is None:
                break
            time.sleep(0.1)
        assert len(rows) == 1 and rows[0].question is None  # the count stays, the text went at start
    finally:
        loop.run(server.stop())


def _mutated(payload, rnd):
    """The payload with fields dropped or given values of the wrong kind, at every depth."""
    if isinstance(payload, dict):
        changed = {}
        for key, value in payload.items():
            roll = rnd.random()
            if roll < 0.15:
                continue
            changed[key] = rnd.choice([None, 1, "x", [], {}, True, "\n<!channel>", 1e308]) if roll < 0.3 \
                else _mutated(value, rnd)
        return changed
    if isinstance(payload, list):
        return [_mutated(item, rnd) for item in payload]
    return payload


def test_mangled_slack_and_teams_payloads_never_get_a_5xx(loop, tmp_path):
    """Recorded payloads, correctly signed, with fields dropped or of the wrong kind (seeded)."""
    import random
    from pathlib import Path

    from tests.support.connector_standin import ConnectorStandIn
    from tests.support.slack import PAYLOADS, signature

    slack_standin, connector = SlackStandIn(), ConnectorStandIn()
    loop.run(slack_standin.start())
    loop.run(connector.start())
    talk = recording_conversation(tmp_path, {})
    slack = SlackSettings(slack_bot_token="xoxb-test-token", slack_signing_secret=SECRET,
                          slack_api_url=f"{slack_standin.url}/api/")
    server = Server(talk.settings, talk, slack=slack, teams=TeamsSettings(teams_local=True))
    loop.run(server.start())
    slack_payloads = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(PAYLOADS.glob("*.json"))
                      if path.name != "slash_command.json"]
    teams_payloads = [json.loads(path.read_text(encoding="utf-8").replace("{service}", f"{connector.url}/"))
                      for path in sorted((Path(__file__).parent / "payloads" / "teams").glob("*.json"))]
    rnd = random.Random(12)
    statuses = []

    def send(path: str, body: str, headers: dict) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=body.encode(), method="POST",
                                         headers={"Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        for _ in range(120):
            body, stamp = json.dumps(_mutated(rnd.choice(slack_payloads), rnd)), int(time.time())
            statuses.append(send("/slack/events", body, {"X-Slack-Request-Timestamp": str(stamp),
                                                         "X-Slack-Signature": signature(body, stamp)}))
            statuses.append(send("/api/messages", json.dumps(_mutated(rnd.choice(teams_payloads), rnd)), {}))
    finally:
        loop.run(server.stop())
        loop.run(connector.stop())
        loop.run(slack_standin.stop())
    assert len(statuses) == 240 and max(statuses) < 500
    assert 200 in statuses and 400 in statuses  # some still made sense, many did not
