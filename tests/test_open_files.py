"""Many slow or idle connections against `hosakan serve`, over real HTTP on 127.0.0.1: they are closed
after a bounded time, a normal client still gets its answer, a request head or body that never
finishes cannot hold a connection, and running out of open files is logged once a minute, not once
per attempt. Over-long headers and URLs get Hosakan's JSON refusal, not aiohttp's plain text."""

from __future__ import annotations

import http.client
import json
import os
import resource
import select
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from hosakan.adapters import guard as guard_module, server as server_module
from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.server import AcceptFailures, Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.adapters.web.settings import WebSettings
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from tests.support.cli import HOSAKAN, clean_env, free_port
from tests.support.http import raw, refused_in_japanese, request
from tests.support.knowledge import KNOWLEDGE

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "open-files-test-token-0123456789"
QUESTION = "大阪府のCIO補佐官の任期は？"
API = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def talk(tmp_path_factory, index_dir):
    folder = tmp_path_factory.mktemp("open-files")
    conversation = Conversation.recording(LiveIndex(Settings(
        knowledge_dir=KNOWLEDGE, index_dir=index_dir, database_url=f"sqlite:///{folder / 'h.db'}", port=0,
        user_id_salt="a-test-salt-of-32-characters-xyz")))
    yield conversation
    conversation.service.close()


def every_platform(talk: Conversation) -> Server:
    return Server(talk.settings, talk, slack=SlackSettings(slack_bot_token="xoxb-test", slack_signing_secret="s" * 32),
                  teams=TeamsSettings(teams_local=True), api=ApiSettings(api_tokens=[TOKEN]), web=WebSettings())


@pytest.fixture(scope="module")
def served(loop, talk):
    server = every_platform(talk)
    loop.run(server.start())
    yield server
    loop.run(server.stop())


