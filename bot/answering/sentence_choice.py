"""Which sentence of the best passages answers: one learned scorer over the signals a candidate
sentence carries, fitted on blind-written questions (``python -m hosakan.bot.operations.fit_sentences``),
not hand-picked weights.

Each candidate is described by ``FEATURES`` (how much of the question's focus it and its passage
cover, whether it holds the asked kind of answer, where it stands, whether it is a caption or a
title line rather than a statement); the model is a conditional logit: of the candidates of one
choice, the probability of each is the softmax of its weighted features, and the chosen sentence is
the one with the highest weight. ``sentence_model.json`` holds the weights and the figures of the
fit on the questions it never saw.
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from hosakan.bot.answering import fitted
from hosakan.bot.answering.answer_types import FEWEST, SUPERLATIVE
from hosakan.indexer.passages import row_cells

MODEL = Path(__file__).with_name("sentence_model.json")
FEATURES = (
    "cover",     # the focus the sentence covers, with its passage's share (max(own, (own+around)/2))
    "own",       # the focus the sentence alone covers
    "around",    # the focus its passage (with its title and section) covers
    "typed",     # it holds the asked kind of answer (an amount for いくら, a date for いつ)
    "untyped",   # a kind of answer is asked and the sentence does not hold one
    "rank",      # 1 / (1 + its passage's rank)
    "position",  # 1 / (1 + its place in the passage)
    "caption",   # a caption, heading or title line (（任期）, 第5条, 【…】 alone): no statement
    "short",     # under 8 characters, and no caption (「週1回程度。」)
    "length",    # its length, up to 200 characters, as a share of 200
    "figure",    # it holds a number
    "letters",   # the share of the question's character pairs it holds (what word analysis splits apart)
    "largest",   # the question asks for the most (一番多い): +1 when its share (or the count of the
                 # column it names, ``_figure``) is the largest of the candidates' of its table (its
                 # 【…】 caption; the whole choice without one), -1 when smaller; for the least, the smallest
    "side",      # +1 when it is about the side the question names (都道府県 or 市町村), -1 the other side
    "fills",     # who holds a post is asked and it says who does (「委員長は、副町長をもって充てる」)
    "topic",     # its topic (before its first 「は」) is what the question asks about: 委員長 of 「委員長は誰？」
                 # (``_same_topic``; a post named 「(以下「CDO」という。)」 is known by that name)
    "defines",   # what a term is, or stands for, is asked (QoLとは, KPIの略, 正式な肩書き) and the sentence
                 # writes it beside brackets: 「生活の質（QoL）」, 「KPI（Key Performance Indicators）」
)
_CAPTION = re.compile(r"^\s*(?:[（(【\[][^）)】\]]{1,30}[）)】\]]|第[0-9０-９一二三四五六七八九十百]+条\S{0,12}"
                      r"|附\s*則|別表\S{0,6})\s*$")
_FIGURE = re.compile(r"[0-9０-９]")
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*%")
# a count, as a table cell writes it (1,200人)
_COUNT = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:問|団体|人|名|件|社|回|か所|箇所|項目)")
_TABLE = re.compile(r"【[^】]{1,80}】")  # a table row's caption: the rows of one table share it
_PREFECTURES = re.compile(r"都道府県|(?<![一-龥ァ-ヶ])県|prefecture", re.IGNORECASE)
_MUNICIPALITIES = re.compile(r"市町村|市区町村|区市町村|municipalit", re.IGNORECASE)
_NO_PAIR = frozenset("のはがをにでとへもやかなだっていますよねどこだれ誰何いつう？?、。 ")
_FILLS = re.compile(r"をもって(?:充|あ)て|を(?:充|あ)て|に充て|が務め|を務め|が兼ね|が兼務")
_TOPIC = re.compile(r"^(.{1,30}?)(?:は|について|とは)[、，,]?")
# the name a 例規 gives a post (（以下「CDO」という。）, （以下この条において「CDO」という。）): its topic
_DEFINED = re.compile(r"[（(]以下[^「」（）()]{0,12}「([^」]{1,20})」という。?[）)]")
_ASKED_TOPIC = re.compile(r"([^のはて、，,。？?\s]{1,12})(?:は|って)[^は]*$")  # 委員長 of 「…委員会の委員長は誰？」
# a question that asks what a term is, stands for or is called in full
_DEFINING = re.compile(r"とは|って何|ってなに|の略|略称|正式|肩書|意味|stand for|mean|full name|what is")
_TERM = re.compile(r"[a-z][a-z0-9]+[^\sのはがをにでとっ、。？?]*|「([^」]{1,20})」")  # QoL, CDO補佐官, 「3つのS」
SHORT = 8
SIDE_CHARS = 40  # a table row says its side in its caption: 【都道府県：…】

# While fitting: every choice's candidates, as (question, [(features, sentence)]), appended here.
RECORDING: ContextVar[list | None] = ContextVar("sentence_choices", default=None)


@dataclass(frozen=True)
class Candidate:
    sentence: str
    cover: float
    own: float
    around: float
    typed: bool
    rank: int      # its passage's place among those given
    position: int  # its place in the passage


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if not (set(text[i:i + 2]) & _NO_PAIR)}


def side(text: str) -> str | None:
    prefectures, municipalities = bool(_PREFECTURES.search(text)), bool(_MUNICIPALITIES.search(text))
    return "prefectures" if prefectures and not municipalities else \
        "municipalities" if municipalities and not prefectures else None


def features(question: str, kind_asked: bool, candidates: list[Candidate],
             who: bool = False) -> list[list[float]]:
    """The features of each candidate of one choice (some compare it with the others); ``who``:
    the question asks who (its answer type is a person)."""
    folded = unicodedata.normalize("NFKC", question).lower()
    asked_pairs, most, asked_side = _pairs(folded), bool(SUPERLATIVE.search(folded)), side(folded)
    best = min if FEWEST.search(folded) else max  # 一番少ない: the smallest share is the one asked
    asked_topic = _ASKED_TOPIC.search(folded)
    named_terms = [m.group(1) or m.group(0) for m in _TERM.finditer(folded)] if _DEFINING.search(folded) else []
    topic_asked = asked_topic.group(1) if asked_topic else ""
    shares, tables = [], []
    for c in candidates:
        text = unicodedata.normalize("NFKC", c.sentence)
        shares.append(_figure(text, asked_pairs) if most else None)
        table = _TABLE.match(text)
        tables.append(table.group(0) if table else "")
    top = {}
    for share, table in zip(shares, tables):
        if share is not None:
            top[table] = best(share, top.get(table, share))
    rows = []
    for c, share, table in zip(candidates, shares, tables):
        text = unicodedata.normalize("NFKC", c.sentence.strip()).lower()
        held = len(asked_pairs & _pairs(text)) / len(asked_pairs) if asked_pairs else 0.0
        its_side = side(text[:SIDE_CHARS])
        topic = _TOPIC.match(_DEFINED.sub("", text))  # 「(以下「CDO」という。)」 left out
        defined = _DEFINED.search(text)
        if topic and defined and defined.start() <= len(topic.group(1)):  # the topic is the post so named
            its_topic = defined.group(1)
        else:
            its_topic = topic.group(1) if topic else ""
        rows.append([
            c.cover, c.own, c.around, float(c.typed), float(kind_asked and not c.typed), 1 / (1 + c.rank),
            1 / (1 + c.position), float(bool(_CAPTION.match(text))),
            float(len(text) < SHORT and not _CAPTION.match(text)), min(len(text), 200) / 200,
            float(bool(_FIGURE.search(text))), held,
            0.0 if not most or share is None else 1.0 if share == top[table] else -1.0,
            0.0 if asked_side is None or its_side is None else (1.0 if asked_side == its_side else -1.0),
            float(who and bool(_FILLS.search(text))), _same_topic(its_topic.strip(), topic_asked),
            float(any(_beside_brackets(term, text) for term in named_terms))])
    return rows


def _figure(text: str, asked_pairs: set[str]) -> float | None:
    """What a candidate weighs when the most is asked: its largest share (%), else the count in
    the table cell whose header the question names (設問数：9問 of 「一番設問が多い分野」); None
    without one (an overview row's counts are of every row: ツール（9問）, 統計知識（6問）)."""
    found = _PERCENT.findall(text)
    if not found:
        row = row_cells(text)
        named = [(len(_pairs(header.lower()) & asked_pairs), value) for header, value in (row[1] if row else [])
                 if _COUNT.search(value)]
        best = max(named, default=(0, ""), key=lambda n: n[0])  # the column the question names most of
        found = _COUNT.findall(best[1]) if best[0] else []
    return max(float(v.replace(",", "")) for v in found) if found else None


def _beside_brackets(term: str, text: str) -> bool:
    """Whether a sentence writes a term just before brackets or alone inside them (what it is
    called in full, or its short name)."""
    t = re.escape(term)
    return bool(re.search(rf"{t}\s*[（(]|[（(]\s*{t}\s*[）)]", text))


def _same_topic(its: str, asked: str) -> float:
    """How far a sentence's topic is the one asked about: the same words, the same words with
    more in front (東京都・区市町村CIOフォーラム of CIOフォーラム: the head of a compound is its last
    word), or the post said short with the same head (統括管理者 of 統括情報セキュリティ管理者) count
    whole; the asked words with another head after them (CDO補佐官 of CDO) or a deputy's 副 before
    them (副委員長 of 委員長) name another post and count nothing; otherwise half the share of
    character pairs the two share."""
    if not its or not asked:
        return 0.0
    if its == asked or (its.endswith(asked) and not its[: -len(asked)].endswith("副")):
        return 1.0
    if asked in its or (its.startswith("副") and not asked.startswith("副")):
        return 0.0  # another post: CDO補佐官 of CDO, a deputy (副統括情報セキュリティ管理者 of 統括管理者)
    if len(asked) > 2 and its.endswith(asked[-2:]) and _abbreviates(asked, its):
        return 1.0  # the post said short: 統括管理者 of 統括情報セキュリティ管理者
    mine, wanted = _pairs(its), _pairs(asked)
    return 0.5 * len(mine & wanted) / len(mine | wanted) if mine and wanted else 0.0


def _abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` with characters left out (its characters in order)."""
    rest = iter(full)
    return all(c in rest for c in short)


@dataclass(frozen=True)
class Scorer:
    weights: tuple[float, ...]

    def score(self, x: list[float]) -> float:
        return sum(w * v for w, v in zip(self.weights, x))

    def save(self, path: Path = MODEL, note: dict | None = None) -> None:
        fitted.write(path, FEATURES, {"weights": list(self.weights)}, note)


@lru_cache(maxsize=1)
def load(path: Path = MODEL) -> Scorer:
    data = fitted.read(path, FEATURES, "hosakan.bot.operations.fit_sentences")
    return Scorer(tuple(data["weights"]))


def fit(groups: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.001, steps: int = 3000,
        rate: float = 1.0) -> Scorer:
    """A conditional logit by gradient descent: each group is (features of its candidates, which of
    them are right); the likelihood is the softmax mass of the right ones."""
    width = groups[0][0].shape[1]
    w = np.zeros(width)
    for _ in range(steps):
        grad = np.zeros(width)
        for x, right in groups:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            q = p * right
            q /= q.sum()
            grad += x.T @ (p - q)  # d(-log sum_right p)/dw
        w -= rate * (grad / len(groups) + l2 * w)
    return Scorer(tuple(float(v) for v in w))


def chosen_right(scorer: Scorer, groups: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """The share of groups whose highest-scored candidate is a right one."""
    if not groups:
        return 0.0
    return sum(bool(right[int(np.argmax(x @ np.asarray(scorer.weights)))]) for x, right in groups) / len(groups)
