"""Hosakan as a slack-bolt app: mentions answer in the thread, DMs in the DM, `/hosakan` answers
only the asker (with a button to share), and buttons for feedback, more candidates and 担当者に聞く.

Listeners are thin: they turn Slack payloads into questions, call ``bot``, and render blocks.
Bolt acknowledges events before the listeners run, so a slow answer never makes Slack retry.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Callable

from cachetools import TTLCache
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from bot.service import Hosakan, Reply

log = logging.getLogger("hosakan.slack")
IGNORED_SUBTYPES = frozenset({"message_changed", "message_deleted", "channel_join", "channel_leave",
                              "bot_message", "group_join", "thread_broadcast", "message_replied"})


def create_app(bot: Hosakan, *, token: str, signing_secret: str | None, api_url: str) -> AsyncApp:
    app = AsyncApp(
        client=AsyncWebClient(token=token, base_url=api_url),
        signing_secret=signing_secret or "socket-mode",
        request_verification_enabled=signing_secret is not None,
    )
    seen_events: TTLCache = TTLCache(maxsize=10_000, ttl=3600)
    escalation_channel = bot.settings.slack_escalation_channel

    @app.middleware
    async def drop_retries(body: dict, next: Callable) -> BoltResponse | None:
        """An event Slack delivers again (same event_id) is acknowledged and not answered twice."""
        event_id = body.get("event_id")
        if event_id:
            if event_id in seen_events:
                log.info("ignoring a repeated delivery of %s", event_id)
                return BoltResponse(status=200, body="")
            seen_events[event_id] = True
        return await next()

    async def guarded(post: Callable, work: Callable) -> None:
        """Post what ``work`` renders; on any failure, an apology with an error id the log also holds."""
        try:
            fallback, rendered = await work()
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            log.exception("Slack request failed (error id %s)", error_id)
            fallback, rendered = blocks.error_blocks(error_id)
        await post(text=fallback, blocks=rendered)

    def render(reply: Reply, **shape) -> tuple[str, list[dict]]:
        if reply.kind == "help":
            return blocks.help_blocks()
        if reply.kind == "notice":
            return blocks.notice_blocks(reply.text)
        return blocks.answer_blocks(reply.answer, escalate=escalation_channel is not None, **shape)

    async def reply(post: Callable, text: str, user_id: str, **shape) -> None:
        """Answer ``text`` from ``user_id`` (or run a command) through ``post``, off the event loop."""
        async def work():
            return render(await asyncio.to_thread(bot.handle, text, bot.asker("slack", user_id)), **shape)

        await guarded(post, work)

    def ephemeral(respond: Callable) -> Callable:
        async def post(**message):
            await respond(response_type="ephemeral", replace_original=False, **message)
        return post

    @app.event("app_mention")
    async def on_mention(event: dict, client: AsyncWebClient) -> None:
        if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES:
            return
        thread = event.get("thread_ts") or event["ts"]

        async def post(**message):
            await client.chat_postMessage(channel=event["channel"], thread_ts=thread, **message)

        await reply(post, event.get("text", ""), event.get("user", ""))

    @app.event("message")
    async def on_message(event: dict, client: AsyncWebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return  # channel messages are answered only when Hosakan is mentioned

        async def post(**message):
            await client.chat_postMessage(channel=event["channel"], **message)

        await reply(post, event.get("text", ""), event.get("user", ""))

    @app.command("/hosakan")
    async def on_command(ack: Callable, command: dict, respond: Callable) -> None:
        await ack()

        async def post(**message):
            await respond(response_type="ephemeral", **message)

        await reply(post, command.get("text", ""), command.get("user_id", ""), shareable=True)

    @app.action(blocks.ACTION_SHARE)
    async def on_share(ack: Callable, body: dict, action: dict, respond: Callable) -> None:
        await ack()

        async def post(**message):
            await respond(response_type="in_channel", replace_original=False, **message)

        async def work():
            question, _ = blocks.read_value(action.get("value", ""))
            return blocks.answer_blocks(await asyncio.to_thread(bot.ask, question), shared_by=body["user"]["id"])

        await guarded(post, work)

    async def vote(ack: Callable, body: dict, action: dict, respond: Callable, helpful: bool) -> None:
        await ack()

        async def work():
            question, hit_ids = blocks.read_value(action.get("value", ""))
            await asyncio.to_thread(bot.feedback, bot.asker("slack", body["user"]["id"]), question, hit_ids, helpful)
            return blocks.thanks_blocks(helpful)

        await guarded(ephemeral(respond), work)

    @app.action(blocks.ACTION_UP)
    async def on_up(ack, body, action, respond) -> None:
        await vote(ack, body, action, respond, True)

    @app.action(blocks.ACTION_DOWN)
    async def on_down(ack, body, action, respond) -> None:
        await vote(ack, body, action, respond, False)

    @app.action(blocks.ACTION_MORE)
    async def on_more(ack: Callable, action: dict, respond: Callable) -> None:
        await ack()

        async def work():
            question, _ = blocks.read_value(action.get("value", ""))
            return blocks.more_blocks(question, await asyncio.to_thread(bot.ask, question))

        await guarded(ephemeral(respond), work)

    @app.action(blocks.ACTION_ESCALATE)
    async def on_escalate(ack: Callable, body: dict, action: dict, respond: Callable, client: AsyncWebClient) -> None:
        await ack()

        async def work():
            question, hit_ids = blocks.read_value(action.get("value", ""))
            user = body["user"]["id"]
            container = body.get("container", {})
            where = ""
            if container.get("channel_id") and container.get("message_ts") and not container.get("is_ephemeral"):
                try:
                    link = await client.chat_getPermalink(channel=container["channel_id"], message_ts=container["message_ts"])
                    where = f"<{link['permalink']}|元の回答>"
                except SlackApiError:
                    where = f"<#{container['channel_id']}>"
            elif container.get("channel_id"):
                where = f"<#{container['channel_id']}>"
            text, rendered = blocks.escalation_blocks(question, hit_ids, user, where)
            await client.chat_postMessage(channel=escalation_channel, text=text, blocks=rendered)
            if bot.history is not None:
                await asyncio.to_thread(bot.history.record_escalation, "slack", user, question, hit_ids,
                                        f"slack:{escalation_channel}")
            return blocks.notice_blocks(f"{bot.settings.escalation_contact}に質問を転送しました。担当者からご連絡します。")

        await guarded(ephemeral(respond), work)

    @app.error
    async def on_error(error: Exception, body: dict) -> None:
        log.error("unhandled Slack error: %s", error, exc_info=error)

    return app
