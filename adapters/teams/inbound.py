"""Teams activities → events: who asks, in which conversation (a channel's reply chain or a chat),
what they wrote (the mention and HTML stripped), which Action a card button carries, and the 👍/👎
of Teams' feedback loop (a ``message/submitAction`` invoke)."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.bot.events import Action, Asker, Question

_AT = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def plain(text: str) -> str:
    """What the asker typed: <at>mentions</at> and HTML tags dropped, entities decoded."""
    return html.unescape(_TAG.sub(" ", _AT.sub(" ", text or "")))


def asker(activity: Activity, settings: TeamsSettings) -> Asker:
    user = activity.from_property
    user_id = (user.aad_object_id or user.id) if user else ""
    return Asker("teams", user_id or "", is_admin=bool(user_id) and user_id in settings.teams_admins,
                 name=(user.name if user else "") or "")


def conversation_of(activity: Activity) -> str:
    """A channel's reply chain (its id carries ;messageid=…) or a 1:1 or group chat."""
    return f"teams:{activity.conversation.id if activity.conversation else ''}"


def question(activity: Activity, settings: TeamsSettings) -> Question:
    text = TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text
    return Question(plain(text or ""), asker(activity, settings), conversation_of(activity))


def is_action(activity: Activity) -> bool:
    return isinstance(activity.value, dict) and "hosakan" in activity.value


def action(activity: Activity, settings: TeamsSettings) -> tuple[Action | None, Asker, str]:
    return Action.decode(activity.value.get("hosakan")), asker(activity, settings), conversation_of(activity)


# -- Teams' feedback loop -------------------------------------------------------------------------
FEEDBACK_INVOKE = "message/submitAction"
REACTIONS = {"like": True, "dislike": False}


@dataclass(frozen=True)
class Vote:
    message: str   # the message voted on (message_key)
    helpful: bool
    reason: str    # what the asker wrote in Teams' form ("" when nothing)


def message_key(conversation: str, message_id: str) -> str:
    """A message Hosakan sent, as a vote on it names it: the chat or channel (a reply chain's
    ``;messageid=…`` left out, the same whichever way Teams names the chain) and the message's id."""
    return f"teams:{conversation.split(';')[0]}:{message_id}"


def _feedback_text(feedback: object) -> str | None:
    """What the asker wrote: ``feedback`` is a JSON string ``{"feedbackText": "…"}`` (some clients
    send the object itself, older ones the text alone); None when it is none of these."""
    if feedback is None:
        return ""
    if isinstance(feedback, str):
        try:
            feedback = json.loads(feedback)
        except (ValueError, RecursionError):
            return feedback
        if not isinstance(feedback, dict):
            return feedback if isinstance(feedback, str) else None
    if not isinstance(feedback, dict):
        return None
    text = feedback.get("feedbackText", "")
    return text if isinstance(text, str) else None


def vote(activity: Activity) -> Vote | None:
    """The 👍/👎 of a ``message/submitAction`` invoke: ``value.actionName`` "feedback",
    ``value.actionValue.reaction`` "like" or "dislike", the message in ``replyToId``; None when the
    invoke is not such a vote."""
    value = activity.value
    if not isinstance(value, dict) or value.get("actionName") != "feedback":
        return None
    action = value.get("actionValue")
    if not isinstance(action, dict) or not isinstance(action.get("reaction"), str):
        return None
    helpful, reason = REACTIONS.get(action["reaction"]), _feedback_text(action.get("feedback"))
    message_id, conversation = activity.reply_to_id, activity.conversation.id if activity.conversation else None
    if helpful is None or reason is None or not isinstance(message_id, str) or not message_id or not conversation:
        return None
    return Vote(message_key(conversation, message_id[:200]), helpful, reason)
