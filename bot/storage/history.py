"""What was asked and how it went: every question, the answer given, feedback and escalations,
in a SQL database (SQLite by default; any SQLAlchemy URL, e.g. PostgreSQL for several servers).

User ids are stored hashed with a secret salt (bot/storage/salt.py); question text is deleted after a
configurable number of days (the counts stay). Every write goes through the Recorder, after the
answer: a failing database never costs an official the answer.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cachetools import TTLCache
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    delete,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from hosakan.bot.models import Answer, marked
from hosakan.bot.operations.home import private_dir, private_file
from hosakan.bot.storage.recorder import Recorder
from hosakan.bot.storage.salt import user_id_salt


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


JST = timezone(timedelta(hours=9), "JST")  # Japan keeps no daylight saving time


def in_jst(moment: datetime) -> datetime:
    """A recorded time (UTC, stored without its zone) as officials read it: Japan Standard Time."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(JST)


class Base(DeclarativeBase):
    pass


class _Event:
    """What every recorded event holds: when, who (hashed), the question and the hits shown."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True, default=now)
    platform: Mapped[str] = mapped_column(String(16))
    user_hash: Mapped[str] = mapped_column(String(32))
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    hit_ids: Mapped[list] = mapped_column(JSON, default=list)


class Asked(_Event, Base):
    __tablename__ = "questions"

    answered: Mapped[bool] = mapped_column(Boolean)
    top_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    elapsed_ms: Mapped[float] = mapped_column(Float, default=0.0)


class Feedback(_Event, Base):
    __tablename__ = "feedback"

    helpful: Mapped[bool] = mapped_column(Boolean)
    # why an answer was not helpful, in the asker's words (Slack's 👎 dialog, Teams' feedback form):
    # free text like the question, so it goes with the question after the retention period
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class KeptAnswer(Base):
    """An answer as it was given, for its permalink (/a/<id>, GET /api/v1/answers/<id>): what is
    needed to redraw it (compact_answer), compressed. It holds the question, so it goes with the
    question text after the retention period; the oldest go first beyond HOSAKAN_KEPT_ANSWERS_MB."""

    __tablename__ = "kept_answers"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True, default=now)
    size: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class _Before(DeclarativeBase):
    pass


class OldKeptAnswer(_Before):
    """Kept answers written before 2026-12 (uncompressed JSON, about 6 KB each): still read, never
    written, gone after the retention period. Not created in a new database."""

    __tablename__ = "answers"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    body: Mapped[dict] = mapped_column(JSON)


def compact_answer(body: dict) -> bytes:
    """A kept answer as stored: each hit's marked snippet left out (its text and marks redraw it),
    JSON without escapes, zlib-compressed (about a fifth of the JSON's size)."""
    hits = [{k: v for k, v in hit.items() if k != "snippet"} for hit in body.get("hits") or []]
    text = json.dumps({**body, "hits": hits}, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 9)


def expanded_answer(stored: bytes) -> dict:
    body = json.loads(zlib.decompress(stored).decode("utf-8"))
    body["hits"] = [{**hit, "snippet": marked(hit.get("text", ""), hit.get("marks") or [])}
                    for hit in body.get("hits") or []]
    return body


class SentMessage(Base):
    """A chat message that shows a kept answer, by the platform's id for it: Teams' own 👍/👎 names
    only the message it is on, and whichever replica receives the vote finds the answer here. The
    id names a conversation, so only its salted hash is kept; it goes with the kept answer."""

    __tablename__ = "sent_messages"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    answer_id: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(DateTime, index=True, default=now)


class Delivery(Base):
    """A platform delivery already taken (a Slack event_id or trigger_id, a Teams activity id): a
    retry that reaches another replica finds it here and is not answered again."""

    __tablename__ = "deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True, default=now)


DELIVERY_HOURS = 24  # Slack retries for minutes and Teams for less: a day is plenty


class SignedOut(Base):
    """A web sign-in ended with サインアウト: its cookie is refused by every replica until it would
    have expired anyway. The session id is a bearer secret, so only its hash is kept."""

    __tablename__ = "signed_out"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime] = mapped_column(DateTime, index=True)


