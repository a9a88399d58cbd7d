"""A small stand-in for Slack's servers on 127.0.0.1: the Web API (/api/<method>) and the
response_url hooks (/hooks/<id>). It answers as Slack does and records what the app sent."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

from aiohttp import web

from tests.support.local_server import LocalServer

BOT_USER = "UHOSAKAN"
# what Slack's assistant.threads.* methods refuse to go without (they answer invalid_arguments)
ASSISTANT_ARGUMENTS = {"assistant.threads.setStatus": ("channel_id", "thread_ts", "status"),
                       "assistant.threads.setTitle": ("channel_id", "thread_ts", "title"),
                       "assistant.threads.setSuggestedPrompts": ("channel_id", "prompts")}


class SlackStandIn(LocalServer):
    def __init__(self) -> None:
        super().__init__()
        self.refused: dict[str, str] = {}  # a Web API method -> the error Slack answers it with

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text() if request.method == "POST" else request.query_string
        if request.content_type == "application/json":
            payload = json.loads(raw or "{}")
        else:
            payload = {k: v[0] for k, v in parse_qs(raw).items()}
        for key, values in parse_qs(request.query_string).items():  # a POST may carry its arguments in the URL too
            payload.setdefault(key, values[0])
        for key in ("blocks", "attachments"):
            if isinstance(payload.get(key), str):
                payload[key] = json.loads(payload[key])
        self.calls.append({"method": method, "payload": payload, "at": time.monotonic(),
                           "auth": request.headers.get("Authorization", "")})
        if method == "auth.test":
            return web.json_response({"ok": True, "url": "https://example.invalid/", "team": "test",
                                      "user": "hosakan", "team_id": "T0001", "user_id": BOT_USER,
                                      "bot_id": "BHOSAKAN", "is_enterprise_install": False})
        if method == "chat.getPermalink":
            return web.json_response({"ok": True, "channel": payload.get("channel"),
                                      "permalink": f"https://example.invalid/archives/{payload.get('channel')}/p1"})
        if method in self.refused:  # e.g. views.open with a trigger_id past its 3 seconds
            return web.json_response({"ok": False, "error": self.refused[method]})
        if any(key not in payload for key in ASSISTANT_ARGUMENTS.get(method, ())):
            return web.json_response({"ok": False, "error": "invalid_arguments"})
        if method == "chat.postMessage":
            return web.json_response({"ok": True, "channel": payload.get("channel"), "ts": f"{time.time():.6f}"})
        return web.json_response({"ok": True})

    async def _hook(self, request: web.Request) -> web.Response:
        self.calls.append({"method": f"hook:{request.match_info['hook']}", "payload": await request.json(),
                           "at": time.monotonic(), "auth": request.headers.get("Authorization", "")})
        return web.Response(text="ok")

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk reads some methods with GET
        app.router.add_post("/hooks/{hook}", self._hook)

    def posts(self, method: str | None = None) -> list[dict]:
        return [c for c in self.calls if c["method"] != "auth.test" and (method is None or c["method"] == method)]

    def wait_for(self, count: int, method: str | None = None, timeout: float = 20.0) -> list[dict]:
        """The recorded posts once there are ``count`` of them (bounded wait, not a speed check)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.posts(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        return self.posts(method)
