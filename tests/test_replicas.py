"""Two `hosakan serve` processes sharing one database (a SQLite file, and a real PostgreSQL
server), as replicas behind a load balancer: a follow-up in a Slack thread is understood by
whichever process receives it, and a retry reaching the other replica is answered once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.knowledge import KNOWLEDGE
from tests.support.postgres import postgres  # noqa: F401 - the fixture
from tests.support.slack import SECRET, all_text, event, signature
from tests.support.slack_standin import SlackStandIn

HOSAKAN = str(Path(sys.executable).parent / "hosakan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(port: int, body: str, retry: int = 0) -> int:
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(timestamp),
               "X-Slack-Signature": signature(body, timestamp)}
    if retry:  # how Slack marks a delivery it sends again because no acknowledgement came in time
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body.encode(), method="POST",
                                     headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def _serve_two(standin: SlackStandIn, tmp_path: Path, index_dir: Path, database_url: str):
    """Two `hosakan serve` processes on one database, as two replicas behind a load balancer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HOSAKAN_", "Microsoft"))}
    env.update(HOSAKAN_INDEX_DIR=str(index_dir), HOSAKAN_KNOWLEDGE_DIR=str(KNOWLEDGE),
               HOSAKAN_DATABASE_URL=database_url,
               HOSAKAN_USER_ID_SALT="one-salt-for-every-replica-0123", SLACK_BOT_TOKEN="xoxb-test-token",
               SLACK_SIGNING_SECRET=SECRET, HOSAKAN_SLACK_API_URL=f"{standin.url}/api/", NO_COLOR="1",
               HOSAKAN_WORKERS="1")  # each replica answers in process: workers have their own test
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / f"serve-{n}.log" for n in range(2)]
    processes = [subprocess.Popen([HOSAKAN, "serve", "--port", str(port)], env=env, stdout=log.open("w"),
                                  stderr=subprocess.STDOUT) for port, log in zip(ports, logs)]
    try:
        for port, process, log in zip(ports, processes, logs):
            deadline = time.monotonic() + 300  # a bounded wait for start-up on a loaded machine, not a speed check
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                    break
                except OSError:
                    assert process.poll() is None, log.read_text(encoding="utf-8")
                    assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                    time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(params=["sqlite", "postgresql"])
def replicas(request, loop, index_dir, tmp_path):
    standin = SlackStandIn()
    loop.run(standin.start())
    url = (f"sqlite:///{tmp_path / 'shared.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres").url)
    try:
        for ports in _serve_two(standin, tmp_path, index_dir, url):
            yield ports, standin
    finally:
        loop.run(standin.stop())


def test_a_follow_up_reaching_the_other_replica_keeps_the_context(replicas):
    (first, second), standin = replicas
    thread = "1700000900.000100"
    assert _post(first, event("app_mention", "<@UHOSAKAN> 印西市のCIO補佐官の募集について", event_id="EvR1",
                              ts=thread)) == 200
    standin.wait_for(1, "chat.postMessage", timeout=60)
    # the reply, without a mention, reaches the other process: it knows the thread and its topic
    assert _post(second, event("message_thread", "勤務日数は？", event_id="EvR2", thread_ts=thread,
                               ts="1700000900.000200")) == 200
    posts = standin.wait_for(2, "chat.postMessage", timeout=60)
    assert len(posts) == 2 and posts[1]["payload"]["thread_ts"] == thread
    text = all_text(posts[1]["payload"]["blocks"])
    assert "（印西市・CIO補佐官について）" in text and "週1回以外はリモートワーク" in text


def test_a_retry_delivered_to_the_other_replica_is_answered_once(replicas):
    (first, second), standin = replicas
    body = event("app_mention", "<@UHOSAKAN> 三重県のCDOは？", event_id="EvRetry1", ts="1700000950.000100")
    assert _post(first, body) == 200
    standin.wait_for(1, "chat.postMessage", timeout=60)
    assert _post(second, body, retry=1) == 200 and _post(first, body, retry=2) == 200
    time.sleep(1.0)
    assert len(standin.posts("chat.postMessage")) == 1


@pytest.fixture
def postgres_replicas(loop, index_dir, tmp_path, postgres):
    standin = SlackStandIn()
    loop.run(standin.start())
    try:
        for ports in _serve_two(standin, tmp_path, index_dir, postgres.url):
            yield ports, standin
    finally:
        loop.run(standin.stop())


def test_a_bounded_load_across_both_replicas_has_no_errors_and_no_duplicates(postgres_replicas):
    """120 mentions, each sent to one replica and at once again to the other (as a retry), from
    12 clients, on PostgreSQL (the replicas' database; SQLite is the one-machine default): every
    one answered exactly once."""
    from concurrent.futures import ThreadPoolExecutor

    (first, second), standin = postgres_replicas
    questions = ["奈良県のCIOの月収は？", "大阪府のCIO補佐官の任期は？", "三重県のCDOは？",
                 "業務委託でCIO補佐官を置いた例は？"]
    count, latencies = 120, []

    def deliver(n: int) -> list[int]:
        body = event("app_mention", f"<@UHOSAKAN> {questions[n % len(questions)]}", event_id=f"EvLoad{n:04d}",
                     ts=f"1700001000.{n:06d}")
        ports = (first, second) if n % 2 else (second, first)
        started = time.monotonic()
        statuses = [_post(ports[0], body)]
        latencies.append(time.monotonic() - started)
        return statuses + [_post(ports[1], body, retry=1)]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = [status for result in pool.map(deliver, range(count)) for status in result]
    posts = standin.wait_for(count, "chat.postMessage", timeout=180)
    seconds = time.monotonic() - started
    time.sleep(1.0)
    threads = [post["payload"]["thread_ts"] for post in standin.posts("chat.postMessage")]
    assert statuses == [200] * (2 * count)
    assert len(threads) == count and len(set(threads)) == count, "a delivery was answered twice"
    latencies.sort()
    print(f"\n{count} events + {count} retries on 2 replicas: {2 * count / seconds:.0f} deliveries/s, "
          f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms "
          f"(acknowledgement), 0 errors, 0 duplicates, {len(posts)} answers")
