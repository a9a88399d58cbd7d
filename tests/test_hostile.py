"""Hostile requests to a running `serve` on 127.0.0.1, sent byte by byte as an attacker (or a
clumsy client) would: every one gets a 4xx with a Japanese JSON reason and the security headers,
never a 500, and a valid body is read whole however it arrives."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.server import Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.adapters.web.settings import WebSettings
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from tests.support.http import raw, refused_in_japanese, request
from tests.support.knowledge import KNOWLEDGE
from tests.support.slack import SECRET, signature

TOKEN = "hostile-test-token-0123456789"
DEEP = ("[" * 8_000 + "]" * 8_000).encode()  # under the 16 KB limit, far past the parser's depth
DEEP_OBJECT = ('{"question": ' + "[" * 8_000 + "]" * 8_000 + "}").encode()


@pytest.fixture(scope="module")
def served(loop, tmp_path_factory, index_dir):
    folder = tmp_path_factory.mktemp("hostile")  # the session's index of the real records, a database of its own
    talk = Conversation.recording(LiveIndex(Settings(
        knowledge_dir=KNOWLEDGE, index_dir=index_dir, database_url=f"sqlite:///{folder / 'h.db'}", port=0,
        user_id_salt="a-test-salt-of-32-characters-xyz")))
    slack = SlackSettings(slack_bot_token="xoxb-test-token", slack_signing_secret=SECRET,
                          slack_api_url="http://127.0.0.1:9/api/")
    servers = {
        "local": Server(talk.settings.model_copy(update={"allowed_hosts": ["hosakan.city.example"]}), talk,
                        slack=slack, teams=TeamsSettings(teams_local=True), api=ApiSettings(api_tokens=[TOKEN]),
                        web=WebSettings()),
        "throttled": Server(talk.settings, talk, slack=SlackSettings(), teams=TeamsSettings(),
                            api=ApiSettings(api_tokens=[TOKEN]), web=WebSettings(web=False)),
        "header": Server(talk.settings.model_copy(update={"host": "0.0.0.0"}), talk, slack=SlackSettings(),
                         teams=TeamsSettings(), api=ApiSettings(), web=WebSettings(web_user_header="X-Forwarded-User")),
    }
    for server in servers.values():
        loop.run(server.start())
    yield servers
    for server in servers.values():
        loop.run(server.stop())
    talk.service.close()


API = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
WEB = {"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"}


def test_json_nested_thousands_deep_is_refused_on_every_endpoint(served):
    server = served["local"]
    for path, headers in (("/api/v1/ask", API), ("/web/ask", WEB),
                          ("/api/messages", {"Content-Type": "application/json"})):
        for body in (DEEP, DEEP_OBJECT):
            status, got, text = request(server, "POST", path, body, headers)
            assert status == 400, (path, status, text[:200])
    stamp = int(time.time())
    body = DEEP_OBJECT.decode()
    status, _, _ = request(server, "POST", "/slack/events", DEEP_OBJECT, {
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": signature(body, stamp)})
    assert status == 400


def test_superscript_digits_non_utf8_tokens_and_bogus_gzip_are_4xx(served):
    server = served["local"]
    # a session cookie whose expiry is 「²」 is no session: the page opens with a new one
    status, headers, _ = request(server, "GET", "/", headers={"Cookie": "hosakan_session=abc.²³.00"})
    assert status == 200 and "hosakan_session=" in headers.get("set-cookie", "")
    status, _, _ = request(server, "POST", "/slack/events", b"{}", {
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": "1²", "X-Slack-Signature": "v0=00"})
    assert status == 401
    refused_in_japanese(*request(server, "POST", "/api/v1/ask", b'{"question": "x"}', {
        "Authorization": b"Bearer \xff\xfe\x80token-that-is-not-utf8", "Content-Type": "application/json"}), 401)
    refused_in_japanese(*request(server, "POST", "/api/v1/ask", b"this is not gzip at all", {
        **API, "Content-Encoding": "gzip"}), 400)
    # a real gzip body is read, as aiohttp decodes it
    body = gzip.compress(json.dumps({"question": "大阪府のCIO補佐官の任期は？"}).encode())
    status, _, text = request(server, "POST", "/api/v1/ask", body, {**API, "Content-Encoding": "gzip"})
    assert status == 200 and json.loads(text)["answered"] is True


def test_a_body_in_two_pieces_or_in_chunks_is_read_whole(served):
    server = served["local"]
    body = json.dumps({"question": "大阪府のCIO補佐官の任期は？"}, ensure_ascii=False).encode()
    head = (f"POST /api/v1/ask HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nConnection: close\r\n").encode()
    status, _, text = raw(server, head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:9], [body[9:]], 0.3)
    assert status == 200 and json.loads(text)["answered"] is True
    chunks = [b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:7], body[7:20], body[20:])] + [b"0\r\n\r\n"]
    status, _, text = raw(server, head + b"Transfer-Encoding: chunked\r\n\r\n", chunks, 0.1)
    assert status == 200 and json.loads(text)["answered"] is True
    # past the limit, however it arrives
    big = b'{"question": "' + b"a" * 20_000 + b'"}'
    chunks = [b"%x\r\n%s\r\n" % (len(big[i:i + 4096]), big[i:i + 4096]) for i in range(0, len(big), 4096)]
    status, headers, text = raw(server, head + b"Transfer-Encoding: chunked\r\n\r\n", chunks + [b"0\r\n\r\n"], 0.01)
    refused_in_japanese(status, headers, text, 413)


def test_loopback_mode_answers_only_loopback_host_names(served):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    server = served["local"]
    for path in ("/", "/web/ask", "/healthz", "/api/v1/openapi.json"):
        method = "POST" if path == "/web/ask" else "GET"
        refused_in_japanese(*request(server, method, path, b'{"question": "x"}', WEB, host="evil.example"), 421)
    for host in (f"localhost:{server.port}", f"[::1]:{server.port}", "127.0.0.1", "hosakan.city.example:443"):
        assert request(server, "GET", "/healthz", host=host)[0] == 200, host
    # beyond loopback the reverse proxy and the sign-in guard the page; any name is served
    assert request(served["header"], "GET", "/healthz", host="hosakan.city.example")[0] == 200


def test_every_response_carries_the_security_headers(served):
    server = served["local"]
    cases = [("GET", "/no/such/page", b"", {}, 404), ("DELETE", "/api/v1/ask", b"", {}, 405),
             ("POST", "/slack/events", b"x" * (1024 * 1024 + 10), {"Content-Type": "text/plain"}, 413)]
    for method, path, body, headers, code in cases:
        refused_in_japanese(*request(server, method, path, body, headers), code)
    for path in ("/healthz", "/api/v1/openapi.json", "/"):
        status, headers, _ = request(server, "GET", path)
        assert status == 200 and headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY" and "cache-control" in headers


def test_two_user_headers_are_refused_rather_than_trusting_the_first(served):
    server = served["header"]
    head = (f"POST /web/ask HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
            "X-Forwarded-User: mallory\r\nX-Forwarded-User: alice\r\nConnection: close\r\n").encode()
    body = json.dumps({"question": "大阪府のCIO補佐官の任期は？"}).encode()
    refused_in_japanese(*raw(server, head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body), 400)
    head = head.replace(b"X-Forwarded-User: mallory\r\n", b"")
    assert raw(server, head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)[0] == 200


def test_wrong_api_tokens_are_throttled_per_address(served):
    server = served["throttled"]
    statuses = [request(server, "POST", "/api/v1/ask", b'{"question": "x"}',
                        {"Authorization": f"Bearer wrong-{n:04d}-0123456789", "Content-Type": "application/json"})[0]
                for n in range(14)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
    status, headers, body = request(server, "POST", "/api/v1/ask", b'{"question": "x"}', API)
    refused_in_japanese(status, headers, body, 429)  # the address waits, whatever token it sends now
    assert int(headers["retry-after"]) >= 1


def test_one_client_sending_costly_questions_cannot_stall_another(loop, served):
    """A client asks, one a second, 499-character questions built to be slow (katakana under stacked
    combining marks, each new); another asks ordinary questions as fast as it can. Its throughput
    with the costly client beside it is compared with its throughput alone, in one run."""
    import random
    import threading
    import urllib.request

    talk = served["local"].conversation
    costly = "costly-client-token-0123456789"
    server = Server(talk.settings, talk, slack=SlackSettings(), teams=TeamsSettings(), web=WebSettings(web=False),
                    api=ApiSettings(api_tokens=[TOKEN, costly], api_requests_per_minute=100_000))
    loop.run(server.start())
    ordinary = ["大阪府のCIO補佐官の任期は？", "奈良県のCIOの月収は？", "業務委託でCIO補佐官を置いた例は？",
                "印西市のCIO補佐官の勤務日数は？", "座談会で東京都CIOは研修について何と言っていた？"]

    def ask(token: str, question: str) -> int:
        call = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/v1/ask", method="POST",
                                      data=json.dumps({"question": question}).encode(),
                                      headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status

    def answered_in(seconds: float) -> int:
        count, end = 0, time.monotonic() + seconds
        while time.monotonic() < end:
            assert ask(TOKEN, ordinary[count % len(ordinary)]) == 200
            count += 1
        return count

    stop, active, statuses = threading.Event(), threading.Event(), []

    def hostile() -> None:
        rnd = random.Random(21)
        while not stop.is_set():
            if not active.wait(0.05):
                continue
            sent = time.monotonic()
            text = "".join(chr(rnd.randint(0x30a1, 0x30fa)) + "\u0301\u0302\u0303" for _ in range(124))
            statuses.append(ask(costly, text[:499]))
            stop.wait(max(0.0, 1.0 - (time.monotonic() - sent)))

    thread = threading.Thread(target=hostile)
    thread.start()
    alone = beside = 0
    try:
        answered_in(1.0)  # warm
        for _ in range(4):  # alternating windows, so that other load on the machine falls on both alike
            alone += answered_in(1.5)
            active.set()
            beside += answered_in(1.5)
            active.clear()
    finally:
        stop.set()
        thread.join()
        loop.run(server.stop())
    assert statuses and set(statuses) == {200}
    assert beside >= 0.65 * alone, (alone, beside)  # measured 0.91 here; 0.39 before questions' cost was bounded


def test_a_burst_from_one_client_waits_its_turn_behind_another_clients_question(loop, served):
    """60 costly questions sent at once by one client (its rate limit allows a burst) are answered
    a few at a time (adapters/turns.py); an ordinary question sent just after them is answered
    long before the burst is (it waits only for the few already being answered)."""
    import random
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    talk = served["local"].conversation
    costly = "bursting-client-token-0123456789"
    server = Server(talk.settings, talk, slack=SlackSettings(), teams=TeamsSettings(), web=WebSettings(web=False),
                    api=ApiSettings(api_tokens=[TOKEN, costly], api_requests_per_minute=100_000))
    loop.run(server.start())

    def ask(token: str, question: str) -> float:
        call = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/v1/ask", method="POST",
                                      data=json.dumps({"question": question}).encode(),
                                      headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(call, timeout=120) as response:
            assert response.status == 200
        return time.monotonic()

    rnd = random.Random(8)
    burst = ["".join(chr(rnd.randint(0x30a1, 0x30fa)) + "\u0301" for _ in range(240))[:480] for _ in range(60)]
    try:
        with ThreadPoolExecutor(61) as pool:
            started = time.monotonic()
            costly_done = [pool.submit(ask, costly, text) for text in burst]
            time.sleep(0.3)  # the burst has arrived
            ordinary_done = pool.submit(ask, TOKEN, "大阪府のCIO補佐官の任期は？").result() - started
            burst_done = max(job.result() for job in costly_done) - started
    finally:
        loop.run(server.stop())
    assert ordinary_done < 0.3 * burst_done, (ordinary_done, burst_done)
