"""The real `hosakan` command run as a user runs it: its path, a free port, a clean environment, /healthz."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.knowledge import KNOWLEDGE

HOSAKAN = str(Path(sys.executable).parent / "hosakan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any Hosakan, Slack or Teams setting, as on a fresh server, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOSAKAN_", "SLACK_", "Microsoft"))}
    return {**env, "NO_COLOR": "1", **extra}


def health_once_up(port: int, seconds: float) -> dict | None:
    """/healthz of a `serve` starting on ``port``, once it answers (None if not within ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.1)
    return None


def run(*args: str, index_dir: Path, knowledge: Path = KNOWLEDGE, stdin: str | None = None, **env_vars: str):
    env = {**os.environ, "HOSAKAN_INDEX_DIR": str(index_dir), "HOSAKAN_KNOWLEDGE_DIR": str(knowledge),
           "COLUMNS": "200", "NO_COLOR": "1", **env_vars}
    return subprocess.run([HOSAKAN, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)
