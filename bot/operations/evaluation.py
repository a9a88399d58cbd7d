"""Score the retriever on a question set: Recall@1, Recall@3, MRR, abstain accuracy and
direct-answer accuracy per kind.

A question may be a follow-up (``after``: the questions asked before it in one conversation), may
expect the direct answer to state a fact (``direct``), and may select cases (``cases``: every one
must be named in the answer)."""

from __future__ import annotations

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
    records: list[str] = []
    contains: list[str] = []
    says: list[str] = []  # an abstain's message must hold these (the place, the role, 記載)
    direct: list[str] = []  # the direct answer (or its table) must hold every one
    cases: list[str] = []  # a filter over cases: every one of these records must be named in the answer
    after: list[str] = []  # asked before it, in one conversation (a follow-up)

    @property
    def abstain(self) -> bool:
        return self.kind in ("abstain", "unstated") or self.kind.startswith("near-miss")


DEV_QUESTIONS = Path(__file__).with_name("devset.yaml")  # the development set about the bundled records


def load_questions(path: Path) -> list[EvalQuestion]:
    with Path(path).open(encoding="utf-8") as handle:
        return [EvalQuestion.model_validate(item) for item in yaml.safe_load(handle)]


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text.replace("**", "")).lower().split())


def shown_first(answer: Answer) -> str:
    """What an official reads first: the direct answer and the table under it, folded."""
    parts = [answer.direct_answer or ""]
    if answer.table:
        parts += [" ".join(row) for row in answer.table.rows]
    return _plain("\n".join(parts))


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
    then (in the direct answer or the snippets up to that hit); None when there is none."""
    if not answer.answered:
        return None
    shown = _plain(answer.direct_answer or "")
    for rank, hit in enumerate(answer.hits, 1):
        shown += "\n" + _plain(hit.snippet)
        if hit.record_id in question.records and all(_plain(s) in shown for s in question.contains):
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
        if not (self.question.direct or self.question.cases):
            return None
        if not self.answer.answered:
            return False
        shown = shown_first(self.answer)
        if not all(_plain(s) in shown for s in self.question.direct):
            return False
        return all(any(_plain(n) in shown for n in self.names.get(c, [c])) for c in self.question.cases)

    @property
    def correct_abstain(self) -> bool:
        if not self.question.abstain or self.answer.answered:
            return False
        message = _plain(self.answer.message or "")
        return all(_plain(s) in message for s in self.question.says)

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
