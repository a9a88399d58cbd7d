"""The aliases a question could name with a character or two wrong: the few the gazetteer's
approximate match (rapidfuzz's partial_ratio) is worth running on.

An alias is a candidate when it shares an uncommon character with the question (one wrong kanji
leaves others in common), or is a single Latin word and the question has a Latin word of 4+
letters, and when enough of its characters are in the question at all for the
score to reach the gazetteer's cutoff: partial_ratio compares the alias with a window of the
question, 200 × LCS / (alias + window) at best, and the LCS is at most the characters the two
share (counted with repeats), so an alias sharing C of its L characters scores at most
200·C / (L + C). Aliases that cannot reach the cutoff, about two thirds of those sharing a
character, are never scored; the matches found are the same.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np

MIN_SCORE = 66  # the partial_ratio an approximate match needs at least (Gazetteer._fuzzy)


class NearNames:
    """Candidate aliases for an approximate match, by the characters they hold."""

    def __init__(self, japanese: list[str], latin: list[str]):
        # Japanese aliases, then single Latin words (tried when a question has a Latin word of 4+
        # letters), each in order: scored in this order, as rapidfuzz breaks ties by it
        self._names = sorted(japanese) + sorted(latin)
        self._lengths = np.array([len(name) for name in self._names], dtype=np.int32)
        self._latin = np.arange(len(self._names)) >= len(japanese)
        holders: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for number, name in enumerate(self._names):
            for char, count in Counter(name).items():
                holders[char].append((number, count))
        # each character: the numbers of the aliases holding it, and how many times each holds it
        self._held = {char: (np.array([n for n, _ in held], np.int32), np.array([c for _, c in held], np.int32))
                      for char, held in holders.items()}
        self._common = {char for char, held in holders.items()
                        if sum(n < len(japanese) for n, _ in held) > max(50, 0.1 * len(japanese))}

    def candidates(self, text: str) -> list[str]:
        shared = np.zeros(len(self._names), np.int32)  # characters each alias has in common with the text
        uncommon = np.zeros(len(self._names), bool)
        for char, wanted in Counter(text).items():
            if char in self._held:
                numbers, counts = self._held[char]
                shared[numbers] += np.minimum(counts, wanted)
                if char not in self._common:
                    uncommon[numbers] = True
        tried = uncommon & ~self._latin
        if re.search(r"[a-z]{4,}", text):
            tried |= self._latin
        reachable = (200 - MIN_SCORE) * shared >= MIN_SCORE * self._lengths  # 200·C/(L+C) ≥ MIN_SCORE
        return [self._names[n] for n in np.flatnonzero(tried & reachable & (self._lengths <= len(text)))]
