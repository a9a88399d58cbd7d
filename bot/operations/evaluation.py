"""Score the retriever on a question set: Recall@1, Recall@3, MRR, abstain accuracy,
direct-answer accuracy, false "not stated" and wrong facts, per kind.

Two formats. The development sets (YAML) name the records that answer (``records``) and the strings
shown (``contains``, ``direct``); a question may be a follow-up (``after``: the questions asked before
it in one conversation) and may select cases (``cases``: every one must be named in the answer).
The blind sets (JSON lines, written by someone who never saw the records: ../shared/BLIND-QUESTIONS.md)
give ``expect_any``, strings any correct answer shows (none: the question must not be answered),
``direct`` true when the first line must state it, and ``context``, the conversation before it.

A set splits in two halves by a hash of each question's id (a conversation's stays together):
``dev`` is the half whose failures one reads while changing the code, ``held`` the half reported
as never read."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from hosakan.bot.answering.pipeline import Retriever
from hosakan.bot.models import Answer


class EvalQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str
    kind: str
    id: str | None = None
    conversation: str | None = None
    expect_any: list[str] | None = None  # a blind set's: any one shown is correct; [] must not be answered
    wants_direct: bool = False  # a blind set's: the first line must show one of expect_any
    records: list[str] = []
    contains: list[str] = []
    says: list[str] = []  # an abstain's message must hold these (the place, the role, 記載)
    direct: list[str] = []  # the direct answer (or its table) must hold every one
    cases: list[str] = []  # a filter over cases: every one of these records must be named in the answer
    after: list[str] = []  # asked before it, in one conversation (a follow-up)

    @property
    def abstain(self) -> bool:
        if self.expect_any is not None:
            return not self.expect_any
        return self.kind in ("abstain", "unstated") or self.kind.startswith("near-miss")

    def shown_in(self, text: str) -> bool:
        """Whether ``text`` (plain) shows what a right answer shows: one of a blind set's expected
        strings, or every ``direct`` string of the others'."""
        if self.expect_any is not None:
            return _shows(text, self.expect_any)
        return all(plain(s) in text for s in self.direct)

    @property
    def half(self) -> str:
        """``dev`` or ``held``, by a hash of the question's conversation or id (its text if none)."""
        key = self.conversation or self.id or self.q
        return "dev" if hashlib.sha256(key.encode()).digest()[0] < 128 else "held"


DEV_QUESTIONS = Path(__file__).with_name("devset.yaml")  # the development set about the bundled records
HALVES = ("dev", "held")
BLIND_FIELDS = {"id", "conversation", "kind", "q", "expect_any", "direct", "context"}  # the rest are notes


def _blind(item: dict) -> EvalQuestion:
    if not isinstance(item, dict):
        raise ValueError("not a JSON object")
    kept = {k: v for k, v in item.items() if k in BLIND_FIELDS}
    return EvalQuestion(q=kept.get("q"), kind=kept.get("kind"), id=kept.get("id"),
                        conversation=kept.get("conversation"), expect_any=kept.get("expect_any"),
                        wants_direct=bool(kept.get("direct")), after=kept.get("context") or [])


def load_questions(path: Path, half: str | None = None) -> list[EvalQuestion]:
    """The questions of a set (``.jsonl``: a blind set; otherwise YAML), only ``half`` if given."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        if path.suffix == ".jsonl":
            found = []
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        found.append(_blind(json.loads(line)))
                    except (ValueError, TypeError) as error:
                        raise ValueError(f"{number}: {error}") from None
        else:
            found = [EvalQuestion.model_validate(item) for item in yaml.safe_load(handle)]
    return [q for q in found if half is None or q.half == half]


def plain(text: str) -> str:
    """Text as the figures compare it: unmarked, width-folded, lower case, without spaces, and
    one wave dash for 〜 and ～ (the same mark, typed from different code pages)."""
    return "".join(unicodedata.normalize("NFKC", text.replace("**", "")).replace("〜", "~").lower().split())


def loose(text: str) -> str:
    """A blind set's strings are found ignoring commas too (1,140万円 / 1140万円)."""
    return plain(text).replace(",", "")


def _shows(shown: str, expected: list[str]) -> bool:
    shown = shown.replace(",", "")
    return any(loose(s) in shown for s in expected)


def shown_first(answer: Answer) -> str:
    """What an official reads first: the direct answer and the table under it, folded."""
    parts = [answer.direct_answer or ""]
    if answer.table:
        parts += [" ".join(row) for row in answer.table.rows]
    return plain("\n".join(parts))


def names_of(records: dict) -> dict[str, list[str]]:
    """Record id -> the names an answer listing it would use (a case's municipality; a
    round-table's municipalities)."""
    names = {}
    for record_id, record in records.items():
        found = [getattr(record, "municipality", None), *getattr(record, "municipalities", [])]
        names[record_id] = [n for n in found if n] or [record.title]
    return names


