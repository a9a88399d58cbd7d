"""The conversation, written once for every platform: help, admin commands, follow-ups that carry
the context, paging (more / もっと), 👍/👎, sharing, 担当者に聞く, and the apology with an error id.

Adapters turn their payloads into a ``Question`` or an ``Action`` and render the ``Reply``; they
hold no conversation logic. Recording comes after the answer (bot/storage/recorder.py): a failing database
costs the asker at most the context, never the answer.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime
from typing import Callable

from cachetools import TTLCache

from hosakan.bot.chat.presenter import shortened
from hosakan.bot.events import Action, Apology, Asker, Forward, Help, Notice, Question, Reply, Shown, contract_of
from hosakan.bot.models import Topic
from hosakan.bot.operations.report import build_report
from hosakan.bot.sentences import maintainers, officials
from hosakan.bot.service import LiveIndex
from hosakan.bot.storage.contexts import Context, Contexts
from hosakan.bot.storage.history import History, in_jst
from hosakan.indexer.build import BuildFailed, build, disk_full
from hosakan.indexer.normalize import clean_question, fold
from hosakan.knowledge.files import shown

log = logging.getLogger("hosakan.bot")

HELP_WORDS = ("help", "ヘルプ", "使い方", "つかいかた", "?", "？", "usage")
MORE_WORDS = ("more", "もっと", "他の候補", "ほかの候補", "他には", "ほかには", "次", "つぎ", "続き", "つづき", "next")
NEW_WORDS = ("clear", "cls", "reset", "new", "リセット", "クリア", "新しい会話", "最初から")
EXIT_WORDS = ("exit", "quit", "q", "bye", "終了", "おわり", "終わり")  # the console ends; elsewhere: nothing to end
COMMANDS = {
    "reindex": ("reindex", "再インデックス", "インデックス更新", "再構築"),
    "stats": ("stats", "統計", "利用状況"),
    "gaps": ("gaps", "未回答", "答えられなかった質問"),
}


def _words(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


_HELP, _MORE, _NEW, _EXIT = _words(HELP_WORDS), _words(MORE_WORDS), _words(NEW_WORDS), _words(EXIT_WORDS)
_ONE_WORD = re.compile(r"[a-z]{1,16}")  # what an unknown command looks like: ls, cd, hello
_COMMANDS = {name: _words(words) for name, words in COMMANDS.items()}


def asks_to_exit(text: str) -> bool:
    """Whether a message is one of the exit words (exit / 終了): the console ends the chat."""
    return fold(clean_question(text or "")) in _EXIT


def asks_for_more(text: str) -> bool:
    """Whether a message asks for the rest (more / もっと / 他の候補): a terminal shows what it
    folded away first, then the next candidates."""
    return fold(clean_question(text or "")) in _MORE


def _jst_text(stamp: str) -> str:
    """An index's build time (ISO 8601 with the builder's offset) in Japan Standard Time."""
    try:
        return in_jst(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z")).strftime("%Y-%m-%d %H:%M（日本時間）")
    except ValueError:
        return stamp


class Conversation:
    def __init__(self, service: LiveIndex, history: History | None = None, contexts: Contexts | None = None):
        self.service = service
        self.settings = service.settings
        self.history = history
        self.contexts = contexts
        self._delivered: TTLCache = TTLCache(maxsize=10_000, ttl=3600)  # without a database: this process's own

    @classmethod
    def recording(cls, service: LiveIndex) -> "Conversation":
        """A conversation that keeps its history and contexts in HOSAKAN_DATABASE_URL."""
        history = History.from_settings(service.settings)
        return cls(service, history, Contexts(history.recorder, history.salt, service.settings.context_minutes))

    def purge(self) -> None:
        """Question text past its time goes: the history's after the retention period, a
        context's when it expires (``serve`` does this at start and every hour)."""
        if self.history is not None:
            try:
                self.history.purge()
            except Exception as error:  # noqa: BLE001 - tried again at the next hour
                self.history.recorder.failed(error, "purging question text")
        if self.contexts is not None:
            self.contexts.forget()

    def close(self, timeout: float = 5.0) -> None:
        """Write what is waiting to be recorded (for at most ``timeout``)."""
        if self.history is not None:
            self.history.close(timeout)

    # -- questions ------------------------------------------------------------------------
    def ask(self, question: Question) -> Reply:
        """What to say to a question: help, a command's result, the next candidates, or an answer."""
        return self.guarded(lambda: self._ask(question))

    def _ask(self, question: Question) -> Reply:
        key = fold(clean_question(question.text or ""))
        if not key or key in _HELP:
            return self.help(question.asker)
        if key in _MORE:
            return self._more(question.conversation)
        if key in _NEW:
            self._remember(question.conversation, Context(Topic()))
            return Notice(officials.NEW_CONVERSATION)
        if key in _EXIT:
            return Notice(officials.NOTHING_TO_EXIT)
        command = next((name for name, words in _COMMANDS.items() if key in words), None)
        if command:
            if not question.asker.is_admin:
                log.warning("refused admin command %r from a %s user", command, question.asker.platform)
                return Notice(officials.ADMIN_ONLY)
            return Notice(getattr(self, f"_command_{command}")())
        before = self._context(question.conversation)
        answer = self.service.ask(question.text, before.topic if before else None)
        if not answer.answered and _ONE_WORD.fullmatch(key):
            return self.help(question.asker)  # a command we do not know, not a gap in the knowledge
        self._record(question.asker, answer)
        # 今日の天気は？ keeps the conversation on what it was about; either way Hosakan answered here
        self._remember(question.conversation, Context(answer.topic, answer.question, answer.carried)
                       if answer.topic else before or Context(Topic()))
        return Shown(answer, carried=answer.carried, follows=before.question if answer.carried and before else None)

    def help(self, asker: Asker, welcome: bool = False) -> Help:
        return Help(officials.help_text(admin=asker.is_admin), welcome=welcome, examples=officials.EXAMPLES[:3])

    # -- buttons --------------------------------------------------------------------------
    def act(self, action: Action | None, asker: Asker, conversation: str, reason: str = "") -> Reply:
        """What a button does; ``reason``: why a 👎, in the asker's words, where the platform asks
        for it (Slack's dialog after the vote joins the vote already recorded; Teams' form comes
        with the vote)."""
        return self.guarded(lambda: self._act(action, asker, conversation, reason))

    def _act(self, action: Action | None, asker: Asker, conversation: str, reason: str = "") -> Reply:
        if action is None:
            return Notice(officials.NOT_OURS)
        if action.kind in ("up", "down"):
            if self.history is not None:
                self.history.record_feedback(asker.platform, asker.user_id, action.question, action.hits,
                                             action.kind == "up", reason)
            return Notice(officials.thanks(action.kind == "up"))
        if action.kind == "more":
            return self._page(action.question, action.carried, action.page + 1, conversation)
        if action.kind == "share":
            answer = self.service.ask(action.question, action.carried)
            return Shown(answer, carried=action.carried, shared_by=asker.name or asker.user_id)
        if action.kind == "escalate":
            def record(sent_to: str) -> None:
                if self.history is not None:
                    self.history.record_escalation(asker.platform, asker.user_id, action.question, action.hits, sent_to)
            return Forward(action.question, action.hits, asker, officials.escalated(self.settings.escalation_contact),
                           record)
        return self._ask(Question(action.question, asker, conversation))

    # -- permalinks: answers kept for a link, and the buttons under a kept answer ----------
    def keep(self, reply: Reply, question: str) -> dict:
        """The `ask --json` object of a reply; an answer also gets the ``answer_id`` its permalink
        (the web page's /a/<id>, the API's /api/v1/answers/<id>) and its buttons go by. What a
        follow-up took from the conversation (``carried``) and which page of candidates it is
        (``page``, ``first``) are kept with it, so that 他の候補 under a link goes on from there."""
        data = contract_of(reply, question)
        if not isinstance(reply, Shown) or self.history is None:
            return data
        body = {**data, "carried": reply.carried.model_dump() if reply.carried else None,
                "page": reply.answer.page, "first": reply.first, "has_more": bool(reply.answer.more),
                "before": [reply.follows] if reply.follows else []}
        return {**body, "answer_id": self.history.keep(body)}

    @staticmethod
    def action_on(kept: dict, kind: str) -> Action:
        """What a button under a kept answer does: 👍/👎, 他の候補 or 担当者に聞く on that answer."""
        return Action(a=kind, q=(kept.get("question") or "")[:2000], t=kept.get("carried"),
                      h=[hit["doc_id"] for hit in kept.get("hits", [])][:20], p=kept.get("page") or 0)

    # -- paging ---------------------------------------------------------------------------
    def _more(self, conversation: str) -> Reply:
        context = self._context(conversation)
        if context is None or not context.question:
            return Notice(officials.NOTHING_TO_PAGE)
        return self._page(context.question, context.carried, context.page + 1, conversation, context)

    def _page(self, question: str, carried, page: int, conversation: str, context: Context | None = None) -> Reply:
        answer = self.service.ask(question, carried, page=page)
        if not answer.hits:
            return Notice(officials.no_more(page * self.settings.hits if answer.answered else 0))
        if context is not None:
            self._remember(conversation, Context(context.topic, context.question, context.carried, page))
        return Shown(answer, carried=carried, first=page * self.settings.hits + 1)

    # -- the database: written after the answer, read without failing it ------------------
    def _context(self, conversation: str) -> Context | None:
        return self.contexts.get(conversation) if self.contexts is not None and conversation else None

    def _remember(self, conversation: str, context: Context) -> None:
        if self.contexts is not None and conversation:
            self.contexts.save(conversation, context)

    def first_delivery(self, key: str) -> bool:
        """Whether a platform delivery (``slack:<event_id>``) is new to every replica sharing the
        database; a platform's retry of one already taken is acknowledged, not answered again."""
        if self.history is not None:
            return self.history.first_delivery(key)
        if key in self._delivered:
            return False
        self._delivered[key] = True
        return True

    def continue_in(self, conversation: str, thread: str) -> None:
        """A thread opened under a question (Slack's DM answers each question in its own thread):
        follow-ups in ``thread`` go on from where ``conversation`` stands now."""
        context = self._context(conversation)
        if context is not None:
            self._remember(thread, context)

    def knows(self, conversation: str) -> bool:
        """Whether Hosakan answered in this conversation (a Slack thread it keeps answering)."""
        return self.contexts is not None and self.contexts.knows(conversation)

    def _record(self, asker: Asker, answer) -> None:
        if self.history is None:
            return
        if answer.context:  # what a follow-up meant, for whoever reads the unanswered questions
            answer = answer.model_copy(update={"question": answer.question + officials.context(answer.context)})
        self.history.record_answer(asker.platform, asker.user_id, answer)

    # -- failures -------------------------------------------------------------------------
    def guarded(self, work: Callable[[], Reply]) -> Reply:
        """``work``'s reply, or an apology whose error id the log also holds."""
        try:
            return work()
        except Exception:  # noqa: BLE001 - the asker gets an apology, the log the traceback
            return self.apology()

    @staticmethod
    def apology(error: BaseException | None = None) -> Apology:
        """An apology with an error id; the log holds the same id and the traceback."""
        error_id = uuid.uuid4().hex[:8]
        log.error("a request failed (error id %s)", error_id, exc_info=error or True)
        return Apology(error_id, officials.apology(error_id))

    # -- admin commands -------------------------------------------------------------------
    def _command_reindex(self) -> str:
        try:
            summary = build(self.settings.knowledge_dir, self.settings.index_dir, **self.settings.build_options())
        except BuildFailed as failure:
            lines = [f"・{shown(p.path.name)}：{p.field}：{shown(p.message)}" for p in failure.problems[:10]]
            return officials.reindex_failed(len(failure.problems), lines)
        except OSError as error:  # a full disk: the live index keeps serving
            return maintainers.index_not_written(disk_full(error), error.strerror or type(error).__name__)
        if summary.mode == "unchanged":
            return officials.reindex_unchanged(summary.generation.name, summary.records, summary.passages)
        self.service.refresh()
        return officials.reindexed(summary.generation.name, summary.records, summary.passages, summary.seconds,
                                  summary.changes)

    def _command_stats(self) -> str:
        index = self.service.index
        manifest = index.manifest
        text = officials.index_stats(index.path.name, manifest["records"], manifest["passages"],
                                    _jst_text(manifest["built_at"]))
        if self.history is not None:
            report = build_report(self.history, index.records, days=30)
            text += "\n" + officials.usage_stats(report.asked, report.answered_share, report.asked - report.answered)
        return text

    def _command_gaps(self) -> str:
        if self.history is None:
            return officials.NO_HISTORY
        groups = build_report(self.history, self.service.index.records, days=30).unanswered
        if not groups:
            return officials.NO_GAPS
        return officials.gaps([f"{i}. {shortened(g.question, 80)}（{g.count}件）" for i, g in enumerate(groups, 1)])
