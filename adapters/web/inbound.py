"""What the web page sends → events: a question in the page's conversation, or a button pressed
under a kept answer. Anything else is refused with a Japanese message (adapters/http.py)."""

from __future__ import annotations

import re

from hosakan.adapters.http import MAX_BODY, Refused, text_field
from hosakan.bot.events import Asker, Question
from hosakan.bot.sentences import http_replies

KINDS = ("up", "down", "more", "escalate")
CONVERSATION = re.compile(r"[A-Za-z0-9_-]{8,64}")


def asker(user: str) -> Asker:
    return Asker("web", user)


def question(body: dict, user: str) -> Question:
    """{"question": str, "conversation": str | null}: the page names its conversation (a random
    id per page and 新しい会話); it is the user's own, so another user cannot continue it."""
    text = text_field(body, "question", limit=MAX_BODY)
    conversation = body.get("conversation")
    if conversation is not None and not (isinstance(conversation, str) and CONVERSATION.fullmatch(conversation)):
        raise Refused(400, "bad_field", http_replies.api_bad_field("conversation", "8〜64 文字の英数字"))
    return Question(text, asker(user), f"web:{user}:{conversation}" if conversation else "")


def pressed(body: dict) -> tuple[str, str]:
    """{"answer_id": str, "kind": "up" | "down" | "more" | "escalate"} → (answer id, kind)."""
    answer_id = text_field(body, "answer_id", limit=64)
    kind = body.get("kind")
    if kind not in KINDS:
        raise Refused(400, "bad_field", http_replies.api_bad_field("kind", "、".join(KINDS) + " のいずれか"))
    return answer_id, kind
