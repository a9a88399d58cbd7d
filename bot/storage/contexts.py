"""Conversation contexts as stored: one row per conversation in the database every ``serve``
process shares, keyed by a salted hash of the conversation, written through the Recorder after
the answer (what a context is and how a follow-up uses it: bot/chat/context.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cachetools import TTLCache
from sqlalchemy import JSON, DateTime, Integer, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from hosakan.bot.models import Topic
from hosakan.bot.storage.history import Base, now
from hosakan.bot.storage.recorder import Recorder


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
