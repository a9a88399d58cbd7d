"""The MCP server, called by the official SDK's own client: `hosakan mcp` spawned over stdio as a
desktop assistant spawns it, and /mcp on a real `serve` server on 127.0.0.1 over streamable HTTP
(behind the HTTP API's tokens). Malformed calls are sent raw as well, since the SDK's client
would not send them."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import time
import urllib.error
import urllib.request

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.server import Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.logs import JsonLines
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from tests.support.cli import HOSAKAN, clean_env
from tests.support.knowledge import KNOWLEDGE

TOKEN = "assistant-token-0123456789abcdef"
SLOW_TOKEN = "slow-assistant-token-0123456789"
SALT = "a-test-salt-of-32-characters-xyz"
NARA = "奈良県のCIOの月収は？"
SECRET = "秘密の質問文ｘｙｚ：練馬区のCDOの年収は？"  # asked only in ways that fail; never to be logged
TOOLS = {"ask", "search", "fetch"}


class Lines(logging.Handler):
    """Every log line the server process writes, as `serve` writes it (bot/logs.py)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonLines())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="module")
def served(loop, index_dir, tmp_path_factory):
    """Two `serve` servers over the session's index, with the API and /mcp on: one whose token may
    ask freely, one whose token may ask three times a minute; and what they log, from INFO up."""
    root = tmp_path_factory.mktemp("mcp")
    config = Settings(knowledge_dir=KNOWLEDGE, index_dir=index_dir, database_url=f"sqlite:///{root / 'h.db'}",
                      port=0, user_id_salt=SALT)
    talk = Conversation.recording(LiveIndex(config))
    lines, logger = Lines(), logging.getLogger()
    level = logger.level
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    servers = {}
    for name, settings in {"open": ApiSettings(api_tokens=[TOKEN], api_requests_per_minute=100_000),
                           "slow": ApiSettings(api_tokens=[SLOW_TOKEN], api_requests_per_minute=3)}.items():
        servers[name] = Server(config, talk, slack=SlackSettings(), teams=TeamsSettings(), api=settings, mcp=settings)
        loop.run(servers[name].start())
    yield servers, lines
    for server in servers.values():
        loop.run(server.stop())
    logger.removeHandler(lines)
    logger.setLevel(level)
    talk.service.close()


def over_http(loop, server: Server, work, token: str | None = TOKEN, mode: str = "auto"):
    """``work(client)`` with the SDK's client connected to the server's /mcp."""
    async def session():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
            async with Client(streamable_http_client(f"http://127.0.0.1:{server.port}/mcp", http_client=http),
                              mode=mode) as client:
                return await work(client)
    return loop.run(session(), timeout=120)


def post(server: Server, body: bytes | dict, token: str | None = TOKEN, method: str = "POST",
         headers: dict | None = None) -> tuple[int, dict, dict]:
    """A raw request to /mcp: (status, its JSON body or {}, headers)."""
    data = json.dumps(body, ensure_ascii=False).encode() if isinstance(body, dict) else body
    sent = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/mcp", data=data if method == "POST" else None,
                                     method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, got = error.code, error.read(), dict(error.headers)
    try:
        return status, json.loads(raw) if raw.strip() else {}, got
    except ValueError:  # the SDK's own plain-text refusals (a wrong Content-Type)
        return status, {"text": raw.decode("utf-8", "replace")}, got


def tool_call(name: str, arguments, number: int = 1) -> dict:
    return {"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": {"name": name, "arguments": arguments}}


def says_nara(result) -> None:
    """The ask tool's result for NARA: 約60万円, quoted from the record, with its citation and date."""
    assert not result.is_error
    answer = result.structured_content
    assert json.loads(result.content[0].text) == answer  # the same object, for clients that read text only
    assert answer["answered"] is True and "約60万円" in answer["direct_answer"]
    first = answer["hits"][0]
    assert "奈良県" in first["title"] and first["title"] in first["citation"] and "出典" in first["citation"]
    assert first["as_of"] and first["as_of"] in first["citation"] and first["source"]
    assert answer["facts"][0]["as_of"] and answer["facts"][0]["record_id"] == first["doc_id"].split("#")[0]


