"""A conversation's context: what its last question was about, so that a follow-up can leave it
unsaid. 「勤務日数は？」 after 「印西市のCIO補佐官の募集について」 asks about 印西市's CIO補佐官;
「奈良市は？」 then keeps the role and the 勤務日数 and switches the place.

Contexts live in the database every ``serve`` process shares, keyed by a salted hash of the
conversation (a Slack thread or DM, a Teams reply chain or chat, a console session, a CLI name).
They expire after some minutes of silence; the question text kept for paging goes with them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import JSON, DateTime, Integer, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.history import Base, create_tables, now
from bot.models import Topic

SHORT = 16  # a follow-up is short: at most this many characters besides punctuation and spaces
CONNECTIVES = ("では", "じゃあ", "じゃ", "それでは", "それなら", "ちなみに", "あと", "なら", "and ", "what about")
_BARE = re.compile(r"[\s、。,.!?！？「」『』（）()・]+")


def topic_of(u) -> Topic:
    """What an understood question is about."""
    kinds = lambda kind: list(dict.fromkeys(e.name for e in u.resolution.of_kind(kind)))  # noqa: E731
    return Topic(places=kinds("municipality") + kinds("region"), roles=kinds("role"), forms=kinds("form"),
                 words=list(dict.fromkeys(u.attribute_words)))


def carried(u, previous: Topic | None, has_role=lambda place, roles: True) -> Topic | None:
    """What a follow-up takes from the conversation: the place, role and asked words it leaves
    unsaid. None when the question stands alone: it is long, names a person or a kind of record,
    or holds a word the knowledge base does not know (今日の天気は？ is not about 印西市). A role
    no place asked about has (「CDOは？」 after 印西市's CIO補佐官) asks about every case."""
    if not previous:
        return None
    text = u.text.strip()
    elliptical = len(_BARE.sub("", text)) <= SHORT or text.lower().startswith(CONNECTIVES)
    if not elliptical or u.kinds or u.unknown or u.resolution.of_kind("person") or u.resolution.unknown_places:
        return None
    mine = topic_of(u)
    if u.ranking and mine.words:
        return None  # 「報酬が一番高い募集は？」 ranks every case; 「一番高いのは？」 ranks what was asked
    taken = Topic()
    if not mine.places and not u.listing and not u.ranking:
        if not mine.roles or any(has_role(place, set(mine.roles)) for place in previous.places):
            taken.places = previous.places
    elif u.comparing:  # 「奈良市と比べて」: the place asked before, beside the one named now
        taken.places = [p for p in previous.places if p not in mine.places]
    if not mine.roles and not mine.forms:
        taken.roles, taken.forms = previous.roles, previous.forms
    if not mine.words:
        taken.words = previous.words
    return taken or None


def spelled(taken: Topic) -> str:
    """The carried topic as words the retriever reads before the follow-up."""
    return " ".join([*taken.places, *taken.roles, *taken.forms, *taken.words])


def label(taken: Topic) -> str:
    return "・".join(dict.fromkeys([*taken.places, *taken.roles, *taken.forms, *taken.words]))


class ContextRow(Base):
    __tablename__ = "contexts"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True, default=now)
    topic: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    question: Mapped[str | None] = mapped_column(Text, nullable=True)  # as typed, for paging
    carried: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # what that question took from before
    page: Mapped[int] = mapped_column(Integer, default=0)


@dataclass
class Context:
    topic: Topic
    question: str | None = None
    carried: Topic | None = None
    page: int = 0


class Contexts:
    """The contexts of every conversation, in the history's database."""

    def __init__(self, engine, salt: str, minutes: int = 30):
        self.engine = engine
        self.salt = salt
        self.expiry = timedelta(minutes=minutes)
        create_tables(engine, lambda bind: ContextRow.__table__.create(bind, checkfirst=True))

    def key(self, conversation: str) -> str:
        return hashlib.sha256(f"{self.salt}:context:{conversation}".encode()).hexdigest()[:32]

    def get(self, conversation: str) -> Context | None:
        """The live context of a conversation; None when there is none or it expired."""
        with Session(self.engine) as session:
            row = session.get(ContextRow, self.key(conversation))
            if row is None or row.topic is None or row.at < now() - self.expiry:
                return None
            return Context(Topic.model_validate(row.topic), row.question,
                           Topic.model_validate(row.carried) if row.carried else None, row.page)

    def knows(self, conversation: str) -> bool:
        """Whether Hosakan has answered in this conversation (a Slack thread it may keep answering)."""
        with Session(self.engine) as session:
            return session.get(ContextRow, self.key(conversation)) is not None

    def save(self, conversation: str, context: Context) -> None:
        with Session(self.engine) as session, session.begin():
            session.merge(ContextRow(
                key=self.key(conversation), at=now(), topic=context.topic.model_dump(), question=context.question,
                carried=context.carried.model_dump() if context.carried else None, page=context.page))
            self._forget(session)

    def _forget(self, session: Session) -> None:
        """Expired contexts lose their topic and question text at once; the bare row (that
        Hosakan answered there) goes after a day."""
        session.execute(update(ContextRow).where(ContextRow.at < now() - self.expiry, ContextRow.topic.is_not(None))
                        .values(topic=None, question=None, carried=None))
        session.execute(delete(ContextRow).where(ContextRow.at < now() - timedelta(days=1)))

    def rows(self) -> list[ContextRow]:
        with Session(self.engine) as session:
            return list(session.scalars(select(ContextRow)))
