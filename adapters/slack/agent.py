"""Hosakan in Slack's direct messages: the agent messaging experience (`agent_view`, the manifest's
default) and the legacy assistant split view (`assistant_view`, for installs made before), through
slack-bolt's own AsyncAssistant middleware and its status and suggested-prompt utilities.

- The Messages tab opened (app_home_opened, tab "messages"; agent view): the questions to suggest,
  drawn from the knowledge base (bot/chat/prompts.py), for the whole DM.
- A legacy assistant thread started (assistant_thread_started): a one-line greeting and the same
  suggestions for that thread.
- A question in the DM, in a thread or not: the status 「調べています…」 while it is answered, the
  thread titled after its first question, and the answer posted in the thread (a question sent
  outside one starts its thread), the same Block Kit and buttons as every answer. The thread is
  the conversation (``inbound.thread_of``), so follow-ups in it carry its context.
- The middleware takes every user message in a DM thread before the app's listeners; the app's DM
  listener takes a question sent outside a thread (``answer_dm``).
- A button pressed in a DM thread: ``respond()`` posts to the response_url, which ignores
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

Answer = Callable[[Question, Callable], Awaitable[None]]  # answers and posts as the app does everywhere


def title(question: str, limit: int = TITLE_CHARS) -> str:
    return shortened(" ".join(question.split()), limit)


def button_thread(body: dict) -> tuple[str, str] | None:
    """(DM channel, thread_ts) when a button was pressed on a message in a DM thread: every DM
    answer is in a thread."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    thread = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts")
    if channel.startswith("D") and thread and not container.get("is_ephemeral"):
        return channel, thread
    return None


async def _try(call: Awaitable, what: str) -> None:
    """A status, title or suggestion Slack refuses (an install without assistant:write, a DM
    outside the agent experience) costs the asker nothing: the answer still comes."""
    try:
        await call
    except SlackApiError as error:
        log.warning("Slack refused the agent %s (%s)", what, error.response.get("error"))


async def _suggest(conversation: Conversation, set_suggested_prompts: Callable) -> None:
    suggested = await asyncio.to_thread(prompts.suggested_for, conversation.service)
    if suggested:
        await _try(set_suggested_prompts(prompts=suggested, title=officials.ASSISTANT_PROMPTS_TITLE),
                   "suggested prompts")


async def answer_dm(event: dict, client: AsyncWebClient, settings: SlackSettings, conversation: Conversation,
                    answer: Answer) -> None:
    """A question in the DM, answered in its thread (the thread it was asked in, or the one it
    starts) with the status while it is worked on and the thread titled after its first question.
    A question sent outside a thread goes on from the DM's last such question (「もっと」, 「報酬は？」
    typed in the DM, as before threads), and its thread from it."""
    channel, thread = event["channel"], event.get("thread_ts") or event["ts"]
    opened = not event.get("thread_ts")
    where = f"slack:{channel}" if opened else inbound.thread_of(event)
    question = Question(inbound.plain(event.get("text", "")), inbound.asker(event.get("user", ""), settings), where)
    first = opened or not await asyncio.to_thread(conversation.knows, where)
    await _try(client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread,
                                                  status=officials.ASSISTANT_THINKING), "status")
    if first and question.text.strip():
        await _try(client.assistant_threads_setTitle(channel_id=channel, thread_ts=thread,
                                                     title=title(question.text)), "title")

    async def post(**message) -> None:
        await client.chat_postMessage(channel=channel, thread_ts=thread, **message)

    await answer(question, post)
    if opened:
        await asyncio.to_thread(conversation.continue_in, where, inbound.thread_of(event))


def create_assistant(conversation: Conversation, settings: SlackSettings, answer: Answer) -> AsyncAssistant:
    """The middleware for questions in DM threads and the legacy assistant threads' events."""
    assistant = AsyncAssistant()

    @assistant.thread_started
    async def on_thread_started(say: Callable, set_suggested_prompts: Callable) -> None:
        await say(officials.ASSISTANT_GREETING)
        await _suggest(conversation, set_suggested_prompts)

    @assistant.user_message
    async def on_question(event: dict, client: AsyncWebClient) -> None:
        if not inbound.ignored(event):
            await answer_dm(event, client, settings, conversation, answer)

    @assistant.thread_context_changed
    async def on_context_changed() -> None:
        """The channel the user is looking at changed: Hosakan answers from its knowledge base,
        not from that channel, so there is nothing to keep (bolt's default would rewrite the
        thread's first message to store it)."""

    return assistant


async def on_messages_tab(event: dict, conversation: Conversation, set_suggested_prompts: Callable | None) -> None:
    """The agent view: the user opened the app's Messages tab; suggest questions for the DM."""
    if event.get("tab") == "messages" and set_suggested_prompts is not None:
        await _suggest(conversation, set_suggested_prompts)
