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


_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)\s*(?:年|か年|カ年|ヶ年|ケ年|箇年)(?:\s*(\d+)\s*(?:か|カ|ヶ|ケ|箇|ヵ)?月)?"
                       r"|(\d+)\s*(?:か|カ|ヶ|ケ|箇|ヵ)?月(?!\d*日))")


def parse_months(text: str) -> int | None:
    """The first duration in ``text``, in months: 任期1年間 -> 12, 2年9カ月 -> 33, 3か年 -> 36,
    契約期間6か月程度 -> 6; None when it names none. A date (2021年1月12日) is not a duration."""
    clean = _clean(text).translate(_KANJI_DIGITS)
    for match in _DURATION.finditer(clean):
        years, months, only_months = match.groups()
        if years and re.match(r"\d{4}", years):
            continue  # a calendar year
        if years:
            return int(round(float(years) * 12)) + int(months or 0)
        return int(only_months)
    return None


def format_months(months: int) -> str:
    """33 -> 2年9か月, 12 -> 1年, 6 -> 6か月."""
    years, rest = divmod(months, 12)
    return (f"{years}年" if years else "") + (f"{rest}か月" if rest or not years else "")
