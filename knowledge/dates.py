"""Dates as Japanese documents and maintainers write them, read into the schema's canonical form.

``parse_date`` reads one date written alone (a record's ``as_of``, a cell of a notice) and returns
``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, keeping the precision that was written; ``find_dates``
finds the dates in running text (a notice's 「令和8年1月15日（木）から」). Accepted, in full-width or
half-width digits, with kanji numerals too (令和八年一月):

- ISO and its relatives: 2026, 2026-01, 2026-01-15, 2026-1-5, 2026/1, 2026/1/15, 2026.1.15
- years with units: 2026年, 2026年1月, 2026年1月15日
- 和暦 (明治・大正・昭和・平成・令和, 元年 for the first year): 令和8年1月, 令和元年5月1日,
  平成31年4月; and the one-letter forms R8.1, R8.1.15, H31/4/30, R8年1月
- a trailing weekday 「（木）」 and 「時点」「現在」 are ignored

A month that does not exist, a day that does not exist in its month, and an era date before that
era began (令和元年4月) are not dates; ``why_not`` says why, for a message a maintainer can act on
(「2026-02-30 は存在しない日付です（2026年2月は28日まで）」). 年度 (a fiscal year, April to March) is not
read as a date. Nothing here raises on what a maintainer wrote.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from hosakan.knowledge import sentences

# era -> (Gregorian year of its first year, first day); 明治 predates the Gregorian calendar's
# adoption (1873), so no first day is checked for it.
ERAS: dict[str, tuple[int, date | None]] = {
    "令和": (2019, date(2019, 5, 1)),
    "平成": (1989, date(1989, 1, 8)),
    "昭和": (1926, date(1926, 12, 25)),
    "大正": (1912, date(1912, 7, 30)),
    "明治": (1868, None),
}
_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}
JST = timezone(timedelta(hours=9), "JST")  # a record's dates are days in Japan
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_NUM = r"(?:[0-9]{1,2}|[〇一二三四五六七八九十]{1,3})"
_YEAR = r"(?<![0-9])(?:(?P<era>令和|平成|昭和|大正|明治|[RHSTM])" \
        r"\s*(?P<eyear>元|[0-9]{1,2}|[一二三四五六七八九十]{1,3})" \
        r"|(?P<year>[0-9]{4}|[〇一二三四五六七八九]{4}))"
_TAIL = r"(?:\s*[(（][月火水木金土日](?:曜日?)?[)）])?(?:\s*(?:時点|現在))?"
_DATE = re.compile(
    _YEAR + r"(?!\s*年度)(?:"
    rf"\s*年(?!度)(?:\s*(?P<jmonth>{_NUM})\s*月(?:\s*(?P<jday>{_NUM})\s*日)?)?"  # 2026年1月15日
    rf"|(?P<sep>[-/.])(?P<smonth>{_NUM})(?:(?P=sep)(?P<sday>{_NUM}))?(?![0-9])"  # 2026-01-15, R8.1
    r")?" + _TAIL,
    re.IGNORECASE,
)


def _number(text: str) -> int:
    """12, １２ (already NFKC), 十二, 三十一, 二〇二六 or 元 as an int."""
    if text == "元":
        return 1
    if text.isdigit() and text.isascii():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def _read(match: re.Match) -> tuple[str | None, str | None]:
    """(the canonical form, None) for a date that exists, else (None, why it does not: the
    words inside the parentheses of 「… は存在しない日付です（…）」)."""
    groups = match.groupdict()
    month_text, day_text = groups["jmonth"] or groups["smonth"], groups["jday"] or groups["sday"]
    era = _LETTERS.get(groups["era"].upper(), groups["era"]) if groups["era"] else None
    try:
        year = ERAS[era][0] + _number(groups["eyear"]) - 1 if era else _number(groups["year"])
        month = _number(month_text) if month_text else None
        day = _number(day_text) if day_text else None
    except KeyError:  # kanji that are no number (十十): not a date, and not one that never was
        return None, None
    first_day = ERAS[era][1] if era else None
    if era and year < ERAS[era][0]:
        return None, sentences.era_first_year(era, ERAS[era][0])
    if year < 1:
        return None, sentences.WESTERN_YEAR_ONE
    if month is not None and not 1 <= month <= 12:
        return None, sentences.MONTHS_OF_A_YEAR
    if day is not None and not 1 <= day <= monthrange(year, month)[1]:
        return None, sentences.days_of_month(year, month, monthrange(year, month)[1])
    if first_day is not None:  # 令和元年4月 never was: compare at the precision written
        size = 3 if day else 2 if month else 1
        if (year, month, day)[:size] < (first_day.year, first_day.month, first_day.day)[:size]:
            return None, sentences.era_first_day(era, first_day)
    if month is None:
        return f"{year:04d}", None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else ""), None


def _canonical(match: re.Match) -> str | None:
    return _read(match)[0]


def in_era(canonical: str) -> str | None:
    """The 和暦 of a canonical date (``2021-06-24`` -> 令和3年6月24日; ``2019`` -> 平成31年), as a
    municipality writes its 例規's dates; None before 明治 or for text that is no canonical date."""
    parts = canonical.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return None
    numbers = [int(p) for p in parts]
    day = date(numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1)
    for era, (first_year, first_day) in ERAS.items():
        if first_day is None or day >= first_day:
            year = numbers[0] - first_year + 1
            return (f"{era}{'元' if year == 1 else year}年" + (f"{numbers[1]}月" if len(numbers) > 1 else "")
                    + (f"{numbers[2]}日" if len(numbers) > 2 else ""))
    return None


