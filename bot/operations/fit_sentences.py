"""Fit the sentence scorer (bot/answering/sentence_choice.py) and report it:
``python -m hosakan.bot.operations.fit_sentences`` (``--write`` to keep it).

Every question of the labelled sets is asked as an official would ask it, and every choice of a
sentence made on the way is recorded with its candidates. A candidate is right when it shows what
the question's writer said any right answer shows (a blind set's ``expect_any``; the development
and stress sets' ``direct`` strings, all of them). Only choices with a right and a wrong candidate
teach anything. The model is fitted on the ``dev`` halves of the blind sets, the development set
and the generated stress set (those two whole, the development set three times: they must not
regress); it is scored on the blind
sets' ``held`` halves, which it never sees. With
``HOSAKAN_KNOWLEDGE_DIR`` at a knowledge folder whose ``sources/`` holds the real documents the
real-document sets ask about, their halves join in (their text never enters the repository).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np

from hosakan.bot.answering import sentence_choice
from hosakan.bot.operations.evaluation import DEV_QUESTIONS, EvalQuestion, load_questions, plain
from hosakan.bot.operations.stress import generate

SETS = Path(__file__).parents[2] / "tests" / "eval"
# what a hand-written rule would do: the sentence covering the most of the question, with the asked kind of answer
COVERAGE = sentence_choice.Scorer(tuple(1.0 if f in ("cover", "typed") else 0.0 for f in sentence_choice.FEATURES))
DEV_WEIGHT = 3  # the development set's choices count this many times: it is the set that must not regress


def questions(retriever) -> list[tuple[EvalQuestion, bool]]:
    """(question, whether it is held out) for every labelled, answerable question."""
    found = [(q, False) for q in load_questions(DEV_QUESTIONS)] * DEV_WEIGHT
    found += [(q, False) for q in generate(list(retriever.index.records.values()), retriever.index.glossary)]
    for path in sorted(SETS.glob("blind-*.jsonl")):
        if "realdocs" in path.name and not retriever.index.sources:
            continue
        found += [(q, half == "held") for half in ("dev", "held") for q in load_questions(path, half)]
    return [(q, held) for q, held in found if not q.abstain and (q.expect_any or q.direct)]


def choices(retriever, labelled: list[tuple[EvalQuestion, bool]]):
    """(features, which are right, held out) of every choice with a right and a wrong candidate."""
    groups = []
    budget, retriever.finder.dense_budget = retriever.finder.dense_budget, None
    try:
        for question, held in labelled:
            topic = None
            for before in question.after:
                topic = retriever.ask(before, topic).topic or topic
            recorded: list = []
            token = sentence_choice.RECORDING.set(recorded)
            try:
                retriever.ask(question.q, topic)
            finally:
                sentence_choice.RECORDING.reset(token)
            for _, candidates in recorded:
                right = np.array([question.shown_in(plain(sentence)) for _, sentence in candidates], dtype=float)
                if 0 < right.sum() < len(right):
                    groups.append((np.array([x for x, _ in candidates], dtype=float), right, held))
    finally:
        retriever.finder.dense_budget = budget
    return groups


def main() -> int:
    from hosakan.bot.service import LiveIndex
    from hosakan.bot.settings import get_settings

    retriever = LiveIndex(get_settings()).retriever  # an index built already (hosakan index)
    labelled = questions(retriever)
    groups = choices(retriever, labelled)
    train = [(x, y) for x, y, held in groups if not held]
    held = [(x, y) for x, y, held_ in groups if held_]
    before, fitted = sentence_choice.load(), sentence_choice.fit(train)
    figures = {
        "fitted": date.today().isoformat(), "questions": len(labelled),
        "choices": {"train": len(train), "held": len(held)},
        **{f"right_first_on_{name}": {"coverage": round(sentence_choice.chosen_right(COVERAGE, groups), 3),
                                      "before": round(sentence_choice.chosen_right(before, groups), 3),
                                      "fitted": round(sentence_choice.chosen_right(fitted, groups), 3)}
           for name, groups in (("held", held), ("train", train))},
    }
    print(figures)
    print(dict(zip(sentence_choice.FEATURES, (round(w, 3) for w in fitted.weights))))
    if "--write" in sys.argv:
        fitted.save(note=figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