async def search_then_fetch(client) -> list[tuple[dict, dict]]:
    found = await client.call_tool("search", {"query": "CIO補佐官の報酬", "limit": 4})
    assert not found.is_error
    passages = found.structured_content["passages"]
    assert 1 <= len(passages) <= 4
    pairs = []
    for passage in passages:
        fetched = await client.call_tool("fetch", {"id": passage["doc_id"]})
        assert not fetched.is_error
        pairs.append((passage, fetched.structured_content))
    record = await client.call_tool("fetch", {"id": passages[0]["record_id"]})
    pairs.append((passages[0], record.structured_content))
    return pairs


def check_search_then_fetch(pairs: list[tuple[dict, dict]]) -> None:
    *passages, (first, record) = pairs
    for passage, fetched in passages:
        assert passage["citation"] and passage["as_of"] and passage["kind"] in ("case", "roundtable", "reference",
                                                                                  "source")
        assert "url" in passage and passage["places"] is not None
        assert fetched["type"] == "passage" and fetched["doc_id"] == passage["doc_id"]
        assert fetched["citation"] == passage["citation"] and fetched["as_of"] == passage["as_of"]
        assert passage["text"].strip("…") in fetched["text"]  # the snippet is part of the whole passage
    assert record["type"] == "record" and record["record_id"] == first["record_id"] and record["as_of"]
    assert first["doc_id"] in [p["doc_id"] for p in record["passages"]] and record["places"] == first["places"]


# -- stdio: `hosakan mcp` as a desktop assistant runs it --------------------------------------------
def stdio_env(index_dir, tmp_path) -> dict:
    return clean_env(HOSAKAN_HOME=str(tmp_path / "home"), HOSAKAN_INDEX_DIR=str(index_dir),
                     HOSAKAN_KNOWLEDGE_DIR=str(KNOWLEDGE), HOSAKAN_DATABASE_URL=f"sqlite:///{tmp_path / 'h.db'}",
                     HOSAKAN_USER_ID_SALT=SALT)


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # the 2026-07-28 protocol, and the initialize handshake
def test_over_stdio_the_sdk_client_lists_three_tools_asks_searches_and_fetches(index_dir, tmp_path, mode):
    parameters = StdioServerParameters(command=HOSAKAN, args=["mcp"], env=stdio_env(index_dir, tmp_path))

    async def session():
        with open(tmp_path / "stderr.txt", "w", encoding="utf-8") as errors:
            async with Client(stdio_client(parameters, errlog=errors), mode=mode) as client:
                tools = (await client.list_tools()).tools
                answer = await client.call_tool("ask", {"question": NARA})
                pairs = await search_then_fetch(client)
                wrong = await client.call_tool("ask", {"question": SECRET, "conversation": 7})
                return tools, answer, pairs, wrong

    tools, answer, pairs, wrong = asyncio.run(session())
    assert {tool.name for tool in tools} == TOOLS and len(tools) == 3
    for tool in tools:  # Japanese and English, and what the results are
        assert "生成した文章ではありません" in tool.description and "not generated" in tool.description
        assert tool.annotations.read_only_hint is True and tool.input_schema["type"] == "object"
    says_nara(answer)
    check_search_then_fetch(pairs)
    assert wrong.is_error and "conversation" in wrong.content[0].text
    logged = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert NARA not in logged and SECRET not in logged  # the server's log, stderr, holds no question


