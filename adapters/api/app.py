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

from aiohttp import web

from hosakan.adapters.api.openapi import MAX_CONVERSATION, document
from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.http import MAX_BODY, Refused, TokenGate, json_body, kept_answer, reply_json, text_field
from hosakan.adapters.turns import in_turn
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Apology, Asker, Question, contract_of
from hosakan.bot.sentences import http_replies


class ApiEndpoint:
    def __init__(self, conversation: Conversation, settings: ApiSettings):
        self.conversation = conversation
        self.history = conversation.history
        self.settings = settings
        self.gate: TokenGate | None = None

    def routes(self, app: web.Application) -> None:
        self.gate = TokenGate.of(app, self.settings.api_tokens, self.settings.api_requests_per_minute)  # /mcp's too
        app.router.add_post("/api/v1/ask", self.ask)
        app.router.add_post("/api/v1/feedback", self.feedback)
        app.router.add_get("/api/v1/answers/{answer_id}", self.answer)
        app.router.add_get("/api/v1/openapi.json", self.openapi)

    # -- what every request goes through --------------------------------------------------
    def _client(self, request: web.Request) -> str:
        """The token's id (adapters/http.py: 401 without a valid token, 429 past its rate)."""
        return self.gate.client(request)

    # -- the endpoints --------------------------------------------------------------------
    async def ask(self, request: web.Request) -> web.Response:
        client = self._client(request)
        body = await json_body(request)
        # the core answers an over-long question with a polite refusal of its own
        text = text_field(body, "question", limit=MAX_BODY)
        name = text_field(body, "conversation", limit=MAX_CONVERSATION, optional=True)
        where = f"api:{client}:{name}" if name else ""
        question = Question(text, Asker("api", client), where)
        reply = await in_turn(question.asker, self.conversation.ask, question)
        if isinstance(reply, Apology):
            return reply_json({**contract_of(reply, text), "error_id": reply.error_id}, 503)
        data = await asyncio.to_thread(self.conversation.keep, reply, text)
        return reply_json({"answer_id": None, **data})

    async def feedback(self, request: web.Request) -> web.Response:
        client = self._client(request)
        body = await json_body(request)
        answer_id = text_field(body, "answer_id", limit=64)
        if not isinstance(body.get("helpful"), bool):
            raise Refused(400, "bad_field", http_replies.api_bad_field("helpful", "true または false"))
        kept = await kept_answer(self.history, answer_id)
        action = self.conversation.action_on(kept, "up" if body["helpful"] else "down")
        asker = Asker("api", client)
        reply = await in_turn(asker, self.conversation.act, action, asker, "")
        return reply_json({"ok": True, "message": getattr(reply, "text", "")})

    async def answer(self, request: web.Request) -> web.Response:
        self._client(request)
        return reply_json(await kept_answer(self.history, request.match_info["answer_id"]))

    async def openapi(self, request: web.Request) -> web.Response:
        return reply_json(document())
