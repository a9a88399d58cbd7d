"""Slack payloads → events: who asks, in which conversation, what they wrote (Slack's markup
stripped), and which Action a button carries.

Conversations: a thread (its first message's ts) in a channel or the DM, and for /hosakan the
asker in that channel.
"""

from __future__ import annotations

import html
import re

from hosakan.adapters.slack.settings import SlackSettings
from hosakan.bot.events import Action, Asker, Question

# <@U123>, <@U123|name>, <!channel>, <!subteam^S1|@team>, <#C123|general>, <https://x|label>
_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<![^>]*>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
IGNORED_SUBTYPES = frozenset({"message_changed", "message_deleted", "channel_join", "channel_leave",
                              "bot_message", "group_join", "thread_broadcast", "message_replied"})


def plain(text: str) -> str:
    """What the asker typed: mentions and specials dropped, channel names and link labels kept,
    Slack's &amp; &lt; &gt; decoded."""
    text = _USER.sub(" ", text or "")
    text = _SPECIAL.sub(" ", text)
    text = _CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = _LINK.sub(lambda m: f" {m.group(2) or m.group(1)} ", text)
    return html.unescape(text)


def asker(user_id: str, settings: SlackSettings) -> Asker:
    return Asker("slack", user_id, is_admin=user_id in settings.slack_admins, name=f"<@{user_id}>")


def ignored(event: dict, *, any_subtype: bool = True) -> bool:
    """Bots (Hosakan included), edits and joins are never questions; a plain message with any
    subtype is not either (a mention with a file, subtype file_share, still is)."""
    subtype = event.get("subtype")
    return bool(event.get("bot_id") or subtype in IGNORED_SUBTYPES or (any_subtype and subtype))


def thread_of(event: dict) -> str:
    return f"slack:{event.get('channel', '')}:{event.get('thread_ts') or event.get('ts', '')}"


def mention(event: dict, settings: SlackSettings) -> Question:
    return Question(plain(event.get("text", "")), asker(event.get("user", ""), settings), thread_of(event))


def thread_reply(event: dict, settings: SlackSettings, bot_user: str | None) -> Question | None:
    """A reply in a channel thread, without a mention (a mention comes as app_mention too)."""
    thread = event.get("thread_ts")
    if not thread or thread == event.get("ts") or (bot_user and f"<@{bot_user}" in event.get("text", "")):
        return None
    return Question(plain(event.get("text", "")), asker(event.get("user", ""), settings), thread_of(event))


def command(payload: dict, settings: SlackSettings) -> Question:
    user = payload.get("user_id", "")
    return Question(plain(payload.get("text", "")), asker(user, settings),
                    f"slack:{payload.get('channel_id', '')}:{user}:command")


def action(body: dict, pressed: dict, settings: SlackSettings) -> tuple[Action | None, Asker, str]:
    """The Action a button carried, who pressed it, and the conversation it was pressed in."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    thread = message.get("thread_ts") or container.get("thread_ts") or container.get("message_ts", "")
    user = (body.get("user") or {}).get("id", "")
    return Action.decode(pressed.get("value", "")), asker(user, settings), f"slack:{channel}:{thread}"
