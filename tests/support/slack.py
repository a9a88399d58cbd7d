"""Requests signed the way Slack signs them, its recorded payloads, and Hosakan serving Slack on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from hosakan.adapters.server import Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from tests.support.slack_standin import SlackStandIn

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PAYLOADS = Path(__file__).parent.parent / "payloads" / "slack"


@contextmanager
def serving_slack(loop, talk, **settings):
    """(Server, SlackStandIn): Hosakan serving Slack over HTTP on 127.0.0.1, its Web API the stand-in."""
    standin = SlackStandIn()
    loop.run(standin.start())
    slack_settings = SlackSettings(slack_bot_token="xoxb-test-token", slack_signing_secret=SECRET,
                                   slack_api_url=f"{standin.url}/api/", slack_escalation_channel="C0MAINTAINERS",
                                   **settings)
    server = Server(talk.settings, talk, slack=slack_settings, teams=TeamsSettings())
    loop.run(server.start())
    try:
        yield server, standin
    finally:
        loop.run(server.stop())
        loop.run(standin.stop())


def signature(body: str, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post(server: Server, body: str, content_type: str, *, timestamp: int | None = None,
         sign: str | None = None, headers: dict | None = None) -> tuple[int, str, float]:
    """POST to /slack/events the way Slack does; (status, body, monotonic time of the response)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/slack/events", data=body.encode(), method="POST",
        headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
                 "X-Slack-Signature": sign if sign is not None else signature(body, timestamp), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), time.monotonic()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic()


def event(name: str, text: str | None = None, event_id: str | None = None, **fields) -> str:
    payload = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    if text is not None:
        payload["event"]["text"] = text
    if event_id:
        payload["event_id"] = event_id
    payload["event"].update(fields)
    return json.dumps(payload, ensure_ascii=False)


def trigger() -> str:
    """A trigger_id as Slack gives each slash command and button press: never the same twice."""
    return f"{time.time_ns()}.{uuid.uuid4().hex[:12]}"


def all_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def button(blocks: list[dict], action_id: str) -> dict:
    return next(e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id)