SIGNED_OUT_SEEN = 5.0  # seconds a replica trusts its last look that a session was not signed out


class Escalation(_Event, Base):
    __tablename__ = "escalations"

    sent_to: Mapped[str] = mapped_column(String(200))


ADDED_COLUMNS = {"feedback": {"reason": "TEXT"}}  # columns added to a table after it first shipped
REASON_CHARS = 500  # the longest 👎 reason kept
REASON_JOINS_VOTE = timedelta(hours=1)  # a reason given this long after its 👎 still joins it


def add_columns(engine) -> None:
    """Add the columns a database made by an older Hosakan lacks (ADDED_COLUMNS): SQLite and
    PostgreSQL both take ALTER TABLE … ADD COLUMN with no default, and old rows read NULL."""
    tables = inspect(engine)
    for table, columns in ADDED_COLUMNS.items():
        have = {column["name"] for column in tables.get_columns(table)}
        for name, kind in columns.items():
            if name not in have:
                with engine.begin() as connection:
                    connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def create_tables(engine, create) -> None:
    """Create missing tables and columns. Several `serve` processes starting on one new database
    race to create them: the loser's 'already exists' is fine once a second look finds them all."""
    for attempt in range(3):
        try:
            create(engine)
            add_columns(engine)
            return
        except DBAPIError:
            if attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))


def open_engine(url: str):
    """An engine that never logs question text and gives up on a locked SQLite file quickly (the
    Recorder retries; a context read goes without). A SQLite file holds question text and kept
    answers: it is made owner-only (0600), and so is a folder created for it (0700)."""
    if url.startswith("sqlite:///") and url.removeprefix("sqlite:///") not in ("", ":memory:"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.parent.exists():
            private_dir(path.parent)
        private_file(path)
    connect_args = {"timeout": 0.5} if url.startswith("sqlite") else {}
    # hide_parameters: a failing statement is logged without the question text it carried
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args)


