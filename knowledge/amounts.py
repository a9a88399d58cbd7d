"""Yen amounts as Japanese sources write them: 約1,140万円, 273,800円, 8,366千円, 60万円."""

from __future__ import annotations

import re
import unicodedata

_UNITS = {"億": 100_000_000, "万": 10_000, "千": 1_000}
_FULL = re.compile(r"^\s*(?:約|概算|月額|年額)?\s*((?:\d+(?:\.\d+)?\s*[億万千]?\s*)+)円?\s*(?:程度|前後)?\s*$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([億万千]?)")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(",", "")


def parse_yen(text: str) -> int | None:
    """The whole of ``text`` as one yen amount, or None when it is not one ("1億2,000万円" works)."""
    match = _FULL.match(_clean(text))
    if not match:
        return None
    total = 0.0
    for number, unit in _PART.findall(match.group(1)):
        total += float(number) * _UNITS.get(unit, 1)
    return int(round(total))


def format_yen(amount: int) -> str:
    """600000 -> 60万円, 11400000 -> 1,140万円, 273800 -> 273,800円."""
    if amount >= 10_000 and amount % 10_000 == 0:
        return f"{amount // 10_000:,}万円"
    return f"{amount:,}円"
