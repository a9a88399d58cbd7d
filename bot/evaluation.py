"""Score the retriever on a question set: Recall@1, Recall@3, MRR and abstain accuracy per kind."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from bot.models import Answer
from bot.retriever import Retriever

class EvalQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str
    kind: str
    records: list[str] = []
    contains: list[str] = []
    says: list[str] = []  # an abstain's message must hold these (the place, the role, 記載)

    @property
    def abstain(self) -> bool:
        return self.kind == "abstain" or self.kind.startswith("near-miss")


DEV_QUESTIONS = Path(__file__).with_name("devset.yaml")  # the development set about the bundled records


def load_questions(path: Path) -> list[EvalQuestion]:
    with Path(path).open(encoding="utf-8") as handle:
        return [EvalQuestion.model_validate(item) for item in yaml.safe_load(handle)]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text.replace("**", "")).lower()


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

    @property
    def correct_abstain(self) -> bool:
        if not self.question.abstain or self.answer.answered:
            return False
        message = _plain(self.answer.message or "")
        return all(_plain(s) in message for s in self.question.says)

    def recalled(self, k: int) -> bool:
        if self.question.abstain:
            return self.correct_abstain
        return self.rank is not None and self.rank <= k


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _rows(self, outcomes):
        answerable = [o for o in outcomes if not o.question.abstain]
        abstain = [o for o in outcomes if o.question.abstain]
        count = len(outcomes)
        return {
            "questions": count,
            "recall@1": sum(o.recalled(1) for o in outcomes) / count if count else 0.0,
            "recall@3": sum(o.recalled(3) for o in outcomes) / count if count else 0.0,
            "mrr": (sum(1 / o.rank for o in answerable if o.rank) / len(answerable)) if answerable else None,
            "abstain_accuracy": (sum(o.correct_abstain for o in abstain) / len(abstain)) if abstain else None,
            "false_abstain": sum(1 for o in answerable if not o.answer.answered),
        }

    def by_kind(self) -> dict[str, dict]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            groups[outcome.question.kind].append(outcome)
        return {kind: self._rows(items) for kind, items in groups.items()}

    def overall(self) -> dict:
        return self._rows(self.outcomes)

    def failures(self, k: int = 3) -> list[Outcome]:
        return [o for o in self.outcomes if not o.recalled(k)]


def evaluate(retriever: Retriever, questions: list[EvalQuestion]) -> Report:
    report = Report()
    for question in questions:
        answer = retriever.ask(question.q)
        report.outcomes.append(Outcome(question, answer, first_correct_rank(question, answer)))
    return report
