"""Text normalisation shared by indexing and questions.

``clean_question`` drops control and zero-width characters and collapses spaces (each adapter has
already stripped its platform's markup); ``bounded`` then drops stacked combining marks and long
runs of one character, so that what reaches the analyzers and the embedding model costs what a
question costs. ``fold`` makes two spellings of one name compare equal for fuzzy matching:
NFKC (full/half width), lower-case Latin, katakana for hiragana, one prolonged-sound mark.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jaconv

_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
                      r"\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
_REPEATED = re.compile(r"(\D)\1{3,}")  # a character (not a digit: 1000000円) four or more times running
# A few old/variant kanji common in names and place names, folded to their everyday form.
_ITAIJI = str.maketrans("澤邊邉髙﨑濱廣國德櫻眞瀨", "沢辺辺高崎浜広国徳桜真瀬")
_PROLONGED = re.compile(r"(?<=[\u30a1-\u30fa])[\u2010-\u2015\u2212\uff0d\u30fc\uff70~\u301c]")


def clean_question(text: str) -> str:
    """Question text as the asker wrote it: control and zero-width characters removed, spaces
    collapsed. (Width is folded later, in analysis.)"""
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def bounded(text: str) -> str:
    """A clean question as the analyzers and the embedding model take it: composed (NFC: か + ゛ is
    が), at most one combining mark left on a character, a character repeated more than three
    times running kept three times."""
    text = unicodedata.normalize("NFC", text)
    kept, marks = [], 0
    for char in text:
        marks = marks + 1 if unicodedata.combining(char) else 0
        if marks <= 1:
            kept.append(char)
    return _REPEATED.sub(lambda m: m.group(1) * 3, "".join(kept))


@lru_cache(maxsize=65_536)  # names and record texts are folded again by every generation's gazetteer
def fold(text: str) -> str:
    """A comparison key: NFKC, lower case, katakana, one prolonged-sound mark, common itaiji
    folded, single spaces. Folding never changes the length of plain Japanese text."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_ITAIJI)
    text = jaconv.hira2kata(text)
    text = _PROLONGED.sub("ー", text)
    return _SPACES.sub(" ", text).strip()


def romaji(kana: str) -> set[str]:
    """Kana to romaji as people type it: おおずし -> {oozushi, ozushi}, きょうと -> {kyouto, kyoto}."""
    hira = jaconv.kata2hira(unicodedata.normalize("NFKC", kana)).replace(" ", "")
    strict = jaconv.kana2alphabet(hira).lower()
    loose = re.sub(r"([aiueo])\1+", r"\1", strict.replace("ou", "o"))
    return {strict, loose}
