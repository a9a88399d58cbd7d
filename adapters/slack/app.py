"""Hosakan as a slack-bolt app: wiring and transport only.

Mentions are answered in their thread, and later replies in a thread Hosakan answered in are
answered without a mention; DMs in their thread, as Slack's agent messaging experience has it
(adapters/slack/agent.py); `/hosakan` only to the asker (with a button to share).
Every button carries one Action; 👍/👎 are Slack's own feedback buttons, and a 👎 opens a dialog
asking why (recorded with the vote for `hosakan report`). Bolt acknowledges events before the listeners run, so a slow
answer never makes Slack retry; a repeated delivery (same event_id) is answered once, and so is a
replayed slash command or button press (same trigger_id).

Over HTTP (SlackEndpoint), a request whose signature does not verify gets 401 and a malformed one
400, before bolt sees it: never a 500.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Callable
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from hosakan.adapters.http import is_number
from hosakan.adapters.slack import inbound, render
from hosakan.adapters.slack.agent import answer_dm, button_thread, create_assistant, on_messages_tab
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.turns import in_turn
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Action, Forward, Notice, Question, Reply, Shown
from hosakan.bot.sentences import officials

log = logging.getLogger("hosakan.slack")


def create_app(conversation: Conversation, settings: SlackSettings) -> AsyncApp:
    mode, _ = settings.mode()
    signing_secret = settings.slack_signing_secret if mode == "http" else None
    app = AsyncApp(
        client=AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        signing_secret=signing_secret or "socket-mode",
        request_verification_enabled=signing_secret is not None,
    )
    escalation_channel = settings.slack_escalation_channel

    @app.middleware
    async def drop_repeats(body: dict, next: Callable) -> BoltResponse | None:
        """An event Slack delivers again (same event_id), or a slash command or button press sent
        again (same trigger_id), is acknowledged and not answered twice, whichever replica it reaches."""
        key = body.get("event_id") or body.get("trigger_id")
        if isinstance(key, str) and key and not await asyncio.to_thread(conversation.first_delivery, f"slack:{key}"):
            log.info("ignoring a repeated delivery")
            return BoltResponse(status=200, body="")
        return await next()

    async def send(post: Callable, reply: Reply, **shape) -> None:
        """Post a reply; an apology if rendering or posting it fails."""
        try:
            fallback, blocks = render.render(reply, escalate=escalation_channel is not None, **shape)
            await post(text=fallback, blocks=blocks)
        except Exception:  # noqa: BLE001 - the asker gets an apology, the log the traceback
            apology = conversation.apology()
            fallback, blocks = render.render(apology)
            await post(text=fallback, blocks=blocks)

    def in_thread(client: AsyncWebClient, channel: str, thread: str | None) -> Callable:
        async def post(**message):
            await client.chat_postMessage(channel=channel, **({"thread_ts": thread} if thread else {}), **message)
        return post

    def ephemeral(respond: Callable, **extra) -> Callable:
        async def post(**message):
            await respond(response_type="ephemeral", **extra, **message)
        return post

    async def answer(question: Question, post: Callable, **shape) -> None:
        await send(post, await in_turn(question.asker, conversation.ask, question), **shape)

    # questions in DM threads and the legacy assistant threads: a middleware, so it takes their
    # events before any listener below
    app.assistant(create_assistant(conversation, settings, answer))

    @app.event("app_home_opened")
    async def on_home_opened(event: dict, context: dict) -> None:
        await on_messages_tab(event, conversation, context.get("set_suggested_prompts"))

    @app.event("app_mention")
    async def on_mention(event: dict, client: AsyncWebClient) -> None:
        if inbound.ignored(event, any_subtype=False):
            return
        await answer(inbound.mention(event, settings),
                     in_thread(client, event["channel"], event.get("thread_ts") or event["ts"]))

    @app.event("message")
    async def on_message(event: dict, client: AsyncWebClient, context: dict) -> None:
        if inbound.ignored(event):
            return
        if event.get("channel_type") == "im":
            await answer_dm(event, client, settings, conversation, answer)
            return
        question = inbound.thread_reply(event, settings, context.get("bot_user_id"))
        # a thread Hosakan answered in: the asker need not mention it again
        if question is not None and await asyncio.to_thread(conversation.knows, question.conversation):
            await answer(question, in_thread(client, event["channel"], event["thread_ts"]))

    @app.command("/hosakan")
    async def on_command(ack: Callable, command: dict, respond: Callable) -> None:
        await ack()
        await answer(inbound.command(command, settings), ephemeral(respond), shareable=True)

    @app.action(re.compile(f"^{render.ACTION_PREFIX}"))
    async def on_button(ack: Callable, body: dict, action: dict, respond: Callable, client: AsyncWebClient) -> None:
        await ack()
        pressed, asker, where = inbound.action(body, action, settings)
        reply = await in_turn(asker, conversation.act, pressed, asker, where)
        if isinstance(pressed, Action) and pressed.kind == "down" and await ask_why(pressed, body, client):
            return  # the dialog is the acknowledgement
        if isinstance(reply, Forward):
            reply = await forward(reply, body, client)
        if thread := button_thread(body):  # an assistant thread: a response_url reply would land beside it
            post = in_thread(client, *thread)
        elif isinstance(reply, Shown) and reply.shared_by:
            async def post(**message):
                await respond(response_type="in_channel", replace_original=False, **message)
        else:
            post = ephemeral(respond, replace_original=False)
        await send(post, reply)

    async def ask_why(vote: Action, body: dict, client: AsyncWebClient) -> bool:
        """Open the 👎 dialog; False when Slack refuses it (the vote stays recorded and the asker is
        thanked in the chat instead)."""
        trigger_id = body.get("trigger_id")
        if not isinstance(trigger_id, str) or not trigger_id:
            return False
        try:
            await client.views_open(trigger_id=trigger_id, view=render.reason_view(vote))
            return True
        except SlackApiError as error:
            log.warning("Slack refused the feedback dialog (%s)", error.response.get("error"))
            return False

    @app.view(render.REASON_VIEW)
    async def on_reason(ack: Callable, body: dict, view: dict) -> None:
        vote, reason = render.reason_given(view)
        asker = inbound.asker((body.get("user") or {}).get("id", ""), settings)
        await ack(response_action="update", view=render.thanks_view(officials.REASON_THANKS))
        if vote is not None and vote.kind == "down" and reason:
            await in_turn(asker, conversation.act, vote, asker, "", reason)

    async def forward(reply: Forward, body: dict, client: AsyncWebClient) -> Reply:
        """Post the question to the maintainers' channel, with a link to where it was asked."""
        if not escalation_channel:
            return Notice(officials.NOT_OURS)
        container = body.get("container", {})
        where = ""
        if container.get("channel_id") and container.get("message_ts") and not container.get("is_ephemeral"):
            try:
                link = await client.chat_getPermalink(channel=container["channel_id"],
                                                      message_ts=container["message_ts"])
                where = f"<{link['permalink']}|{officials.ORIGINAL_ANSWER}>"
            except SlackApiError:
                where = f"<#{container['channel_id']}>"
        elif container.get("channel_id"):
            where = f"<#{container['channel_id']}>"
        text, blocks = render.escalation_blocks(reply, where)
        await client.chat_postMessage(channel=escalation_channel, text=text, blocks=blocks)

        def record() -> Reply:
            reply.record(f"slack:{escalation_channel}")
            return Notice(reply.notice)

        return await asyncio.to_thread(conversation.guarded, record)

    @app.error
    async def on_error(error: Exception, body: dict) -> None:
        log.error("unhandled Slack error (%s)", type(error).__name__, exc_info=error)

    return app


