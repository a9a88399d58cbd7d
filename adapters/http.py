"""What the JSON endpoints on `serve` (the API, /mcp, the web chat's) share: refusals as Japanese
JSON, bodies read within a limit, fields checked, a token bucket per client, and the bearer-token
gate the HTTP API and /mcp both stand behind."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import math
import time

from aiohttp import web

from hosakan.bot.sentences import http_replies
from hosakan.bot.storage.history import History

MAX_CLIENTS = 10_000  # clients a bucket set remembers before it forgets the idle ones
MAX_BODY = 16_384  # bytes: a question and a conversation name, with room to spare
FAILURES_PER_MINUTE = 10  # wrong or missing tokens an address may send before it must wait


def reply_json(data: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=lambda d: json.dumps(d, ensure_ascii=False))


class Refused(Exception):
    """A request Hosakan will not serve, as the JSON a client gets: {"error", "message"}. Raise it
    anywhere in a handler; the server's guard (adapters/guard.py) answers with its response."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(code)
        self.status, self.code, self.message, self.headers = status, code, message, headers

    @property
    def response(self) -> web.Response:
        return reply_json({"error": self.code, "message": self.message}, self.status, self.headers)


async def read_body(request: web.Request, limit: int = MAX_BODY) -> bytes:
    """The request's whole body: 413 beyond ``limit`` bytes, however it arrives (in pieces, chunked)."""
    if request.content_length is not None and request.content_length > limit:
        raise Refused(413, "too_large", http_replies.api_too_large(limit))
    raw = bytearray()
    while chunk := await request.content.read(limit + 1 - len(raw)):  # a body may arrive in pieces
        raw += chunk
        if len(raw) > limit:
            raise Refused(413, "too_large", http_replies.api_too_large(limit))
    return bytes(raw)


async def json_body(request: web.Request, limit: int = MAX_BODY) -> dict:
    """The request's JSON object: 413 beyond ``limit`` bytes, 400 for anything but a UTF-8 JSON object."""
    body = parse_json(await read_body(request, limit))
    if not isinstance(body, dict):
        raise Refused(400, "not_json", http_replies.API_NOT_JSON)
    return body


def parse_json(raw: bytes) -> object:
    """A UTF-8 JSON document, or None for anything else (bytes that are not UTF-8, bad syntax,
    nesting too deep for the parser)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def is_number(text: str) -> bool:
    """ASCII digits only: "²".isdigit() is true, and int("²") raises."""
    return text.isascii() and text.isdecimal()


NO_NUL = "^[^\x00]*$"  # what text_field takes, as the OpenAPI document says it (a pattern)


def text_field(body: dict, name: str, *, limit: int, optional: bool = False) -> str | None:
    """A non-empty string of at most ``limit`` characters (no NUL, no lone surrogate), or 400. A
    blank question is the core's to answer (politely, as empty)."""
    value = body.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or len(value) > limit \
            or any("\ud800" <= c <= "\udfff" or c == "\x00" for c in value):
        raise Refused(400, "bad_field", http_replies.api_bad_field(name, f"1〜{limit:,} 文字の文字列"))
    return value


async def kept_answer(history: History | None, answer_id: str) -> dict:
    """A kept answer with its id: 404 when there is none, 503 when the database cannot say."""
    if history is None or len(answer_id) > 64:
        raise Refused(404, "not_found", http_replies.API_NO_ANSWER)
    try:
        kept = await asyncio.to_thread(history.kept, answer_id)
    except Exception as error:  # noqa: BLE001 - the database is down: say so, do not fail
        history.recorder.failed(error, "reading a kept answer")
        raise Refused(503, "unavailable", http_replies.API_UNAVAILABLE) from None
    if kept is None:
        raise Refused(404, "not_found", http_replies.API_NO_ANSWER)
    return {**kept, "answer_id": answer_id}


class Buckets:
    """A token bucket per client: ``rate`` requests a minute, in bursts of up to ``rate``."""

    def __init__(self, rate: int):
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last refill)

    def _tokens(self, client: str, now: float) -> float:
        tokens, last = self._buckets.get(client, (float(self.rate), now))
        return min(float(self.rate), tokens + (now - last) * self.rate / 60.0)

    def wait(self, client: str) -> float:
        """0 when the client may go now (and it is counted), else the seconds until it may."""
        now = time.monotonic()
        tokens = self._tokens(client, now)
        if len(self._buckets) > MAX_CLIENTS:  # full buckets say nothing: forget them
            self._buckets = {c: b for c, b in self._buckets.items() if self._tokens(c, now) < self.rate}
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1.0 - tokens) * 60.0 / self.rate

    def waiting(self, client: str) -> float:
        """The seconds until the client may go, without counting this look."""
        tokens = self._tokens(client, time.monotonic())
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) * 60.0 / self.rate


def rate_limited(wait: float) -> Refused:
    """429 with Retry-After: the whole seconds until ``wait`` has passed (at least 1)."""
    seconds = max(1, math.ceil(wait))
    return Refused(429, "rate_limited", http_replies.api_rate_limited(seconds), {"Retry-After": str(seconds)})


_GATES: web.AppKey[dict] = web.AppKey("hosakan.token_gates", dict)  # (tokens, rate) -> its TokenGate


class TokenGate:
    """Who may call the HTTP API and /mcp: a bearer token from HOSAKAN_API_TOKENS (401 with
    WWW-Authenticate without one), each token HOSAKAN_API_REQUESTS_PER_MINUTE requests a minute (429
    with Retry-After beyond), and an address that keeps sending wrong tokens waits (429) before any
    is looked at. A server has one gate for a set of tokens (``of``): the API and /mcp share it, so a
    token's minute and an address's wrong tries count the same wherever they are spent."""

    def __init__(self, tokens: list[str], per_minute: int):
        # the token's id is a hash: the token itself is never stored with a question, nor logged
        self.tokens = {hashlib.sha256(t.encode()).hexdigest()[:16]: t for t in tokens}
        self.buckets = Buckets(per_minute)
        self.failures = Buckets(FAILURES_PER_MINUTE)  # wrong tokens, per address

    @classmethod
    def of(cls, app: web.Application, tokens: list[str], per_minute: int) -> "TokenGate":
        """The application's gate for these tokens at this rate, made by whichever surface asks first."""
        gates = app.get(_GATES)
        if gates is None:
            gates = app[_GATES] = {}
        key = (tuple(tokens), per_minute)
        if key not in gates:
            gates[key] = cls(tokens, per_minute)
        return gates[key]

    def client(self, request: web.Request) -> str:
        """The calling token's id, or Refused: 401 without a valid token, 429 past the token's rate or
        after too many wrong tokens from the request's address."""
        address = request.remote or "?"
        if self.failures.waiting(address):
            raise rate_limited(self.failures.waiting(address))
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header[:7].lower() == "bearer " else ""
        given_bytes = given.encode("utf-8", "surrogateescape")  # aiohttp keeps bytes that are not UTF-8 that way
        client = next((cid for cid, token in self.tokens.items()
                       if given and hmac.compare_digest(given_bytes, token.encode())), None)
        if client is None:
            self.failures.wait(address)
            raise Refused(401, "unauthorized", http_replies.API_UNAUTHORIZED,
                          {"WWW-Authenticate": 'Bearer realm="hosakan"'})
        wait = self.buckets.wait(client)
        if wait:
            raise rate_limited(wait)
        return client