def test_over_stdio_every_line_out_is_protocol_and_a_line_that_is_no_message_gets_its_error(index_dir, tmp_path):
    """Raw lines, as a broken client might send them: each answered with a JSON-RPC error (not
    dropped, which would leave the client waiting), and nothing but JSON-RPC on stdout."""
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
    sent = [
        b"not json",
        json.dumps(initialize).encode(),
        b'{"jsonrpc": "2.0", "method": "notifications/initialized"}',
        b"[1, 2]",
        b'{"jsonrpc": "2.0", "id": 2, "method": "no/such/method"}',
        b'{"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": "not an object"}',
        json.dumps(tool_call("no_such_tool", {}, 4)).encode(),
        json.dumps(tool_call("ask", {}, 5)).encode(),
        json.dumps(tool_call("search", {"query": SECRET, "limit": "many"}, 6), ensure_ascii=False).encode(),
        json.dumps(tool_call("fetch", {"id": "x" * 5_000}, 7)).encode(),
        json.dumps(tool_call("ask", {"question": SECRET * 1_000}, 8), ensure_ascii=False).encode(),
        json.dumps(tool_call("fetch", {"id": "no-such-record"}, 9)).encode(),
        b"\xff\xfe{ not utf-8",
        json.dumps(tool_call("ask", {"question": NARA}, 10), ensure_ascii=False).encode(),
    ]
    process = subprocess.Popen([HOSAKAN, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=stdio_env(index_dir, tmp_path))
    process.stdin.write(b"\n".join(sent) + b"\n")
    process.stdin.flush()
    replies = []
    deadline = time.monotonic() + 60
    while len(replies) < 13 and time.monotonic() < deadline:  # every line but the notification
        line = process.stdout.readline()
        if not line:
            break
        replies.append(json.loads(line))  # every line on stdout is one JSON object
    rest, logged = process.communicate(timeout=30)  # stdin closed: the server ends
    assert process.returncode == 0 and rest == b""
    assert all(reply["jsonrpc"] == "2.0" and ("result" in reply) != ("error" in reply) for reply in replies)
    by_id = {reply["id"]: reply for reply in replies if reply["id"] is not None}
    unnumbered = [reply["error"]["code"] for reply in replies if reply["id"] is None]
    assert sorted(unnumbered) == [-32700, -32700, -32600]  # two lines not JSON, one batch
    assert by_id[2]["error"]["code"] == -32601 and by_id[3]["error"]["code"] == -32600
    assert by_id[4]["error"]["code"] == -32602 and "ask・search・fetch" in by_id[4]["error"]["message"]
    for number, field in [(5, "question"), (6, "limit"), (7, "id"), (8, "question")]:
        refused = by_id[number]["result"]
        assert refused["isError"] is True and f"「{field}」" in refused["content"][0]["text"]
    assert by_id[9]["result"]["isError"] is True and "search" in by_id[9]["result"]["content"][0]["text"]
    assert "約60万円" in by_id[10]["result"]["structuredContent"]["direct_answer"]
    assert SECRET.encode() not in logged and NARA.encode() not in logged


# -- /mcp on `serve` ----------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_over_http_the_sdk_client_lists_three_tools_and_gets_the_answer_with_its_citation(served, loop, mode):
    servers, _ = served

    async def work(client):
        return (await client.list_tools()).tools, await client.call_tool("ask", {"question": NARA})

    tools, answer = over_http(loop, servers["open"], work, mode=mode)
    assert [tool.name for tool in tools] == ["ask", "search", "fetch"]
    says_nara(answer)
    assert answer.structured_content["answer_id"]  # kept, as the API keeps it: /api/v1/answers/<id>


def test_over_http_search_returns_cited_passages_whose_ids_fetch_reads_back(served, loop):
    servers, _ = served
    check_search_then_fetch(over_http(loop, servers["open"], search_then_fetch))


def test_over_http_follow_ups_carry_within_a_named_conversation(served, loop):
    servers, _ = served

    async def work(client):
        await client.call_tool("ask", {"question": "印西市のCIO補佐官の募集について", "conversation": "desk-1"})
        follow_up = await client.call_tool("ask", {"question": "勤務日数は？", "conversation": "desk-1"})
        alone = await client.call_tool("ask", {"question": "勤務日数は？"})
        return follow_up.structured_content, alone.structured_content

    follow_up, alone = over_http(loop, servers["open"], work)
    assert follow_up["context"] == "印西市・CIO補佐官" and alone["context"] is None


@pytest.mark.parametrize("token", [None, "wrong-token-0123456789abcdef", TOKEN[:-1]])
def test_over_http_without_a_valid_token_it_is_401_with_www_authenticate(served, token):
    servers, _ = served
    status, refusal, headers = post(servers["open"], tool_call("ask", {"question": SECRET}), token=token)
    assert status == 401 and refusal["error"] == "unauthorized" and "トークン" in refusal["message"]
    assert headers["WWW-Authenticate"].startswith("Bearer")


def test_the_sdk_client_without_a_token_gets_no_tools(served, loop):
    servers, _ = served
    with pytest.raises(BaseExceptionGroup) as refused:  # the SDK's task groups carry its error
        over_http(loop, servers["open"], lambda client: client.list_tools(), token=None)
    assert refused.value.subgroup(MCPError) is not None


@pytest.mark.parametrize("body, headers, method, status", [
    (b"not json", {}, "POST", 400),
    (b"\xff\xfe", {}, "POST", 400),
    (b"[1, 2]", {}, "POST", 400),
    (b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": "x"}', {}, "POST", 400),
    (b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}', {"Content-Type": "text/plain"}, "POST", 400),
    (b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}', {"Mcp-Protocol-Version": "1999-01-01"}, "POST", 400),
    (b"not json", {"Mcp-Protocol-Version": "2026-07-28"}, "POST", 400),
    (b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}', {"Accept": "text/html"}, "POST", 406),
    (b"", {}, "GET", 405),
    (b"", {}, "DELETE", 405),
    (b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"x": "' + "あ".encode() * 200_000 + b'"}}',
     {}, "POST", 413),
])
def test_over_http_malformed_requests_get_a_4xx_never_a_5xx(served, body, headers, method, status):
    servers, _ = served
    got, refusal, _ = post(servers["open"], body, method=method, headers=headers)
    assert got == status, refusal
    assert refusal.get("error") or "Content-Type" in refusal["text"]  # a JSON-RPC error, or a JSON refusal


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_over_http_malformed_tool_calls_get_mcp_errors_or_tool_errors(served, loop, mode):
    servers, _ = served

    async def work(client):
        results = {}
        for name, arguments in [("ask", {}), ("ask", {"question": 5}), ("ask", {"question": ""}),
                                ("ask", {"question": SECRET * 800}), ("search", {"query": SECRET, "limit": 0}),
                                ("search", {"query": ["CIO"]}), ("fetch", {"id": "no-such-record#99"}),
                                ("fetch", {"id": None})]:
            said = f"{name} {json.dumps(arguments, ensure_ascii=False)[:40]}"
            results[said] = await client.call_tool(name, arguments)
        with pytest.raises(MCPError) as unknown:
            await client.call_tool("no_such_tool", {"question": SECRET})
        return results, unknown.value

    results, unknown = over_http(loop, servers["open"], work, mode=mode)
    for call, result in results.items():
        assert result.is_error, call
        assert any("\u3040" <= c <= "\u30ff" for c in result.content[0].text), call  # said in Japanese
    assert unknown.error.code == -32602 and "ask・search・fetch" in unknown.error.message