def closed_within(connection: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``connection`` (None if it stayed open ``seconds``)."""
    start = time.monotonic()
    connection.settimeout(seconds)
    try:
        while connection.recv(65536):
            pass
    except TimeoutError:
        return None
    except OSError:  # reset: closed too
        pass
    return time.monotonic() - start


# -- over-long heads: our JSON, never aiohttp's plain text -------------------------------------------

PATHS = [("POST", "/api/messages"), ("POST", "/api/v1/ask"), ("GET", "/"), ("POST", "/web/ask"),
         ("POST", "/slack/events"), ("GET", "/healthz"), ("GET", "/no/such/page")]


@pytest.mark.parametrize("method,path", PATHS)
def test_a_10_kb_header_gets_the_json_refusal_on_every_route(served, method, path):
    for name, value in (("Authorization", "Bearer " + "a" * 10_000), ("Cookie", "hosakan_session=" + "x" * 20_000),
                        ("X-Anything", "y" * 30_000)):
        status, headers, body = request(served, method, path, b"{}", {"Content-Type": "application/json", name: value})
        refused_in_japanese(status, headers, body, 400)
        assert json.loads(body)["error"] == "header_too_large", (path, name)


def test_headers_within_aiohttps_old_limit_still_reach_the_endpoint(served):
    status, _, body = request(served, "POST", "/api/v1/ask", json.dumps({"question": QUESTION}).encode(),
                              {**API, "X-Padding": "p" * 8_000})
    assert status == 200 and json.loads(body)["answered"]
    status, _, body = request(served, "POST", "/api/v1/ask", b"{}", {"Authorization": "Bearer " + "b" * 8_000})
    assert status == 401 and json.loads(body)["error"]  # a wrong token, refused as one


def test_a_long_url_gets_the_json_refusal_and_a_huge_head_is_never_a_5xx(served):
    status, headers, body = request(served, "GET", "/api/v1/answers/" + "a" * 10_000)
    refused_in_japanese(status, headers, body, 400)
    assert json.loads(body)["error"] == "url_too_long"
    # past the parser's own bound (32 KiB) aiohttp answers, in plain text, but still 400
    status, _, _ = request(served, "POST", "/api/messages", b"{}", {"Authorization": "Bearer " + "a" * 40_000})
    assert status == 400


# -- slow clients: closed after a bounded time ------------------------------------------------------

def test_idle_and_slow_head_connections_are_closed_and_others_answered(loop, talk, monkeypatch):
    monkeypatch.setattr(server_module, "IDLE_TIMEOUT", 1.0)
    server = every_platform(talk)
    loop.run(server.start())
    try:
        idle = socket.create_connection(("127.0.0.1", server.port))
        slow = socket.create_connection(("127.0.0.1", server.port))
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and the rest never comes
        status, _, _ = request(server, "GET", "/healthz")
        assert status == 200
        for connection in (idle, slow):
            waited = closed_within(connection, 10)
            assert waited is not None and waited < 5, "a connection stayed open with no request under way"
            connection.close()
        # after an answer, a kept-alive connection is closed once idle for as long
        keeper = socket.create_connection(("127.0.0.1", server.port))
        keeper.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert keeper.recv(65536).startswith(b"HTTP/1.1 200")
        assert closed_within(keeper, 10) is not None
        keeper.close()
    finally:
        loop.run(server.stop())


def test_a_body_that_does_not_arrive_in_time_gets_408(served, monkeypatch):
    monkeypatch.setattr(guard_module, "BODY_TIMEOUT", 1.0)
    head = (f"POST /api/v1/ask HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n").encode()
    started = time.monotonic()
    status, headers, body = raw(served, head, [b'{"question": '], pause=0.1)
    assert time.monotonic() - started < 10
    refused_in_japanese(status, headers, body, 408)
    assert json.loads(body)["error"] == "request_timeout" and headers["connection"] == "close"
    # a body that arrives whole is never cut, however long its answer takes
    status, _, body = request(served, "POST", "/api/v1/ask", json.dumps({"question": QUESTION}).encode(), API)
    assert status == 200


# -- failed accepts: said once a minute -------------------------------------------------------------

def test_failed_accepts_are_said_once_a_minute_and_other_loop_errors_pass_through(caplog):
    clock = [1000.0]
    passed = []
    handler = AcceptFailures(lambda loop, context: passed.append(context), clock=lambda: clock[0])
    failure = {"message": "socket.accept() out of system resource", "exception": OSError(24, "Too many open files")}
    with caplog.at_level("ERROR", logger="hosakan.server"):
        for _ in range(5_000):
            handler(None, failure)
            clock[0] += 0.01  # 50 s of a flood
        clock[0] += 11
        handler(None, failure)
        handler(None, {"message": "Task exception was never retrieved"})
    lines = [r.getMessage() for r in caplog.records if r.name == "hosakan.server"]
    assert len(lines) == 2, lines
    assert "EMFILE" in lines[0] and "open-file limit" in lines[0]
    assert "5000 failed attempts" in lines[1]
    assert passed == [{"message": "Task exception was never retrieved"}]


# -- the real serve, with few open files -----------------------------------------------------------

def _few_files(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, limit))
    return apply


def _ask(port: int, timeout: float) -> tuple[int, dict, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/api/v1/ask", json.dumps({"question": QUESTION}).encode(), API)
        response = connection.getresponse()
        return response.status, json.loads(response.read()), time.monotonic() - started
    finally:
        connection.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc (Linux)")
def test_serve_outlasts_more_idle_and_slow_connections_than_it_has_open_files(index_dir, tmp_path):
    """serve raises its soft limit (64) to the hard one (128); 150 idle and 10 slow connections
    use every descriptor; a client asking meanwhile is answered once the idle ones are closed
    (15 s), and the failed accepts make one log line, not thousands."""
    hard = min(128, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
    port = free_port()
    env = clean_env(HOSAKAN_HOME=str(tmp_path), HOSAKAN_KNOWLEDGE_DIR=str(ROOT / "knowledge"),
                    HOSAKAN_INDEX_DIR=str(index_dir), HOSAKAN_WORKERS="1", HOSAKAN_API_TOKENS=TOKEN,
                    HOSAKAN_USER_ID_SALT="a-test-salt-of-32-characters-xyz")
    log = tmp_path / "serve.log"
    attackers: list[socket.socket] = []
    stop = threading.Event()
    with log.open("w") as output:
        serve = subprocess.Popen([HOSAKAN, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                                 stdout=output, stderr=output, preexec_fn=_few_files(hard))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _ask(port, 5)[0] == 200:
                    break
            except OSError:
                pass
            assert serve.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.3)
        assert f"open-file limit {hard} (hard limit {hard})" in log.read_text()  # raised from 64

        started = time.monotonic()
        for _ in range(150):  # connect and say nothing
            connection = socket.socket()
            connection.setblocking(False)
            connection.connect_ex(("127.0.0.1", port))
            attackers.append(connection)
        slow = []
        for _ in range(10):  # a request head, a byte a second
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(connection)
        attackers += slow

        def trickle() -> None:
            while not stop.wait(1.0):
                for connection in slow:
                    try:
                        connection.send(b"X")
                    except OSError:
                        pass
        threading.Thread(target=trickle, daemon=True).start()
        time.sleep(1.0)
        assert len(os.listdir(f"/proc/{serve.pid}/fd")) >= hard - 2, "the connections did not use up the open files"

        status, body, waited = _ask(port, 45)
        assert status == 200 and "任期1年間" in body["direct_answer"]
        assert waited < server_module.IDLE_TIMEOUT + 15, f"answered only after {waited:.0f} s"
        # the idle ones were closed by serve (the first ones in, all of them by now)
        stop.set()
        time.sleep(1.0)
        ready, _, _ = select.select(attackers, [], [], 0)
        closed = 0
        for connection in ready:
            try:
                closed += connection.recv(1) == b""
            except OSError:
                closed += 1
        assert closed >= hard // 2, f"only {closed} of {len(attackers)} idle or slow connections were closed"
        assert time.monotonic() - started < 45
    finally:
        stop.set()
        for connection in attackers:
            connection.close()
        serve.terminate()
        serve.wait(timeout=20)
    text = log.read_text()
    assert "socket.accept() out of system resource" not in text  # asyncio's line, hundreds a second
    assert text.count("cannot accept new connections (EMFILE") == 1, text[-3000:]
    assert len(text.encode()) < 20_000, f"the log grew to {len(text.encode()):,} bytes"


def test_the_systemd_unit_and_the_nginx_example_set_their_limits():
    unit = (ROOT / "deploy" / "hosakan.service").read_text(encoding="utf-8")
    assert "\nLimitNOFILE=65536\n" in unit
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for line in ("limit_conn hosakan_connections", "limit_req zone=hosakan_requests", "client_header_timeout",
                 "client_body_timeout", "send_timeout", "keepalive_timeout 15s", "keepalive_timeout 10s",
                 "proxy_read_timeout", "large_client_header_buffers 4 32k", "limit_req_status 429"):
        assert line in nginx, line
