"""Two `hosakan serve` processes sharing one database, as replicas behind a load balancer: a
follow-up in a Slack thread is understood by whichever process receives it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE
from tests.slack_standin import SlackStandIn
from tests.test_slack import SECRET, all_text, event, signature

HOSAKAN = str(Path(sys.executable).parent / "hosakan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(port: int, body: str) -> int:
    timestamp = int(time.time())
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/slack/events", data=body.encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(timestamp),
                 "X-Slack-Signature": signature(body, timestamp)})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


@pytest.fixture
def replicas(loop, index_dir, tmp_path):
    standin = SlackStandIn()
    loop.run(standin.start())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HOSAKAN_", "Microsoft"))}
    env.update(HOSAKAN_INDEX_DIR=str(index_dir), HOSAKAN_KNOWLEDGE_DIR=str(KNOWLEDGE),
               HOSAKAN_DATABASE_URL=f"sqlite:///{tmp_path / 'shared.db'}", SLACK_BOT_TOKEN="xoxb-test-token",
               SLACK_SIGNING_SECRET=SECRET, HOSAKAN_SLACK_API_URL=f"{standin.url}/api/", NO_COLOR="1")
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
        yield ports, standin
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
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
