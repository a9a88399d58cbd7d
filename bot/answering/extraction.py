"""Sentence extraction: the sentence (or table row) of the best passages that answers the question.

A candidate sentence is described by how much of the question's focus it covers (each word weighed
by its idf; a word of the same Sudachi synonym group counts for most of it, a glossary synonym for
less), whether it holds the expected kind of answer (bot/answering/answer_types.py: an amount for
いくら, a date for いつ), where it stands and whether it states anything; the learned scorer of
bot/answering/sentence_choice.py picks one. The chosen sentence is cut at sentence boundaries, or
at clause boundaries when it is very long, and quoted as it stands in the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hosakan.bot.answering import answer_types, sentence_choice
from hosakan.indexer.analysis import synonym_groups, terms

LIMIT = 100  # characters of a quoted sentence before it is cut at clause boundaries: an answer reads at a glance
GROUP_CREDIT = 0.8  # a word of the same synonym group, as a share of the asked word's weight
SYNONYM_CREDIT = 0.4  # a glossary synonym, likewise
TYPE_WEIGHT = 0.6  # of a clause run that holds the asked kind of answer, when a long sentence is cut
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE = re.compile(r"[^、，,；;]+[、，,；;]?")


@dataclass(frozen=True)
class Focus:
    """What a sentence must cover: the asked words (index term -> weight), each word's Sudachi
    synonym groups and glossary synonyms (index terms), and the expected kind of answer."""

    words: dict[str, float]
    groups: dict[str, tuple[int, ...]]
    synonyms: dict[str, set[str]]
    kind: answer_types.AnswerType | None
    question: str

    @property
    def total(self) -> float:
        return sum(self.words.values())


@dataclass(frozen=True)
class Extract:
    text: str  # the sentence, cut
    passage: int  # which of the passages given it comes from
    cover: float  # share of the focus it covers
    typed: bool  # holds the expected kind of answer
    score: float


_ITEM_NUMBER = re.compile(r"^[2-9２-９]\s+(?=[^\s0-9０-９人名か件])")  # a 項's number: 「２ 補佐官は、…」


def sentences(text: str) -> list[str]:
    """The sentences of a passage, each as it would be quoted: a 項's leading number left out."""
    return [_ITEM_NUMBER.sub("", s.strip()) for s in _SENTENCE.findall(text) if len(s.strip()) > 1]


@lru_cache(maxsize=8192)
def _analysed(sentence: str) -> tuple[frozenset[str], frozenset[int]]:
    """A sentence's index terms and synonym groups (cached: the same passages answer many questions)."""
    return frozenset(terms(sentence)), frozenset(g for gs in synonym_groups(sentence).values() for g in gs)


def coverage(focus: Focus, sentence: str) -> float:
    """The share of the focus's weight the sentence holds."""
    if not focus.total:
        return 0.0
    found, groups = _analysed(sentence)
    held = 0.0
    for word, weight in focus.words.items():
        if word in found:
            held += weight
        elif any(g in groups for g in focus.groups.get(word, ())):
            held += GROUP_CREDIT * weight
        elif any(s in found for s in focus.synonyms.get(word, ())):
            held += SYNONYM_CREDIT * weight
    return held / focus.total


def _cut(sentence: str, focus: Focus) -> str:
    """A long sentence cut to the run of clauses that covers the most and holds the answer."""
    if len(sentence) <= LIMIT:
        return sentence
    clauses = _CLAUSE.findall(sentence)
    best, best_score = sentence[:LIMIT] + "…", -1.0
    for first in range(len(clauses)):
        text = ""
        for last in range(first, len(clauses)):
            if len(text) + len(clauses[last]) > LIMIT:
                break
            text += clauses[last]
            typed = answer_types.holds(focus.kind, text, focus.question)
            score = coverage(focus, text) + (TYPE_WEIGHT if typed else 0.0)
            if score > best_score:
                best_score = score
                best = ("…" if first else "") + text.rstrip("、，,；;") + ("…" if last < len(clauses) - 1 else "")
    return best


def best_sentence(focus: Focus, passages: list[tuple[str, str]], typed_only: bool = False,
                  around_only: bool = False) -> Extract | None:
    """The best sentence of the passages ((where, text) in rank order: ``where`` is the passage's
    title and section, which a sentence of it is about too), or None when none covers any focus;
    ``typed_only``: only sentences that hold the expected kind of answer; ``around_only``: a
    sentence whose passage (its section, its speaker) covers the focus counts even if it holds
    none of it (what a named speaker said, in their own words)."""
    candidates: list[sentence_choice.Candidate] = []
    for rank, (where, text) in enumerate(passages):
        around = coverage(focus, f"{where}\n{text}")
        for position, sentence in enumerate(sentences(text)):
            own = coverage(focus, sentence)
            typed = answer_types.holds(focus.kind, sentence, focus.question)
            if (own <= 0 and not typed and not (around_only and around > 0)) or (typed_only and not typed):
                continue
            candidates.append(sentence_choice.Candidate(sentence, max(own, (own + around) / 2), own, around, typed,
                                                        rank, position))
    if not candidates:
        return None
    described = sentence_choice.features(focus.question, bool(focus.kind and focus.kind.seen), candidates,
                                         who=bool(focus.kind and focus.kind.name == "person"))
    if (recording := sentence_choice.RECORDING.get()) is not None:
        recording.append((focus.question, [(x, c.sentence) for x, c in zip(described, candidates)]))
    scorer = sentence_choice.load()
    scores = [scorer.score(x) for x in described]
    best = max(range(len(candidates)), key=scores.__getitem__)  # the first of equals, as before
    c = candidates[best]
    found = Extract(c.sentence, c.rank, c.cover, c.typed, scores[best])
    return Extract(_cut(found.text, focus), found.passage, found.cover, found.typed, found.score)