def _well_formed(text: str, content_type: str) -> bool:
    """A body bolt can read: a JSON object (an event callback holding its event), or a form whose
    payload (if any) is a JSON object."""
    try:
        if "application/json" in content_type or text.lstrip().startswith("{"):
            body = json.loads(text)
            if not isinstance(body, dict):
                return False
            event = body.get("event")
            if "event" in body or body.get("type") == "event_callback":
                return isinstance(event, dict) and isinstance(event.get("type"), str)
            return True
        form = parse_qs(text, strict_parsing=bool(text), errors="strict")
        return "payload" not in form or isinstance(json.loads(form["payload"][0]), dict)
    except (ValueError, RecursionError):
        return False


class SlackEndpoint:
    """/slack/events: a body that is not UTF-8 refused (400), the signature checked (401), the
    body's shape next (400), then bolt."""

    def __init__(self, app: AsyncApp, signing_secret: str):
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)

    async def events(self, request: web.Request) -> web.Response:
        try:
            text = (await request.read()).decode("utf-8")  # Slack sends UTF-8; anything else is no request of its
        except UnicodeDecodeError:
            log.warning("refused a Slack request that is not UTF-8")
            return web.json_response({"error": "malformed request"}, status=400)
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not is_number(timestamp) or not self.verifier.is_valid(text, timestamp, signature):
            log.warning("refused a Slack request: its signature does not verify")
            return web.json_response({"error": "invalid request"}, status=401)
        if not _well_formed(text, request.headers.get("Content-Type", "")):
            log.warning("refused a signed Slack request that is not well formed")
            return web.json_response({"error": "malformed request"}, status=400)
        try:
            response = await self.app.async_dispatch(AsyncBoltRequest(
                body=text, query=request.query_string, headers=dict(request.headers)))
        except Exception as error:  # noqa: BLE001 - a shape bolt cannot take is the sender's fault, not a 500
            log.warning("refused a Slack request bolt could not take (%s)", type(error).__name__)
            return web.json_response({"error": "malformed request"}, status=400)
        if response.status >= 500:  # bolt acknowledges before any listener runs: this is its reading of the body
            log.warning("refused a Slack request bolt could not take (status %d)", response.status)
            return web.json_response({"error": "malformed request"}, status=400)
        return await to_aiohttp_response(response)
