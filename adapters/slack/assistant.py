"""Slack's AI-assistant surface (the split view of an app with `assistant_view`), through
slack-bolt's own AsyncAssistant middleware.

- A thread starts (assistant_thread_started): a one-line greeting, and questions to suggest drawn
  from the knowledge base (bot/chat/prompts.py).
- A question in the thread: the status 「調べています…」 while it is answered, the thread titled after
  its first question, and the answer posted in the thread, the same Block Kit and buttons as every
  answer. The thread is the conversation (``inbound.thread_of``), so follow-ups carry its context.
- The middleware takes every user message in a DM thread before the app's listeners, so the app's
  own DM listener never answers one a second time; a DM outside a thread still goes there.
- A button pressed in an assistant thread: ``respond()`` posts to the response_url, which ignores
  thread_ts and lands beside the thread, so ``button_thread`` tells the action handler to post
  into the thread instead (a DM: nobody but the asker sees it either way).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from slack_bolt.async_app import AsyncAssistant
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from hosakan.adapters.slack import inbound
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.bot.chat import prompts
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.chat.presenter import shortened
from hosakan.bot.events import Question
from hosakan.bot.sentences import officials

log = logging.getLogger("hosakan.slack")

TITLE_CHARS = 40  # a thread's title: its first question, shortened to this


def title(question: str, limit: int = TITLE_CHARS) -> str:
    return shortened(" ".join(question.split()), limit)


def button_thread(body: dict) -> tuple[str, str] | None:
    """(DM channel, thread_ts) when a button was pressed on a message in a DM thread: Hosakan
    answers in a DM thread only in an assistant thread (a plain DM is answered outside threads)."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    thread = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts")
    if channel.startswith("D") and thread and not container.get("is_ephemeral"):
        return channel, thread
    return None


async def _try(call: Awaitable, what: str) -> None:
    """A status, title or suggestion Slack refuses (an install without assistant:write) costs
    the asker nothing: the answer still comes."""
    try:
        await call
    except SlackApiError as error:
        log.warning("Slack refused the assistant %s (%s)", what, error.response.get("error"))


def create_assistant(conversation: Conversation, settings: SlackSettings,
                     answer: Callable[[Question, Callable], Awaitable[None]]) -> AsyncAssistant:
    """The assistant middleware; ``answer(question, post)`` answers and posts as the app does
    everywhere (the turn, rendering, the apology)."""
    assistant = AsyncAssistant()

    @assistant.thread_started
    async def on_thread_started(say: Callable, set_suggested_prompts: Callable) -> None:
        await say(officials.ASSISTANT_GREETING)
        suggested = await asyncio.to_thread(prompts.suggested_for, conversation.service)
        if suggested:
            await _try(set_suggested_prompts(prompts=suggested, title=officials.ASSISTANT_PROMPTS_TITLE),
                       "suggested prompts")

    @assistant.user_message
    async def on_question(event: dict, client: AsyncWebClient, set_status: Callable, set_title: Callable) -> None:
        if inbound.ignored(event):
            return
        channel, thread = event["channel"], event["thread_ts"]
        question = Question(inbound.plain(event.get("text", "")), inbound.asker(event.get("user", ""), settings),
                            inbound.thread_of(event))
        first = not await asyncio.to_thread(conversation.knows, question.conversation)
        await _try(set_status(officials.ASSISTANT_THINKING), "status")
        if first and question.text.strip():
            await _try(set_title(title(question.text)), "title")

        async def post(**message) -> None:
            await client.chat_postMessage(channel=channel, thread_ts=thread, **message)

        await answer(question, post)

    @assistant.thread_context_changed
    async def on_context_changed() -> None:
        """The channel the user is looking at changed: Hosakan answers from its knowledge base,
        not from that channel, so there is nothing to keep (bolt's default would rewrite the
        thread's first message to store it)."""

    return assistant
