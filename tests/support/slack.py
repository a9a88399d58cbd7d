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
from urllib.parse import urlencode

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


def feedback(blocks: list[dict], helpful: bool) -> dict:
    """The 👍 (helpful) or 👎 half of an answer's feedback_buttons, Slack's own, under the answer."""
    element = next(e for b in blocks if b["type"] == "context_actions" for e in b["elements"]
                   if e["type"] == "feedback_buttons")
    return element["positive_button" if helpful else "negative_button"]


def has_feedback(blocks: list[dict]) -> bool:
    return any(b["type"] == "context_actions" for b in blocks)


def vote(standin, half: dict, container: dict | None = None) -> str:
    """The block_actions payload Slack sends when one half of feedback_buttons is pressed: the
    element's action_id, and the value of the half pressed."""
    payload = json.loads((PAYLOADS / "block_actions_feedback.json").read_text(encoding="utf-8")
                         .replace("{hooks}", standin.url))
    payload["trigger_id"] = trigger()
    payload["actions"][0]["value"] = half["value"]
    if container:
        payload["container"] = container
        payload["channel"] = {"id": container["channel_id"], "name": "directmessage"}
        payload["message"].update(ts=container["message_ts"], thread_ts=container.get("thread_ts"))
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)})


def reason_submitted(standin, opened: dict, choice: int | None, words: str | None) -> str:
    """The view_submission Slack sends when the 👎 dialog Hosakan opened (``opened``, its
    views.open call) is sent with a choice (by its place in the list) and the asker's words."""
    view = opened["payload"]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    options = view["blocks"][1]["element"]["options"]
    values = {"why": {"choice": {"type": "radio_buttons",
                                 "selected_option": options[choice] if choice is not None else None}},
              "note": {"text": {"type": "plain_text_input", "value": words}}}
    payload = {"type": "view_submission", "team": {"id": "T0001", "domain": "cio-forum"},
               "user": {"id": "U0CLICKER", "username": "clicker", "name": "clicker", "team_id": "T0001"},
               "api_app_id": "A0HOSAKAN", "token": "verification-token-unused", "trigger_id": trigger(),
               "view": {"id": "V0REASON", "team_id": "T0001", "type": "modal", "callback_id": view["callback_id"],
                        "private_metadata": view["private_metadata"], "blocks": view["blocks"],
                        "state": {"values": values}, "hash": "1700000400.abcd", "app_id": "A0HOSAKAN"},
               "response_urls": [], "is_enterprise_install": False, "enterprise": None}
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
