"""`hosakan serve` answering in worker processes (HOSAKAN_WORKERS=2), as a real process on
loopback: answers, follow-ups and permalinks as with one, and a worker killed mid-service costs
no answer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.support.cli import HOSAKAN, free_port, health_once_up
from tests.support.knowledge import KNOWLEDGE

TOKEN = "workers-test-token-0123456789"


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def ask(port: int, question: str, conversation: str | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/ask", method="POST",
        data=json.dumps({"question": question, "conversation": conversation}).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_two_worker_processes_answer_follow_ups_and_survive_a_killed_worker(index_dir, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HOSAKAN_", "Microsoft"))}
    env.update(HOSAKAN_INDEX_DIR=str(index_dir), HOSAKAN_KNOWLEDGE_DIR=str(KNOWLEDGE), HOSAKAN_WORKERS="2",
               HOSAKAN_DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}", HOSAKAN_API_TOKENS=TOKEN,
               HOSAKAN_USER_ID_SALT="a-test-salt-of-32-characters-xyz", COLUMNS="200")
    process = subprocess.Popen([HOSAKAN, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        health = health_once_up(port, 120)
        assert health and health["workers"] == 2
        workers = [pid for pid in children(process.pid) if b"spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2
        first = ask(port, "大阪府のCIO補佐官の任期は？", "c-1")
        assert first["answered"] and "任期1年間" in first["direct_answer"]
        follow_up = ask(port, "報酬は？", "c-1")  # the context is the serving process's, whichever worker answers
        assert follow_up["context"] and "大阪府" in follow_up["context"]
        os.kill(workers[0], signal.SIGKILL)
        time.sleep(0.5)
        answers = [ask(port, "奈良県のCIOの月収は？") for _ in range(4)]
        assert all(a["answered"] and a["direct_answer"] for a in answers)
        assert ask(port, "大阪府のCIO補佐官の任期は？")["direct_answer"] == first["direct_answer"]
    finally:
        process.terminate()
        output, logged = process.communicate(timeout=30)
    assert "2個のワーカープロセス" in output
    assert "a worker process died" in logged
