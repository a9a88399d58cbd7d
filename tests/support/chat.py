"""One driver for conversation tests, as Errbot's testbot is for a plugin: a test says something and
reads what would be shown, with no platform in between.

    def test_a_follow_up_keeps_the_place(bot):          # conftest's ``bot``: the real index
        bot.ask("印西市のCIO補佐官の募集について")
        said = bot.ask("勤務日数は？")                    # the same conversation (a thread)
        assert said.answer.context == "印西市・CIO補佐官" and "週1回以外" in said.text
        said.facts[0].record_id, said.table, bot.press("more", said).answer.page

``bot`` (tests/conftest.py) talks to the index the session built once from the real records, with
a database of the test's own; ``ChatBot(conversation)`` drives any other conversation (one over
extra records, ``recording_conversation``). Every ``ask`` is the same official in the same thread
unless ``where=`` or ``asker=`` says otherwise (``ADMIN`` for the admin commands)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.chat.presenter import View, plain_text, present
from hosakan.bot.events import Action, Asker, Forward, Question, Reply, Shown
from hosakan.bot.models import Answer, Fact, Table
from hosakan.bot.service import LiveIndex
from hosakan.bot.storage.contexts import Contexts
from hosakan.bot.storage.history import History

OFFICIAL = Asker("slack", "U0OFFICIAL")
ADMIN = Asker("slack", "U0ADMIN", is_admin=True)
SALT = "salt"  # the user-id salt of a test's database
CONTEXT_MINUTES = 30  # how long a conversation's context is kept (HOSAKAN_CONTEXT_MINUTES' default)


@dataclass
class Said:
    """One reply, as a surface would show it: an answer (``answer``, ``facts``, ``table``, ``view``,
    ``text``) or a notice, help or apology (``text``)."""

    reply: Reply

    @property
    def shown(self) -> Shown:
        assert isinstance(self.reply, Shown), self.reply
        return self.reply

    @property
    def answer(self) -> Answer:
        return self.shown.answer

    @property
    def facts(self) -> list[Fact]:
        """The direct answer's cases and documents, each with its record id, text and date."""
        return self.answer.facts

    @property
    def table(self) -> Table | None:
        return self.answer.table

    @property
    def view(self) -> View:
        """What every surface draws of the answer (bot/chat/presenter.py), the buttons included."""
        return present(self.shown, escalate=False)

    @property
    def text(self) -> str:
        """What would be shown, as text: an answer laid out by the presenter as it is copied or
        notified (heading, readings, message, direct answer, table, evidence, notes), else what a
        notice, help or apology says (a question passed on: what the asker is told)."""
        if isinstance(self.reply, Shown):
            return plain_text(self.view)
        if isinstance(self.reply, Forward):
            return self.reply.notice
        return self.reply.text


class ChatBot:
    """A conversation a test talks to: ``ask`` a question, ``press`` a button under an answer."""

    def __init__(self, conversation: Conversation, where: str = "thread-1", asker: Asker = OFFICIAL,
                 database: Path | None = None):
        self.conversation = conversation
        self.where = where
        self.asker = asker
        self.database = database  # the SQLite file of its history and contexts, when it has one

    @classmethod
    def over(cls, service: LiveIndex, database: Path) -> "ChatBot":
        """A conversation over ``service`` (an open index), keeping its history and contexts in a
        SQLite file of its own at ``database``."""
        return cls(cls._conversation(service, database), database=database)

    @staticmethod
    def _conversation(service: LiveIndex, database: Path) -> Conversation:
        history = History(f"sqlite:///{database}", SALT)
        return Conversation(service, history, Contexts(history.recorder, SALT, minutes=CONTEXT_MINUTES))

    def beside(self) -> "ChatBot":
        """Another process on the same index and database (a second worker, a replica): it shares
        nothing with this one but what is stored."""
        conversation = self.conversation
        contexts = Contexts(conversation.history.recorder, SALT, minutes=CONTEXT_MINUTES)
        return ChatBot(Conversation(conversation.service, conversation.history, contexts), self.where, self.asker,
                       self.database)

    def ask(self, text: str, *, where: str | None = None, asker: Asker | None = None) -> Said:
        """Says ``text`` in the conversation (``where``: another thread) and returns the reply."""
        return Said(self.conversation.ask(Question(text, asker or self.asker, where or self.where)))

    def press(self, kind: str, said: Said, *, where: str | None = None, asker: Asker | None = None) -> Said:
        """Presses the ``kind`` button (up, down, more, share, escalate) under an answer, the action
        carried through its encoding as a platform carries it."""
        action = Action.about(kind, said.answer, said.shown.carried)
        return self.act(Action.decode(action.encode()), where=where, asker=asker)

    def act(self, action: Action | None, *, where: str | None = None, asker: Asker | None = None) -> Said:
        """What a platform does with a button's payload, ``action`` as decoded (None: not ours)."""
        return Said(self.conversation.act(action, asker or self.asker, where or self.where))

    def close(self) -> None:
        self.conversation.close()
