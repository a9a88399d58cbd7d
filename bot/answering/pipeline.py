"""The fuzzy retriever: a question in, an Answer with cited snippets (or an honest "not found") out.

It joins the steps, each in its own module of this package: understanding the question
(understanding.py), searching (search.py), and the answer policy with the direct answer
(decision.py, direct.py, extraction.py, filters.py, policy.py). Here are only what a
conversation adds — the topic a follow-up carries, and pages of candidates — and one lock, which
the slow step (embedding the question, bounded by a time budget) is kept out of.
"""

from __future__ import annotations

import threading
import time
from functools import cached_property

from hosakan.bot.answering import case_answers, direct, lookup, policy
from hosakan.bot.answering.decision import Answerer
from hosakan.bot.answering.search import Search
from hosakan.bot.answering.understanding import Understanding
from hosakan.bot.chat import context
from hosakan.bot.models import Answer, Topic
from hosakan.bot.sentences import officials
from hosakan.indexer.analysis import terms
from hosakan.indexer.normalize import bounded, clean_question, fold
from hosakan.indexer.store import OpenIndex

SAID_WORDS = 5  # the words of a quoted sentence a follow-up pointing at it carries


class Retriever:
    def __init__(self, index: OpenIndex, max_chars: int = 500, hits: int = 3):
        self.index = index
        self.max_chars = max_chars
        self.hits = hits
        self.finder = Search(index, hits)
        self.words = self.finder.words
        self.answerer = Answerer(self.finder)
        # One question at a time: the index files are read with seek-then-read on shared handles,
        # and the impact cache is shared. The work holds the GIL anyway, so threads lose nothing.
        self._lock = threading.Lock()
        # what tests, the bench and the service reach through the retriever
        self.searcher, self.reader, self.ranker = self.finder.searcher, self.finder.reader, self.finder.ranker
        self.understand, self.build_query = self.words.understand, self.finder.build_query

    @cached_property
    def general_words(self) -> frozenset[str]:
        """The index terms of words that name no topic of their own (都道府県, 事例: the glossary's
        listing words): a follow-up made of them still asks what was asked before."""
        return frozenset(t for word in self.index.glossary.listing for t in terms(word))

    @cached_property
    def role_words(self) -> frozenset[str]:
        """The index terms of the roles' names (補佐官 of CDO補佐官): a follow-up of them names a role."""
        return frozenset(t for case in self.answerer.casebook.cases for role in case.roles for t in terms(role))

    @cached_property
    def asking_words(self) -> frozenset[str]:
        """The index terms of the words that ask how, not what (何, 割合, 頻度): no topic of their own."""
        return direct.question_terms()

    @property
    def semantic(self) -> tuple[str, int] | None:
        """(model, passages embedded) when answers use the dense ranking too."""
        return self.finder.dense_state

    @property
    def casebook(self) -> case_answers.Casebook:
        return self.answerer.casebook

    def close(self) -> None:
        self.finder.close()

    def warm(self, previous: Retriever, question: str) -> None:
        """Read now what questions read from the previous index (the same terms' postings), build
        what the question reader and the gazetteer build on first use (the glossary's synonym
        terms, the fuzzy index …), and answer ``question`` (the case book): the first questions on
        this index are as fast as the last on that."""
        self.ranker.warm(previous.ranker.cached_terms())
        for part in (self.words, self.index.gazetteer):
            for name, attribute in vars(type(part)).items():
                if isinstance(attribute, cached_property):
                    getattr(part, name)
        self.ask(question)

    def ask(self, question: str, previous: Topic | None = None, page: int = 0) -> Answer:
        """The answer to ``question``; ``previous`` is what the conversation was about (a
        follow-up takes what it leaves unsaid from it); ``page`` 1, 2 … are the next candidates."""
        started = time.perf_counter()
        text = clean_question(question or "")
        problem = case_answers.problem_with(text, self.max_chars)  # an over-long question is told so, not shortened
        text = text if problem else bounded(text)
        # the question's vector is made first, outside the lock, within its time budget
        dense = not problem and self.finder.prepare(text)
        with self._lock:
            answer, u = self._ask(text, previous, problem, dense)
            if page:
                answer = self._page(answer, u, page)
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        return answer

    def search(self, query: str, limit: int, nothing: str) -> lookup.Found:
        """The passages ``query`` finds, best first (at most ``limit``, two a record), with no answer
        decided: an assistant's search (adapters/mcp). ``nothing`` is said when none is found."""
        text = clean_question(query or "")
        problem = case_answers.problem_with(text, self.max_chars)
        if problem:
            return lookup.Found(query=text[: self.max_chars], message=problem)
        text = bounded(text)
        dense = self.finder.prepare(text)
        with self._lock:
            u = self.words.understand(text)
            u.dense = dense
            return lookup.found(self.index, text, self.finder.search(u, upto=max(1, limit)), nothing)

    def fetch(self, wanted: str) -> lookup.Quoted | lookup.Whole | None:
        """A passage, or a whole record or source document, by its id (lookup.fetch)."""
        with self._lock:
            return lookup.fetch(self.index, self.finder, wanted)

    def _quoted_table(self, answer: Answer) -> str:
        """The report or round-table record an answer quoted one sentence of, else ''."""
        if len(answer.facts) != 1 or answer.table:
            return ""
        record = self.index.records.get(answer.facts[0].record_id)
        return record.id if record is not None and record.kind in ("reference", "roundtable") else ""

    def _about(self, u: Understanding, previous: Topic | None) -> str | None:
        """For a follow-up (short, naming nothing) asking where a record is from: the record the
        conversation is on (its quoted report or round-table, else the one case its place has),
        '' when none; None for a question that stands alone."""
        if not context.elliptical(u):
            return None
        if previous and previous.record:
            return previous.record
        cases = self.answerer.casebook.matching(municipality=set(previous.places)) if previous else []
        return cases[0].id if len(cases) == 1 else ""

    def _read(self, taken: Topic, text: str, dense: bool) -> Understanding:
        """A follow-up understood with what the conversation supplies, spelled before it."""
        u = self.words.understand(f"{context.spelled(taken)} {text}")
        u.dense = dense
        return u

    def _follows_said(self, answer: Answer, previous: Topic, text: str) -> bool:
        """Whether an answer read with the sentence just quoted stays on its round-table, and for a
        reply quotes another sentence than it."""
        if not (answer.answered and answer.facts and answer.facts[0].record_id == previous.record):
            return False
        return not context.REPLY.search(text) or self._said(answer.facts[0].text) != previous.said

    def _said(self, sentence: str) -> list[str]:
        """The words of a quoted sentence a follow-up pointing at it is about: its rarest content
        words, as the dictionary spells them."""
        said = context.topic_of(self.words.understand(sentence), self.general_words, self.asking_words)
        words = sorted([*said.words, *said.terms], key=lambda w: -self.words.idf(fold(w)))[:SAID_WORDS]
        # with the word for a round-table: 「東京都CIOは何と応じた？」 asks a speaker, not 東京都's case
        return [*words, *self.index.glossary.kinds.get("roundtable", [])[:1]]

    def _page(self, answer: Answer, u: Understanding | None, page: int) -> Answer:
        """Candidates page ``page`` of an answer: no direct answer, table or message, just hits."""
        if not answer.answered or u is None:
            return answer.model_copy(update={"hits": [], "more": [], "page": page})
        found = self.finder.search(u, upto=(page + 2) * self.hits)
        return answer.model_copy(update={
            "direct_answer": None, "lead": [], "facts": [], "table": None, "message": None, "understood": None,
            "page": page,
            "hits": found[page * self.hits:(page + 1) * self.hits],
            "more": found[(page + 1) * self.hits:(page + 2) * self.hits]})

    def _ask(self, text: str, previous: Topic | None, problem: str | None,
             dense: bool) -> tuple[Answer, Understanding | None]:
        if problem:
            return Answer(question=text[: self.max_chars], answered=False, message=problem,
                          refusal="bad_question"), None
        u = self.words.understand(text)
        u.dense = dense
        has_role, general, roles = self.answerer.casebook.has_role, self.general_words, self.role_words
        about = self._about(u, previous)
        taken = context.carried(u, previous, has_role, general=general, role_words=roles)
        loose = None if taken else context.carried(u, previous, has_role, unknown_words=True, general=general,
                                                   role_words=roles)
        answer = None
        if (reading := taken or loose) and reading.said:
            # about what was just said: kept when it quotes that round-table (another turn, for a
            # reply: 「それに宮坂さんは何と応じた？」); else read with the rest of the topic only
            within = self._read(reading, text, dense)
            answer = self.answerer.answer(within, about)
            if self._follows_said(answer, previous, text):
                taken, loose, u = reading, None, within
            else:
                answer, rest = None, reading.model_copy(update={"said": []}) or None
                taken, loose = (rest, None) if taken else (None, rest)
        if answer is None and loose:
            # words the knowledge base does not know (顔出す, 締め切り): read with what the conversation
            # supplies, kept when that reading is answered; else the question alone (今日の天気は？)
            within = self._read(loose, text, dense)
            answer = self.answerer.answer(within, about)
            if answer.answered:
                taken, u = loose, within
            else:
                answer = None
        elif answer is None and taken:  # its vector (of a short text) is made here
            u = self._read(taken, text, dense)
        answer = answer or self.answerer.answer(u, about)
        if previous and previous.record and context.elliptical(u) \
                and not any(f.record_id == previous.record for f in answer.facts):
            # 「任期付の任期は？」 while a report table is in view: read within it, kept when it says so
            within = self.answerer.within(u, previous.record)
            if within is not None and (not answer.answered or _cover(within) > _cover(answer)):
                answer = within
        topic = context.topic_of(u, general, self.asking_words)
        topic.record = self._quoted_table(answer) if answer.answered else previous.record if previous else ""
        if topic.record and answer.answered and answer.facts[0].quoted \
                and self.index.records[topic.record].kind == "roundtable":
            topic.said = self._said(answer.facts[0].text)  # what one speaker said: 「言ったの誰？」 is about it
        update = {"question": text, "topic": topic, "carried": taken,
                  "context": context.label(taken) if taken else None}
        adapted = context.role_left(u, previous, taken)
        if adapted:  # 「酒田市は？」 after Osaka's CIO補佐官: 酒田市 has a CDO補佐官, and the answer says so
            place, roles = adapted
            have = sorted(set().union(*(c.roles for c in self.answerer.casebook.matching(municipality={place}))))
            note = officials.role_adapted(place, roles, have)
            update["understood"] = f"{answer.understood} {note}" if answer.understood else note
        return answer.model_copy(update=update), u


def _cover(answer: Answer) -> float:
    """How much of the question an answer's quoted sentence covers (0 for answers of other kinds:
    a case's fact, a table, a listing)."""
    return answer.features[policy.FEATURES.index("cover")] if answer.features else 0.0