def article_number(text: str) -> int | None:
    """The number of a 第N条 written in Arabic or kanji numerals (第五条, 第１５条), else None."""
    try:
        return _number(text)
    except (KeyError, ValueError):
        return None


def parse_date(value: object) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` for one date written alone, or None if it is not
    one: ``parse_date("令和8年1月") == "2026-01"``, ``parse_date("R元.5.1") == "2019-05-01"``.
    A ``date`` is its ISO day; an int is a year (YAML reads ``as_of: 2026`` as one)."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return _parsed(str(value))


@lru_cache(maxsize=4_096)  # every record's dates are read again when an index is opened
def _parsed(value: str) -> str | None:
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", value).strip())
    return _canonical(match) if match else None


def why_not(value: object) -> str | None:
    """Why ``value``, written in a date's shape, names no date: 「2026-02-30 は存在しない日付です
    （2026年2月は28日まで）」, 「令和元年4月 は存在しない日付です（令和は2019年5月1日から）」; None for a
    date, and for text that is not shaped like one (the caller lists the forms that can be written)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    written = str(value).strip()
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", written))
    reason = _read(match)[1] if match else None
    return sentences.no_such_date(written, reason) if reason else None


def today() -> date:
    """Today in Japan, where records are reviewed (a server on UTC is still on yesterday until 9:00)."""
    return datetime.now(JST).date()


def parse_day(value: object) -> date | None:
    """The day for a date written down to the day (``令和8年1月15日``), else None."""
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    text = parse_date(value)
    return date.fromisoformat(text) if text and len(text) == 10 else None


def find_dates(text: str) -> Iterator[tuple[str, str]]:
    """(the date as written, after NFKC; its canonical form) for each date in running text that
    is written with 年 or with a month: 令和8年1月15日（木）, 2026/1/15, R8.1."""
    for match in _DATE.finditer(unicodedata.normalize("NFKC", text)):
        if not (match["jmonth"] or match["smonth"] or "年" in match.group(0)):
            continue  # 2026 or R8 alone in a sentence is a number (a count, a room), not a date
        canonical = _canonical(match)
        if canonical:
            yield match.group(0).strip(), canonical
