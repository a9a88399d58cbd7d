"""`make bench`, the API part: questions per second through POST /api/v1/ask on loopback at 1, 10
and 50 concurrent clients, with p50 / p99 latency and the error count, for one worker process and
for one per core (HOSAKAN_WORKERS). A real `hosakan serve` process on the real records, with its
own index and SQLite database in a temporary folder; the clients run on the same machine.

    python -m bench.api [--seconds 10] [--clients 1 10 50] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import aiohttp
from rich.console import Console
from rich.table import Table

from bench.run import percentile

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
TOKEN = "bench-token-" + "0" * 20


async def _drive(url: str, questions: list[str], clients: int, seconds: float) -> dict:
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {TOKEN}"}

    async def client(number: int, session: aiohttp.ClientSession) -> None:
        nonlocal errors
        rng = random.Random(number)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                async with session.post(url, json={"question": rng.choice(questions)}, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:
        await asyncio.gather(*(client(n, session) for n in range(clients)))
    elapsed = time.monotonic() - started
    return {"clients": clients, "requests": len(latencies), "questions_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.5), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
            "errors": errors}


@contextmanager
def serving(env: dict[str, str], workers: int):
    """A real ``hosakan serve`` on a free loopback port with these settings (and the API token), until
    /healthz answers: yields (its process, the port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "HOSAKAN_"))} | env
    env.update(HOSAKAN_API_TOKENS=TOKEN, HOSAKAN_API_REQUESTS_PER_MINUTE="100000", HOSAKAN_WORKERS=str(workers))
    server = subprocess.Popen([str(Path(sys.executable).parent / "hosakan"), "serve", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(3000):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield server, port
    finally:
        server.terminate()
        server.wait(60)


def ask_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v1/ask"


def run(seconds: float, counts: list[int], workers: int = 1) -> list[dict]:
    from hosakan.bot.operations.evaluation import DEV_QUESTIONS, load_questions

    questions = [q.q for q in load_questions(DEV_QUESTIONS)]
    with tempfile.TemporaryDirectory() as folder:
        env = {"HOSAKAN_INDEX_DIR": f"{folder}/index", "HOSAKAN_DATABASE_URL": f"sqlite:///{folder}/h.db"}
        with serving(env, workers) as (_, port):
            url = ask_url(port)
            asyncio.run(_drive(url, questions, 1, 1.0))  # warm
            return [{"workers": workers, **asyncio.run(_drive(url, questions, clients, seconds))} for clients in counts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, nargs="*", default=[1, 10, 50])
    parser.add_argument("--workers", type=int, nargs="*", default=sorted({1, os.cpu_count() or 1}))
    args = parser.parse_args()
    rows = [row for workers in args.workers for row in run(args.seconds, args.clients, workers)]
    columns = ("workers", "clients", "requests", "questions_per_s", "p50_ms", "p99_ms", "errors")
    table = Table(title=f"POST /api/v1/ask on loopback ({args.seconds:.0f} s per row, real records, "
                        f"{os.cpu_count()} cores)")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right")
    for row in rows:
        table.add_row(*(str(row[c]) for c in columns))
    console = Console(width=160)
    console.print(table)
    most = max(args.workers)
    if most > 1 and max(args.clients) > 1:
        rate = {row["workers"]: row["questions_per_s"] for row in rows if row["clients"] == max(args.clients)}
        console.print(f"{max(args.clients)} clients: {most} workers answer {rate[most] / rate[1]:.2f}× "
                      "the questions per second of one")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "api.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