def first_correct_rank(question: EvalQuestion, answer: Answer) -> int | None:
    """1-based rank of the first hit that cites a wanted record, with every wanted string shown by
    then (in the direct answer or the snippets up to that hit); for a blind question, the first
    rank by which one expected string is shown (1 when the direct answer or its table shows it);
    None when there is none."""
    if not answer.answered:
        return None
    if question.expect_any is not None:
        if _shows(shown_first(answer), question.expect_any):
            return 1
        for rank, hit in enumerate(answer.hits, 1):
            if _shows(plain(hit.snippet), question.expect_any):
                return rank
        return None
    shown = plain(answer.direct_answer or "")
    for rank, hit in enumerate(answer.hits, 1):
        shown += "\n" + plain(hit.snippet)
        if hit.record_id in question.records and all(plain(s) in shown for s in question.contains):
            return rank
    return None


@dataclass
class Outcome:
    question: EvalQuestion
    answer: Answer
    rank: int | None
    names: dict[str, list[str]] = field(default_factory=dict)

    @property
    def direct_correct(self) -> bool | None:
        """Whether the direct answer states the asked fact (or names every selected case); None
        when the question expects neither."""
        if self.question.expect_any is not None:
            if not (self.question.wants_direct and self.question.expect_any):
                return None
            return self.answer.answered and self.question.shown_in(shown_first(self.answer))
        if not (self.question.direct or self.question.cases):
            return None
        if not self.answer.answered:
            return False
        shown = shown_first(self.answer)
        if not self.question.shown_in(shown):
            return False
        return all(any(plain(n) in shown for n in self.names.get(c, [c])) for c in self.question.cases)

    @property
    def false_not_stated(self) -> bool:
        """An answerable question refused as "the record does not state it"."""
        return not self.question.abstain and self.answer.refusal == "not_stated"

    @property
    def wrong_fact(self) -> bool:
        """An answerable question answered first with something else: the direct answer (or its
        table) does not show the asked fact."""
        return (not self.question.abstain and self.answer.answered and bool(shown_first(self.answer))
                and self.direct_correct is False)

    @property
    def correct_abstain(self) -> bool:
        if not self.question.abstain or self.answer.answered:
            return False
        message = plain(self.answer.message or "")
        return all(plain(s) in message for s in self.question.says)

    def recalled(self, k: int) -> bool:
        if self.question.abstain:
            return self.correct_abstain
        if self.question.cases and not self.question.records:
            return bool(self.direct_correct)
        return self.rank is not None and self.rank <= k


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _rows(self, outcomes):
        answerable = [o for o in outcomes if not o.question.abstain]
        abstain = [o for o in outcomes if o.question.abstain]
        count = len(outcomes)
        direct = [o.direct_correct for o in outcomes if o.direct_correct is not None]
        return {
            "questions": count,
            "recall@1": sum(o.recalled(1) for o in outcomes) / count if count else 0.0,
            "recall@3": sum(o.recalled(3) for o in outcomes) / count if count else 0.0,
            "mrr": (sum(1 / o.rank for o in answerable if o.rank) / len(answerable)) if answerable else None,
            "abstain_accuracy": (sum(o.correct_abstain for o in abstain) / len(abstain)) if abstain else None,
            "false_abstain": sum(1 for o in answerable if not o.answer.answered),
            "false_not_stated": sum(o.false_not_stated for o in answerable),
            "wrong_fact": sum(o.wrong_fact for o in answerable),
            "direct_questions": len(direct),
            "direct_accuracy": (sum(direct) / len(direct)) if direct else None,
        }

    def by_kind(self) -> dict[str, dict]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            groups[outcome.question.kind].append(outcome)
        return {kind: self._rows(items) for kind, items in groups.items()}

    def overall(self) -> dict:
        return self._rows(self.outcomes)

    def failures(self, k: int = 3) -> list[Outcome]:
        return [o for o in self.outcomes if not o.recalled(k) or o.direct_correct is False]

    def below(self, min_recall3: float | None, min_direct: float | None) -> list[tuple[str, float, float]]:
        """The overall figures under their floors: (figure, measured, floor)."""
        overall, short = self.overall(), []
        if min_recall3 is not None and overall["recall@3"] < min_recall3:
            short.append(("recall@3", overall["recall@3"], min_recall3))
        direct = overall["direct_accuracy"]
        if min_direct is not None and direct is not None and direct < min_direct:
            short.append(("direct_accuracy", direct, min_direct))
        return short


def evaluate(retriever: Retriever, questions: list[EvalQuestion]) -> Report:
    """Every question answered as an official would be, except that each waits for its vector: a
    busy machine (the serving budget, search.DENSE_BUDGET) must not change the figures."""
    report = Report()
    names = names_of(retriever.index.records)
    budget, retriever.finder.dense_budget = retriever.finder.dense_budget, None
    try:
        for question in questions:
            topic = None
            for before in question.after:  # the conversation so far, as the conversation core carries it
                topic = retriever.ask(before, topic).topic or topic
            answer = retriever.ask(question.q, topic)
            report.outcomes.append(Outcome(question, answer, first_correct_rank(question, answer), names))
    finally:
        retriever.finder.dense_budget = budget
    return report
