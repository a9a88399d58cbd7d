"""The MCP server: three tools (ask, search, fetch) over one Conversation, built on the official SDK's
low-level ``Server``, served over stdio to a desktop assistant (`hosakan mcp`) or on `serve` at /mcp
over streamable HTTP.

/mcp stands behind the HTTP API's gate (adapters/http.py ``TokenGate``: the same bearer tokens, the
same per-token minute, the same wait after wrong tokens) and, like every route, the server's guard
(Host check, body time, JSON refusals, security headers). The SDK's transport is ASGI; here it runs
stateless with JSON responses — one POST, one JSON-RPC reply — so each request is handed to it as
one ASGI call and its reply returned as one aiohttp response. Its session manager lives from the
platform's start to its stop, in a task of its own (anyio's scopes end in the task they began in).

Nothing a client sends is logged: not a question, not a token (only the token's hash reaches the
history, as the API's does).
"""

from __future__ import annotations

import asyncio
from importlib.metadata import PackageNotFoundError, version

import anyio
from aiohttp import web
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.message import SessionMessage
from mcp_types import INVALID_REQUEST, PARSE_ERROR, ErrorData, JSONRPCError, ListToolsResult
from pydantic import ValidationError

from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.http import Refused, TokenGate, read_body
from hosakan.adapters.mcp import inbound, render
from hosakan.adapters.turns import in_turn
from hosakan.bot.answering.lookup import Quoted
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Apology, Asker, Question, contract_of
from hosakan.bot.sentences import assistants

PLATFORM = "mcp"  # as the history records the questions
LOCAL = "local"  # the one user of `hosakan mcp` over stdio
CLIENT = "hosakan.client"  # the ASGI scope's key for the token's id
MAX_REQUEST = 128 * 1024  # bytes of one JSON-RPC request: a question of MAX_BODY characters, \u-escaped
READY_WAIT = 10.0  # seconds a request that arrives while the session manager starts may wait for it
_SKIPPED = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})  # aiohttp's to set


def _version() -> str:
    try:
        return version("hosakan")
    except PackageNotFoundError:
        return ""


class Assistant:
    """The tools over a conversation, as the SDK's server serves them on any transport."""

    def __init__(self, conversation: Conversation):
        self.conversation = conversation
        self.service = conversation.service
        self.server = Server("hosakan", version=_version(), title="Hosakan（補佐官）",
                             instructions=assistants.INSTRUCTIONS, on_list_tools=self._list_tools,
                             on_call_tool=self._call_tool, get_tool_input_schema=self._schema)

    @staticmethod
    def _schema(name: str) -> dict | None:
        return next((tool.input_schema for tool in inbound.TOOLS if tool.name == name), None)

    async def _list_tools(self, ctx, params) -> ListToolsResult:
        return ListToolsResult(tools=inbound.TOOLS)

    async def _call_tool(self, ctx, params):
        try:
            call = inbound.read_call(params.name, params.arguments)
        except inbound.BadArgument as bad:
            return render.refusal(bad.message)
        request = getattr(ctx, "request", None)
        scope = getattr(request, "scope", None) or {}
        asker = Asker(PLATFORM, scope.get(CLIENT) or LOCAL)
        try:
            return await self._run(call, asker)
        except Exception:  # noqa: BLE001 - logged with an error id (no question text), said to the assistant
            apology = Conversation.apology()
            return render.refusal(apology.text, {"error_id": apology.error_id})

    async def _run(self, call: inbound.Call, asker: Asker):
        if isinstance(call, inbound.Ask):
            # a conversation name is the client's own: two tokens using one name do not share a context
            where = f"{PLATFORM}:{asker.user_id}:{call.conversation}" if call.conversation else ""
            reply = await in_turn(asker, self.conversation.ask, Question(call.question, asker, where))
            if isinstance(reply, Apology):
                return render.refusal(reply.text, {**contract_of(reply, call.question), "error_id": reply.error_id})
            data = await asyncio.to_thread(self.conversation.keep, reply, call.question)
            return render.result({"answer_id": None, **data})
        if isinstance(call, inbound.Search):
            found = await in_turn(asker, self.service.search, call.query, call.limit, assistants.NOTHING_FOUND)
            return render.result(found.contract())
        fetched = await in_turn(asker, self.service.fetch, call.id)
        if fetched is None:
            return render.refusal(assistants.NO_SUCH_ID)
        return render.result({"type": "passage" if isinstance(fetched, Quoted) else "record", **fetched.contract()})

    async def serve_stdio(self) -> None:
        """Serve one client on this process's stdin and stdout until stdin ends (the SDK points
        file descriptor 1 at stderr meanwhile, so that nothing else can reach the protocol)."""
        async with stdio_server() as (read_stream, write_stream):
            await self.server.run(_Answering(read_stream, write_stream), write_stream,
                                  self.server.create_initialization_options())