def test_an_over_long_question_within_the_limit_gets_the_polite_refusal(served, loop):
    servers, _ = served
    result = over_http(loop, servers["open"], lambda client: client.call_tool("ask", {"question": "あ" * 2_000}))
    assert not result.is_error and result.structured_content["answered"] is False
    assert result.structured_content["message"]


def test_a_token_s_minute_is_shared_between_the_api_and_mcp(served, loop):
    servers, _ = served
    server = servers["slow"]
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/v1/ask", method="POST",
                                     data=json.dumps({"question": "奈良県のCIOは？"}).encode(),
                                     headers={"Authorization": f"Bearer {SLOW_TOKEN}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
    listing = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    statuses = [post(server, listing, token=SLOW_TOKEN)[0] for _ in range(2)]
    status, refusal, headers = post(server, listing, token=SLOW_TOKEN)
    assert statuses == [200, 200] and status == 429  # three a minute: one on the API, two on /mcp
    assert int(headers["Retry-After"]) >= 1 and "秒後" in refusal["message"]


def test_healthz_lists_mcp_and_the_log_holds_no_question_and_no_token(served, loop):
    servers, lines = served
    with urllib.request.urlopen(f"http://127.0.0.1:{servers['open'].port}/healthz", timeout=10) as response:
        assert json.loads(response.read())["platforms"]["mcp"] == "on"

    async def work(client):
        await client.call_tool("ask", {"question": SECRET})
        await client.call_tool("search", {"query": SECRET})
        await client.call_tool("ask", {"question": SECRET, "conversation": ["wrong"]})
        await client.call_tool("fetch", {"id": SECRET})

    over_http(loop, servers["open"], work)
    post(servers["open"], b'{"jsonrpc": "2.0", "id": 1, "method": "' + SECRET.encode() + b'"}')
    logged = "\n".join(lines.lines)
    assert "mcp" in logged  # the lines were captured
    for secret in (SECRET, NARA, TOKEN, SLOW_TOKEN, json.dumps(SECRET)[1:-1]):
        assert secret not in logged
