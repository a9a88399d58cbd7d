"""The HTTP API on `hosakan serve`: /api/v1/ask, /api/v1/feedback, /api/v1/answers/<id> and the
OpenAPI document, for a municipality's portal or chat tool.

Every request but the OpenAPI document needs a bearer token from HOSAKAN_API_TOKENS (401
without); each token may ask HOSAKAN_API_REQUESTS_PER_MINUTE times a minute (429 with
Retry-After beyond). Anything a client sends that is not what the API takes gets 400 with a
Japanese message in JSON; nothing a client sends gets a 500. A conversation name is the
client's own: two tokens using the same name do not share a context.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import math
import time

from aiohttp import web

from adapters.api.openapi import document
from adapters.api.settings import ApiSettings
from bot import messages
from bot.conversation import Conversation
from bot.events import Action, Apology, Asker, Question, contract_of

MAX_BODY = 16_384  # bytes: a question and a conversation name, with room to spare
MAX_CONVERSATION = 200


def reply_json(data: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=lambda d: json.dumps(d, ensure_ascii=False))


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(code)
        self.response = reply_json({"error": code, "message": message}, status, headers)


class Buckets:
    """A token bucket per client: ``rate`` requests a minute, in bursts of up to ``rate``."""

    def __init__(self, rate: int):
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last refill)

    def wait(self, client: str) -> float:
        """0 when the client may go now (and it is counted), else the seconds until it may."""
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - last) * self.rate / 60.0)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1.0 - tokens) * 60.0 / self.rate


class ApiEndpoint:
    def __init__(self, conversation: Conversation, settings: ApiSettings):
        self.conversation = conversation
        self.history = conversation.history
        self.tokens = {hashlib.sha256(t.encode()).hexdigest()[:16]: t for t in settings.api_tokens}
        self.buckets = Buckets(settings.api_requests_per_minute)

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/api/v1/ask", self.ask)
        app.router.add_post("/api/v1/feedback", self.feedback)
        app.router.add_get("/api/v1/answers/{answer_id}", self.answer)
        app.router.add_get("/api/v1/openapi.json", self.openapi)

    # -- what every request goes through --------------------------------------------------
    def _client(self, request: web.Request) -> str:
        """The token's id (a hash: the token itself is never stored or logged), or 401."""
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header[:7].lower() == "bearer " else ""
        client = next((cid for cid, token in self.tokens.items()
                       if given and hmac.compare_digest(given.encode(), token.encode())), None)
        if client is None:
            raise Refused(401, "unauthorized", messages.API_UNAUTHORIZED, {"WWW-Authenticate": 'Bearer realm="hosakan"'})
        wait = self.buckets.wait(client)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise Refused(429, "rate_limited", messages.api_rate_limited(seconds), {"Retry-After": str(seconds)})
        return client

    @staticmethod
    async def _body(request: web.Request) -> dict:
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise Refused(413, "too_large", messages.api_too_large(MAX_BODY))
        raw = await request.content.read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            raise Refused(413, "too_large", messages.api_too_large(MAX_BODY))
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = None
        if not isinstance(body, dict):
            raise Refused(400, "not_json", messages.API_NOT_JSON)
        return body

    @staticmethod
    def _text(body: dict, name: str, *, limit: int, optional: bool = False) -> str | None:
        value = body.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > limit \
                or any("\ud800" <= c <= "\udfff" or c == "\x00" for c in value):
            raise Refused(400, "bad_field", messages.api_bad_field(name, f"1〜{limit:,} 文字の文字列"))
        return value

    @staticmethod
    async def _guard(work) -> web.Response:
        try:
            return await work()
        except Refused as refusal:
            return refusal.response

    # -- the endpoints --------------------------------------------------------------------
    async def ask(self, request: web.Request) -> web.Response:
        async def work() -> web.Response:
            client = self._client(request)
            body = await self._body(request)
            # the core answers an over-long question with a polite refusal of its own
            text = self._text(body, "question", limit=MAX_BODY)
            name = self._text(body, "conversation", limit=MAX_CONVERSATION, optional=True)
            where = f"api:{client}:{name}" if name else ""
            reply = await asyncio.to_thread(self.conversation.ask, Question(text, Asker("api", client), where))
            data = contract_of(reply, text)
            if isinstance(reply, Apology):
                return reply_json({**data, "error_id": reply.error_id}, 503)
            data["answer_id"] = self.history.keep(data) if self.history is not None else None
            return reply_json(data)
        return await self._guard(work)

    async def feedback(self, request: web.Request) -> web.Response:
        async def work() -> web.Response:
            client = self._client(request)
            body = await self._body(request)
            answer_id = self._text(body, "answer_id", limit=64)
            if not isinstance(body.get("helpful"), bool):
                raise Refused(400, "bad_field", messages.api_bad_field("helpful", "true または false"))
            kept = await self._kept(answer_id)
            hits = [hit["doc_id"] for hit in kept.get("hits", [])]
            action = Action(a="up" if body["helpful"] else "down", q=kept.get("question") or "", h=hits)
            reply = await asyncio.to_thread(self.conversation.act, action, Asker("api", client), "")
            return reply_json({"ok": True, "message": getattr(reply, "text", "")})
        return await self._guard(work)

    async def answer(self, request: web.Request) -> web.Response:
        async def work() -> web.Response:
            self._client(request)
            kept = await self._kept(request.match_info["answer_id"])
            return reply_json(kept)
        return await self._guard(work)

    async def openapi(self, request: web.Request) -> web.Response:
        return reply_json(document())

    async def _kept(self, answer_id: str) -> dict:
        if self.history is None or len(answer_id) > 64:
            raise Refused(404, "not_found", messages.API_NO_ANSWER)
        try:
            kept = await asyncio.to_thread(self.history.kept, answer_id)
        except Exception as error:  # noqa: BLE001 - the database is down: say so, do not fail
            self.history.recorder.failed(error, "reading a kept answer")
            raise Refused(503, "unavailable", messages.API_UNAVAILABLE) from None
        if kept is None:
            raise Refused(404, "not_found", messages.API_NO_ANSWER)
        return {**kept, "answer_id": answer_id}
