"""What flows between an adapter and the conversation, platform-free.

In: an ``Asker`` asks a ``Question`` in a conversation, or presses a button that carries an
``Action`` (one typed payload for every button on every platform). Out: a ``Reply`` variant the
adapter renders as Block Kit, an Adaptive Card, rich text or JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hosakan.bot.models import Answer, Topic

VALUE_LIMIT = 2000  # Slack's limit on a button's value; Teams has more room


@dataclass(frozen=True)
class Asker:
    platform: str   # slack | teams | console | cli
    user_id: str
    is_admin: bool = False
    name: str = ""  # how the platform shows the user to others (<@U123>, a display name)


@dataclass(frozen=True)
class Question:
    text: str
    asker: Asker
    conversation: str  # what follow-ups share: a Slack thread, a Teams reply chain, a console session


class Action(BaseModel):
    """What a button carries back: what to do, to which question, in which context."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["up", "down", "more", "share", "escalate", "ask"] = Field(alias="a")
    question: str = Field(default="", alias="q", max_length=2000)
    carried: Topic | None = Field(default=None, alias="t", description="what the question took from the conversation")
    hits: list[str] = Field(default_factory=list, alias="h", max_length=20)
    page: int = Field(default=0, alias="p", ge=0, le=100)

    @classmethod
    def about(cls, kind: str, answer: Answer, carried: Topic | None = None) -> "Action":
        return cls(a=kind, q=answer.question, t=carried, h=[h.doc_id for h in answer.hits], p=answer.page)

    def encode(self) -> str:
        """Compact JSON within Slack's 2,000 characters (a long question is shortened)."""
        data = self.model_dump(by_alias=True, exclude_defaults=True)
        while True:
            value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            if len(value) <= VALUE_LIMIT:
                return value
            data["q"] = data["q"][: len(data["q"]) // 2]

    @classmethod
    def decode(cls, value: object) -> "Action | None":
        """The action a button carried; None when it is not one of ours."""
        try:
            data = json.loads(value) if isinstance(value, str) else value
            return cls.model_validate(data)
        except (ValueError, TypeError, ValidationError):
            return None


@dataclass
class Shown:
    """An answer to show, and how: with buttons to share it, as shared by someone, as a page."""

    answer: Answer
    carried: Topic | None = None
    shareable: bool = False
    shared_by: str | None = None
    first: int = 1  # the number of the first hit (4 on the second page)
    follows: str | None = None  # the question before, when this one took its context from it


@dataclass
class Notice:
    text: str


@dataclass
class Help:
    text: str
    welcome: bool = False
    examples: tuple[str, ...] = ()


@dataclass
class Apology:
    error_id: str
    text: str


@dataclass
class Forward:
    """A question for the maintainers (担当者に聞く): the adapter posts it where its platform's
    maintainers read, calls ``record`` with where that was, then tells the asker ``notice``."""

    question: str
    hit_ids: list[str]
    asker: Asker
    notice: str
    record: Callable[[str], None] = field(repr=False, default=lambda sent_to: None)


Reply = Union[Shown, Notice, Help, Apology, Forward]


def contract_of(reply: Reply, question: str) -> dict:
    """The `hosakan ask --json` object of a reply (the API's too): the answer's contract, or, for
    help, a notice or an apology, the question with what was said instead."""
    if isinstance(reply, Shown):
        return reply.answer.contract()
    return {"question": question, "answered": False, "message": getattr(reply, "text", "")}