def _error_for(problem: Exception) -> JSONRPCError:
    """The JSON-RPC error for a line that is no message: a parse error for what is not JSON, else
    an invalid request, to the request's id where the line has one."""
    errors = problem.errors() if isinstance(problem, ValidationError) else []
    if any(error["type"] == "json_invalid" for error in errors) or not errors:
        return JSONRPCError(jsonrpc="2.0", id=None, error=ErrorData(code=PARSE_ERROR, message="Parse error"))
    given = next((error["input"]["id"] for error in errors if isinstance(error.get("input"), dict)
                  and isinstance(error["input"].get("id"), (str, int)) and not isinstance(error["input"]["id"], bool)),
                 None)
    return JSONRPCError(jsonrpc="2.0", id=given, error=ErrorData(
        code=INVALID_REQUEST, message="Invalid request: not a JSON-RPC 2.0 request or notification object"))


class _Answering:
    """The stdio read stream, less the lines that are no JSON-RPC message: the SDK drops those
    silently, which leaves a client waiting for ever; each is answered here with its JSON-RPC
    error instead, on the write stream the server answers on."""

    def __init__(self, inner, write_stream):
        self._inner, self._write = inner, write_stream

    @property
    def last_context(self):
        return getattr(self._inner, "last_context", None)

    async def receive(self):
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                return item
            try:
                await self._write.send(SessionMessage(_error_for(item)))
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                pass  # the server is closing: nobody to tell

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()


class McpEndpoint:
    """/mcp on `serve`: the gate, then one ASGI call of the SDK's stateless JSON transport."""

    def __init__(self, conversation: Conversation, settings: ApiSettings):
        self.assistant = Assistant(conversation)
        self.settings = settings
        self.gate: TokenGate | None = None
        self.manager: StreamableHTTPSessionManager | None = None
        self._ready = asyncio.Event()
        self._stopping = asyncio.Event()
        self._running: asyncio.Task | None = None

    def routes(self, app: web.Application) -> None:
        self.gate = TokenGate.of(app, self.settings.api_tokens, self.settings.api_requests_per_minute)  # the API's
        app.router.add_route("*", "/mcp", self.handle)

    async def start(self) -> None:
        # the Host check and the body's limits are the server's guard's (adapters/guard.py), not the SDK's
        self.manager = StreamableHTTPSessionManager(self.assistant.server, json_response=True, stateless=True,
                                                    max_request_body_size=MAX_REQUEST)
        self._ready, self._stopping = asyncio.Event(), asyncio.Event()
        self._running = asyncio.create_task(self._run(self.manager), name="hosakan-mcp")
        ready = asyncio.create_task(self._ready.wait())
        await asyncio.wait([ready, self._running], return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if self._running.done():
            self._running.result()  # it could not start: say why

    async def _run(self, manager: StreamableHTTPSessionManager) -> None:
        async with manager.run():
            self._ready.set()
            await self._stopping.wait()

    async def stop(self) -> None:
        self._stopping.set()
        if self._running is not None:
            await self._running
            self._running = None
        self._ready = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        client = self.gate.client(request)  # 401 / 429 before anything is read
        if request.method != "POST":  # stateless: no stream to open (GET), no session to end (DELETE)
            raise web.HTTPMethodNotAllowed(request.method, ["POST"])
        body = await read_body(request, MAX_REQUEST)
        try:
            await asyncio.wait_for(self._ready.wait(), READY_WAIT)
        except asyncio.TimeoutError:
            raise Refused(503, "unavailable", assistants.NOT_READY, {"Retry-After": "5"}) from None
        return await self._asgi(request, body, client)

    async def _asgi(self, request: web.Request, body: bytes, client: str) -> web.Response:
        """The request as one ASGI call of the SDK's transport, its reply as one response."""
        scope = {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": f"{request.version.major}.{request.version.minor}",
            "method": request.method, "scheme": request.scheme, "path": request.path,
            "raw_path": request.rel_url.raw_path.encode("latin-1", "replace"),
            "query_string": request.rel_url.raw_query_string.encode("latin-1", "replace"), "root_path": "",
            "headers": [(name.lower(), value) for name, value in request.raw_headers],
            "client": (request.remote or "", 0), "server": None, "state": {}, CLIENT: client,
        }
        answered = asyncio.Event()
        given = False
        status, headers, chunks = 500, [], []

        async def receive() -> dict:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await answered.wait()  # the client is gone once its answer is out
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers") or [])
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body") or b""))
                if not message.get("more_body"):
                    answered.set()

        try:
            await self.manager.handle_request(scope, receive, send)
        finally:
            answered.set()
        response = web.Response(status=status, body=b"".join(chunks))
        for name, value in headers:
            name = name.decode("latin-1")
            if name.lower() not in _SKIPPED:
                response.headers.add(name, value.decode("latin-1"))
        return response
