"""Snippets: the sentences of a passage that hold the matched terms, with those terms marked."""

from __future__ import annotations

import re

from hosakan.indexer.analysis import DROP_POS, morphemes
from hosakan.indexer.normalize import fold

LIMIT = 160
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def _matches(text: str, wanted: dict[str, float]) -> list[tuple[int, int, str]]:
    found = []
    for surface, normalized, pos, start, end, parts in morphemes(text):
        if pos in DROP_POS:
            continue
        keys = [fold(normalized), fold(surface)] + [fold(p) for p in parts]
        hit = next((k for k in keys if k in wanted), None)
        if hit is not None:
            found.append((start, end, hit))
    return found


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def snippet(text: str, wanted: dict[str, float], limit: int = LIMIT) -> tuple[str, list[tuple[int, int]]]:
    """(snippet, marked spans): whole sentences around the best-matching one, at most ``limit``
    chars. ``wanted`` weighs each term (rarer terms weigh more) to pick the best sentence."""
    text = text.strip()
    matches = _matches(text, wanted)
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    if not sentences:
        return "", []

    def score(begin: int, finish: int) -> float:
        return sum(wanted[term] for term in {term for start, _, term in matches if begin <= start < finish})

    # The run of whole sentences (within the limit) that covers the most weight of distinct terms.
    windows = []
    for first in range(len(sentences)):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= limit:
            last += 1
        windows.append((score(sentences[first][0], sentences[last][1]), -first, first, last))
    _, _, first, last = max(windows)
    start, end = sentences[first][0], sentences[last][1]
    prefix = suffix = ""
    if end - start > limit:  # one very long sentence: a window around its first match
        inside = [s for s, e, _ in matches if start <= s < end]
        anchor = inside[0] if inside else start
        start = max(start, anchor - limit // 4)
        end = min(end, start + limit)
        prefix = "…" if start > sentences[first][0] else ""
        suffix = "…"
    body = text[start:end].strip()
    shift = text.index(body, start) - len(prefix)
    marks = _merge([(s - shift, e - shift) for s, e, _ in matches if s >= start and e <= end])
    marks = [(a, b) for a, b in marks if 0 <= a < b <= len(prefix) + len(body)]
    return prefix + body + suffix, marks