class History:
    def __init__(self, url: str, salt: str, retention_days: int = 90, kept_bytes: int = 200 * 2**20):
        self.engine = open_engine(url)
        self.kept_bytes = kept_bytes
        self.recorder = Recorder(self.engine, prepare=lambda: create_tables(self.engine, Base.metadata.create_all))
        self.recorder.ready()
        self.salt = salt
        self.retention_days = retention_days
        self._kept: TTLCache = TTLCache(maxsize=10_000, ttl=24 * 3600)  # this process's answers (stored form)
        self._messages: TTLCache = TTLCache(maxsize=10_000, ttl=24 * 3600)  # this process's sent messages
        self._before: bool | None = None  # whether the database still has kept answers of the old form
        self._delivered: TTLCache = TTLCache(maxsize=10_000, ttl=DELIVERY_HOURS * 3600)
        self._signed_out: set[str] = set()  # this process's sign-outs
        self._still_in: TTLCache = TTLCache(maxsize=10_000, ttl=SIGNED_OUT_SEEN)

    @classmethod
    def from_settings(cls, settings) -> "History":
        root = settings.home
        if root.is_dir() and Path(settings.database_url.removeprefix("sqlite:///")).parent == root:
            private_dir(root)  # the data directory holding the database: owner-only
        salt = user_id_salt(settings.user_id_salt, settings.database_url, root)
        return cls(settings.database_url, salt, settings.question_retention_days, settings.kept_answers_mb * 2**20)

    def close(self, timeout: float = 5.0) -> None:
        """Write what is waiting (for at most ``timeout``), then let the connections go."""
        self.recorder.close(timeout)
        self.engine.dispose()

    def user_hash(self, platform: str, user_id: str) -> str:
        return hashlib.sha256(f"{self.salt}:{platform}:{user_id}".encode()).hexdigest()[:16]

    def _add(self, table: type, **values) -> None:
        """Queue a row; the Recorder writes it after the answer has gone (a new object each try)."""
        values.setdefault("at", now())
        self.recorder.submit(lambda session: session.add(table(**values)))

    def record_answer(self, platform: str, user_id: str, answer: Answer) -> None:
        self._add(
            Asked, platform=platform, user_hash=self.user_hash(platform, user_id), question=answer.question,
            # a neighbouring fact (the asked words not in the record) is a gap to curate, not an answer
            answered=answer.answered and not answer.unmatched, hit_ids=[h.doc_id for h in answer.hits],
            top_score=answer.hits[0].score if answer.hits else None, elapsed_ms=answer.elapsed_ms,
        )

    def record_feedback(self, platform: str, user_id: str, question: str, hit_ids: list[str], helpful: bool,
                        reason: str = "") -> None:
        """A 👍 or 👎. A 👎 with a reason joins the asker's 👎 on the same question of the last hour
        that has none yet (Slack asks for the reason after the vote is recorded); otherwise it is
        a vote of its own."""
        reason = " ".join(reason.split())[:REASON_CHARS] if not helpful else ""
        user_hash = self.user_hash(platform, user_id)
        if not reason:
            self._add(Feedback, platform=platform, user_hash=user_hash, question=question, hit_ids=hit_ids,
                      helpful=helpful)
            return

        def write(session: Session) -> None:
            vote = session.scalars(
                select(Feedback).where(Feedback.user_hash == user_hash, Feedback.platform == platform,
                                       Feedback.question == question, Feedback.helpful.is_(False),
                                       Feedback.reason.is_(None), Feedback.at >= now() - REASON_JOINS_VOTE)
                .order_by(Feedback.at.desc()).limit(1)).first()
            if vote is not None:
                vote.reason = reason
            else:
                session.add(Feedback(at=now(), platform=platform, user_hash=user_hash, question=question,
                                     hit_ids=hit_ids, helpful=False, reason=reason))

        self.recorder.submit(write)

    def record_escalation(self, platform: str, user_id: str, question: str, hit_ids: list[str], sent_to: str) -> None:
        self._add(Escalation, platform=platform, user_hash=self.user_hash(platform, user_id),
                  question=question, hit_ids=hit_ids, sent_to=sent_to)

    def first_delivery(self, key: str) -> bool:
        """Whether this is the first time any replica sees ``key`` (it is claimed now). Read at
        once, not through the Recorder: the answer depends on it. When the database cannot say,
        the delivery is answered: twice at worst, never lost."""
        if key in self._delivered:
            return False
        self._delivered[key] = True
        for attempt in range(3):  # a locked SQLite file gets two more tries (0.5 s each) before giving up
            try:
                with Session(self.engine) as session, session.begin():
                    session.add(Delivery(key=key[:200]))
                return True
            except IntegrityError:
                return False
            except DBAPIError as error:
                if attempt == 2:
                    self.recorder.failed(error, "claiming a delivery")
        return True

    def sign_out(self, session: str, until: datetime) -> None:
        """End a web session everywhere: at once in this process, in the database for the others."""
        key = hashlib.sha256(session.encode()).hexdigest()
        self._signed_out.add(key)
        self._still_in.pop(key, None)

        def write(db: Session) -> None:
            if db.get(SignedOut, key) is None:
                db.add(SignedOut(key=key, until=until))
        self.recorder.submit(write)

    def signed_out(self, session: str) -> bool:
        """Whether a web session was signed out on any replica (this one's at once, another's
        within SIGNED_OUT_SEEN seconds). When the database cannot say, only this process's count."""
        key = hashlib.sha256(session.encode()).hexdigest()
        if key in self._signed_out:
            return True
        if key in self._still_in:
            return False
        try:
            with Session(self.engine) as db:
                found = db.get(SignedOut, key) is not None
        except DBAPIError as error:
            self.recorder.failed(error, "reading sign-outs")
            return False
        if found:
            self._signed_out.add(key)
        else:
            self._still_in[key] = True
        return found

    def keep(self, body: dict) -> str:
        """Keep an answer for its permalink; its id at once, the row after the answer has gone."""
        answer_id, stored = secrets.token_urlsafe(12), compact_answer(body)
        self._kept[answer_id] = stored
        self._add(KeptAnswer, id=answer_id, size=len(stored), body=stored)
        return answer_id

    def kept(self, answer_id: str) -> dict | None:
        """A kept answer; None when there is none (or it is past the retention period). Raises
        when the database cannot be read and this process does not hold it."""
        if answer_id in self._kept:
            return expanded_answer(self._kept[answer_id])
        with Session(self.engine) as session:
            row = session.get(KeptAnswer, answer_id)
            if row is not None:
                return expanded_answer(row.body)
            if self._has_old_answers():
                old = session.get(OldKeptAnswer, answer_id)
                return old.body if old is not None else None
        return None

    def _message_key(self, message: str) -> str:
        return hashlib.sha256(f"{self.salt}:message:{message}".encode()).hexdigest()

    def keep_message(self, message: str, answer_id: str) -> None:
        """Remember that the platform's message ``message`` (``teams:<chat>:<message id>``) shows
        the kept answer ``answer_id``: at once in this process, after the answer for the others."""
        key = self._message_key(message)
        self._messages[key] = answer_id
        self.recorder.submit(lambda session: session.merge(SentMessage(key=key, answer_id=answer_id, at=now())))

    def kept_message(self, message: str) -> dict | None:
        """The kept answer a platform message shows; None when it shows none Hosakan keeps (another
        bot's message, or one past the retention period). Raises when the database cannot be read."""
        key = self._message_key(message)
        answer_id = self._messages.get(key)
        if answer_id is None:
            with Session(self.engine) as session:
                row = session.get(SentMessage, key)
                answer_id = row.answer_id if row is not None else None
        return self.kept(answer_id) if answer_id else None

    def _has_old_answers(self) -> bool:
        if self._before is None:
            self._before = inspect(self.engine).has_table(OldKeptAnswer.__tablename__)
        return self._before

    def _cap_kept(self, session: Session) -> int:
        """Delete the oldest kept answers beyond ``kept_bytes`` in all; how many went."""
        total, cut = 0, None
        for at, size in session.execute(select(KeptAnswer.at, KeptAnswer.size).order_by(KeptAnswer.at.desc())):
            total += size
            if total > self.kept_bytes:
                cut = at
                break
        if cut is None:
            return 0
        return session.execute(delete(KeptAnswer).where(KeptAnswer.at <= cut)).rowcount

    def purge(self, days: int | None = None) -> int:
        """Delete question text older than the retention period; returns how many rows lost it."""
        cutoff = now() - timedelta(days=self.retention_days if days is None else days)
        self.recorder.flush(timeout=2.0)
        changed = 0
        with Session(self.engine) as session, session.begin():
            for table in (Asked, Feedback, Escalation):
                result = session.execute(
                    update(table).where(table.at < cutoff, table.question.is_not(None)).values(question=None))
                changed += result.rowcount
            session.execute(update(Feedback).where(Feedback.at < cutoff, Feedback.reason.is_not(None))
                            .values(reason=None))
            session.execute(delete(KeptAnswer).where(KeptAnswer.at < cutoff))
            session.execute(delete(SentMessage).where(SentMessage.at < cutoff))
            if self._has_old_answers():
                session.execute(delete(OldKeptAnswer).where(OldKeptAnswer.at < cutoff))
            self._cap_kept(session)
            session.execute(delete(Delivery).where(Delivery.at < now() - timedelta(hours=DELIVERY_HOURS)))
            session.execute(delete(SignedOut).where(SignedOut.until < now()))
        return changed

    def _between(self, table, since: datetime, until: datetime | None) -> list:
        self.recorder.flush(timeout=2.0)  # what this process recorded, as far as the database takes it
        with Session(self.engine) as session:
            query = select(table).where(table.at >= since, table.at < (until or now() + timedelta(seconds=1)))
            return list(session.scalars(query.order_by(table.at)))

    def questions(self, since: datetime, until: datetime | None = None) -> list[Asked]:
        return self._between(Asked, since, until)

    def feedback(self, since: datetime, until: datetime | None = None) -> list[Feedback]:
        return self._between(Feedback, since, until)

    def escalations(self, since: datetime = datetime.min, until: datetime | None = None) -> list[Escalation]:
        return self._between(Escalation, since, until)
