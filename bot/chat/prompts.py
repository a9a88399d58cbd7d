"""Questions to suggest, drawn from the knowledge base: a chat surface (Slack's assistant
threads) offers them to start with, so they name cases the index holds and facts those records
state, never a fixed list that could point at a record that is gone.

Deterministic: the same index suggests the same questions, one fact each (任期, 報酬, 勤務形態,
選考方法), each about a different municipality, taken in the case book's order.
"""

from __future__ import annotations

from hosakan.bot.sentences import officials
from hosakan.bot.service import LiveIndex


def suggested_questions(cases, limit: int = 4) -> list[str]:
    """Up to ``limit`` questions, one for each fact in officials.SUGGESTED_QUESTIONS that some case
    states, each about the first case stating it whose municipality no earlier question named."""
    named: set[str] = set()
    questions: list[str] = []
    for fact, template in officials.SUGGESTED_QUESTIONS.items():
        case = next((c for c in cases if getattr(c, fact, None) and c.municipality not in named), None)
        if case is None:
            continue
        named.add(case.municipality)
        questions.append(template.format(place=case.municipality, role=case.roles[0]))
        if len(questions) == limit:
            break
    return questions


def suggested_for(service: LiveIndex, limit: int = 4) -> list[str]:
    """The questions to suggest for the index being served now."""
    return suggested_questions(service.retriever.casebook.cases, limit)
