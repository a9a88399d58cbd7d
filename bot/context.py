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

from cachetools import TTLCache
from sqlalchemy import JSON, DateTime, Integer, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from hosakan.bot.history import Base, now
from hosakan.bot.models import Topic
from hosakan.bot.recorder import Recorder

SHORT = 16  # a follow-up is short: at most this many characters besides punctuation and spaces
CONNECTIVES = ("では", "じゃあ", "じゃ", "それでは", "それなら", "ちなみに", "あと", "なら", "and ", "what about")
# a follow-up that points back at the last answer stays on its case, whatever words it uses
POINTING = ("それ", "その", "これ", "この", "そこ", "あれ", "で、", "で,", "じゃあ", "なお")
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
    pointing = text.startswith(POINTING)
    if not elliptical or u.kinds or (u.unknown and not pointing) or u.resolution.of_kind("person") \
            or u.resolution.unknown_places:
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
        # a new place keeps the asked role only where its case has it (酒田市 has a CDO補佐官, not a
        # CIO補佐官): elsewhere the question is about that place's own roles
        places = mine.places or taken.places
        if not previous.roles or not places or u.comparing or any(has_role(p, set(previous.roles)) for p in places):
            taken.roles = previous.roles
        taken.forms = previous.forms
    if not mine.words:
        taken.words = previous.words
    return taken or None


def role_left(u, previous: Topic | None, taken: Topic | None) -> tuple[str, list[str]] | None:
    """(the new place, the roles asked before) when a follow-up that names a new place and no role
    left the previous roles behind, because that place's case has none of them."""
    if not (previous and previous.roles and taken is not None) or taken.roles:
        return None
    mine = topic_of(u)
    places = [p for p in mine.places if p not in previous.places]
    return (places[0], previous.roles) if places and not (set(mine.roles) - set(previous.roles)) else None


def spelled(taken: Topic) -> str:
    """The carried topic as words the retriever reads before the follow-up."""
    return " ".join([*taken.places, *taken.roles, *taken.forms, *taken.words])


def label(taken: Topic) -> str:
    return "・".join(dict.fromkeys([*taken.places, *taken.roles, *taken.forms, *taken.words]))


class ContextRow(Base):  # created with the history's tables (History, Recorder.prepare)
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
    """The contexts of every conversation, in the history's database, written through its
    Recorder after the answer. This process keeps its own latest contexts too, so a follow-up
    finds what it follows while the write waits or the database is down; the newer of the two wins
    (another replica may have answered since)."""

    def __init__(self, recorder: Recorder, salt: str, minutes: int = 30):
        self.recorder = recorder
        self.engine = recorder.engine
        self.salt = salt
        self.expiry = timedelta(minutes=minutes)
        self._mine: TTLCache = TTLCache(maxsize=10_000, ttl=self.expiry.total_seconds())  # key -> (at, Context)

    def key(self, conversation: str) -> str:
        return hashlib.sha256(f"{self.salt}:context:{conversation}".encode()).hexdigest()[:32]

    def _row(self, key: str) -> tuple[datetime, Context | None] | None:
        """(when, context) as the database has it, or this process's own when that is newer or the
        database cannot be read (None: nothing known)."""
        mine = self._mine.get(key)
        try:
            with Session(self.engine) as session:
                row = session.get(ContextRow, key)
                stored = None if row is None else (row.at, None if row.topic is None else Context(
                    Topic.model_validate(row.topic), row.question,
                    Topic.model_validate(row.carried) if row.carried else None, row.page))
        except Exception as error:  # noqa: BLE001 - answer without the database's context
            self.recorder.failed(error, "reading a conversation context")
            return mine
        return mine if mine is not None and (stored is None or mine[0] >= stored[0]) else stored

    def get(self, conversation: str) -> Context | None:
        """The live context of a conversation; None when there is none or it expired."""
        found = self._row(self.key(conversation))
        if found is None or found[1] is None or found[0] < now() - self.expiry:
            return None
        return found[1]

    def knows(self, conversation: str) -> bool:
        """Whether Hosakan has answered in this conversation (a Slack thread it may keep answering)."""
        return self._row(self.key(conversation)) is not None

    def save(self, conversation: str, context: Context) -> None:
        """Keep the context here at once, and in the database as soon as it takes it."""
        key, at = self.key(conversation), now()
        self._mine[key] = (at, context)
        values = dict(key=key, at=at, topic=context.topic.model_dump(), question=context.question,
                      carried=context.carried.model_dump() if context.carried else None, page=context.page)

        def write(session: Session) -> None:
            row = session.get(ContextRow, key)
            if row is None or row.at <= at:  # a newer context from another replica stays
                session.merge(ContextRow(**values))

        self.recorder.submit(write)

    def forget(self) -> None:
        """Expired contexts lose their topic and question text; the bare row (that Hosakan
        answered there) goes after a day."""
        expired, day_old = now() - self.expiry, now() - timedelta(days=1)

        def write(session: Session) -> None:
            session.execute(update(ContextRow).where(ContextRow.at < expired, ContextRow.topic.is_not(None))
                            .values(topic=None, question=None, carried=None))
            session.execute(delete(ContextRow).where(ContextRow.at < day_old))

        self.recorder.submit(write)

    def rows(self) -> list[ContextRow]:
        self.recorder.flush(timeout=2.0)
        with Session(self.engine) as session:
            return list(session.scalars(select(ContextRow)))
