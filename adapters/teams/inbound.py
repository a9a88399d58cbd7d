"""Teams activities → events: who asks, in which conversation (a channel's reply chain or a chat),
what they wrote (the mention and HTML stripped), and which Action a card button carries."""

from __future__ import annotations

import html
import re

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
