"""Fit the answer policy (bot/answering/policy.py) and report it: ``python -m hosakan.bot.operations.fit_policy``
(``--write`` to keep it, as ``fit_sentences`` does).

Labelled questions: the blind-written training set (bot/operations/policy-train.yaml: paraphrases to answer,
off-topic questions and near misses to refuse), the generated stress set (every fact in every
surface form, and its near misses), the development set, and the ``dev`` halves of the blind sets
written from the seed articles (tests/eval/blind-*.jsonl but the real documents'; their ``held``
halves are never seen). A question is labelled "answer" when it is answerable. (Labelling a blind
question "answer" only when the sentence the policy would quote shows an expected string was tried
on 2026-12-07: it refused more right answers than wrong ones, and direct accuracy fell on every
held half.) Only the questions that reach the policy count (the others are decided by resolved
entities). A fixed 30% of the rest, chosen by a hash of
the question, is held out too: the precision and recall printed are on those splits, and the
model written is the one fitted without them.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

from hosakan.bot.answering import policy
from hosakan.bot.operations.evaluation import DEV_QUESTIONS, EvalQuestion, load_questions
from hosakan.bot.operations.stress import generate

TRAINING = Path(__file__).with_name("policy-train.yaml")


def _held_out(question: str) -> bool:
    return int(hashlib.sha256(question.encode()).hexdigest(), 16) % 10 < 3


# the blind sets about the bundled records (those about real documents need the documents' index)
BLIND = sorted(p for p in (Path(__file__).parents[2] / "tests" / "eval").glob("blind-*.jsonl")
               if "realdocs" not in p.name)


def _answerable(question: EvalQuestion) -> bool:
    if question.abstain or question.kind in ("offtopic", "nearmiss"):
        return False
    return question.expect_any is None or bool(question.expect_any)


def labelled(retriever, half: str = "dev") -> list[tuple[str, list[float], bool]]:
    """(question, features, whether to answer) for the questions that reach the policy; the blind
    sets' ``half`` only."""
    questions: list[EvalQuestion] = [*load_questions(TRAINING), *load_questions(DEV_QUESTIONS),
                                     *generate(list(retriever.index.records.values()), retriever.index.glossary)]
    questions += [q for path in BLIND if path.exists() for q in load_questions(path, half)]
    rows, seen = [], set()
    for question in questions:
        if (question.q, tuple(question.after)) in seen:
            continue
        seen.add((question.q, tuple(question.after)))
        topic = None
        for before in question.after:
            topic = retriever.ask(before, topic).topic or topic
        answer = retriever.ask(question.q, topic)
        if answer.features is not None:
            rows.append((question.q, answer.features, _answerable(question)))
    return rows


def _scores(model: policy.Policy, rows) -> dict:
    said = [(model.answers(x), y) for _, x, y in rows]
    tp = sum(1 for p, y in said if p and y)
    fp = sum(1 for p, y in said if p and not y)
    fn = sum(1 for p, y in said if not p and y)
    return {"rows": len(rows), "answerable": sum(1 for _, _, y in rows if y),
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0}


def _calibrated(model: policy.Policy, rows, beta: float = 0.5) -> policy.Policy:
    """The model with the threshold that maximises F-beta on ``rows``: beta 0.5 weighs precision
    twice, since an official is better served by "not found" than by a wrong answer."""
    def f_beta(threshold: float) -> float:
        scores = _scores(policy.Policy(model.weights, model.bias, threshold), rows)
        p, r = scores["precision"], scores["recall"]
        return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0

    best = max((round(t, 2) for t in np.arange(0.3, 0.81, 0.05)), key=lambda t: (f_beta(t), t))
    return policy.Policy(model.weights, model.bias, float(best))


def main() -> None:
    from hosakan.bot.service import LiveIndex
    from hosakan.bot.settings import get_settings
    from hosakan.indexer.build import build
    from hosakan.indexer.store import read_manifest

    settings = get_settings()
    if read_manifest(settings.index_dir) is None:  # the live index, built first when there is none yet
        build(settings.knowledge_dir, settings.index_dir, **settings.build_options())
    retriever = LiveIndex(settings).retriever
    retriever.finder.dense_budget = None  # every question waits for its vector, as in evaluation
    rows = labelled(retriever)
    train = [r for r in rows if not _held_out(r[0])]
    test = [r for r in rows if _held_out(r[0])]
    blind_held = labelled(retriever, "held")
    blind_held = [r for r in blind_held if r[0] not in {q for q, _, _ in rows}]
    model = policy.fit(np.array([x for _, x, _ in train]), np.array([float(y) for _, _, y in train]))
    model = _calibrated(model, train)
    report = {"train": _scores(model, train), "held_out": _scores(model, test),
              "blind_held": _scores(model, blind_held)}
    if "--write" in sys.argv:
        model.save(note={"fitted_on": report})
    print(f"features: {', '.join(policy.FEATURES)}")
    print(f"weights:  {', '.join(f'{w:+.2f}' for w in model.weights)}  bias {model.bias:+.2f}  "
          f"threshold {model.threshold:.2f}")
    for split, scores in report.items():
        print(f"{split:9s} {scores['rows']:4d} questions ({scores['answerable']} answerable): "
              f"precision {scores['precision']:.3f}, recall {scores['recall']:.3f}")


if __name__ == "__main__":
    main()
