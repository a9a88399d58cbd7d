"""Yen amounts as Japanese sources write them (約1,140万円, 273,800円, 8,366千円, 60万円), and terms as
months (任期2年9カ月間, 令和8年7月1日〜令和9年3月31日): one reading for rankings and for `hosakan draft`."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from hosakan.knowledge.sentences import (  # why a pay or a term is not read for sure
    PAY_BY_DAY,
    PAY_MISMATCH,
    PAY_NO_AMOUNT,
    PAY_NO_PERIOD,
    PAY_RANGE,
    TERM_CEILING,
    TERM_DISAGREE,
    TERM_END_YEAR,
    TERM_NO_START,
    TERM_REVERSED,
    TERM_TOO_LONG,
    TERM_UNREADABLE,
    TERM_YEARS_ONLY,
)

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


# Why a pay is not turned into a yearly figure for sure (shown as written): the PAY_* sentences.
_YEN = re.compile(r"(\d+(?:\.\d+)?\s*(?:億\s*(?:\d+\s*[万千]?)?|[万千])?)\s*円")
_YEN_RANGE = re.compile(r"\d\s*[億万千]?\s*円?\s*(?:~|〜|-|－|から)\s*(?:約\s*)?\d[\d.]*\s*[億万千]?\s*円")
_BY_DAY = re.compile(r"日額|日給|時給|時間額|時間給|1日あたり|1日につき|1時間あたり")
_BY_PERIOD = {"month": re.compile(r"月額|月給|月収|毎月|月当たり|1か月"), "year": re.compile(r"年額|年収|年俸|年間")}


def pay_doubt(as_written: str, amount_yen: int | None, period: str | None) -> str | None:
    """Why a yearly or monthly pay (``period`` year or month, or not given) cannot be compared as
    its ``amount_yen``, or None when it can: a range (月額40万円～60万円), no amount, no period, a
    day's or an hour's rate, or an amount the written text does not hold."""
    if period not in (None, "year", "month"):
        return None  # a contract's price: not pay, said elsewhere
    written = _clean(as_written or "")
    if _YEN_RANGE.search(written):
        return PAY_RANGE
    if amount_yen is None:
        return PAY_NO_AMOUNT
    if period is None:
        return PAY_NO_PERIOD
    if _BY_DAY.search(written) and not _BY_PERIOD[period].search(written):
        return PAY_BY_DAY
    amounts = {parse_yen(m.group(1).replace(" ", "") + "円") for m in _YEN.finditer(written)}
    if amounts and amount_yen not in amounts:
        return PAY_MISMATCH
    return None


def format_yen(amount: int) -> str:
    """600000 -> 60万円, 11400000 -> 1,140万円, 273800 -> 273,800円."""
    if amount >= 10_000 and amount % 10_000 == 0:
        return f"{amount // 10_000:,}万円"
    return f"{amount:,}円"


_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
_UNIT = r"(?:か|カ|ヶ|ケ|箇|ヵ)"
_DURATION = re.compile(rf"(?<!\d)(?:(\d+(?:\.\d+)?)\s*(?:年(?!度)|{_UNIT}年)(?:\s*(\d+)\s*{_UNIT}?月)?"
                       rf"|(\d+)\s*{_UNIT}?月(?!\d*日))")  # never from inside a number: linear on a run of digits
_ERA_BEFORE = re.compile(r"(?:令和|平成|昭和|大正|明治|[RHSTM])\s*$", re.IGNORECASE)
_CEILING_BEFORE = re.compile(r"(?:最長|最大|上限|通算|長くとも)\s*(?:で|は)?\s*(?:約|おおむね)?\s*$")
_INITIAL = re.compile(r"(?:当初|最初|初回|はじめ)の?(?:任期|任用期間|契約期間|期間)?"
                      r"\s*(?:は|を)?\s*(?:約|おおむね)?\s*$")
_WORDS_BEFORE = 40
_CEILING_AFTER = re.compile(r"^\s*(?:間)?\s*(?:以内|以下|未満|を超えない|を上限|を限度|まで)")


def _before(text: str, at: int) -> str:
    """The words just before ``at`` that say what a duration is (令和, 最長, 当初の任期は): a window,
    so that a line of many durations is read in linear time."""
    return text[max(0, at - _WORDS_BEFORE):at]


def _durations(clean: str) -> list[tuple[int, re.Match]]:
    """(months, match) for each duration in ``clean`` (NFKC, kanji digits as digits): a calendar
    year (2026年) or an era's year (令和8年) is not one."""
    found = []
    for match in _DURATION.finditer(clean):
        years, months, only_months = match.groups()
        if years and (re.match(r"\d{4}", years) or _ERA_BEFORE.search(_before(clean, match.start()))):
            continue
        found.append((int(round(float(years) * 12)) + int(months or 0) if years else int(only_months), match))
    return found


def parse_months(text: str) -> int | None:
    """The first duration in ``text``, in months: 任期1年間 -> 12, 2年9カ月 -> 33, 3か年 -> 36,
    契約期間6か月程度 -> 6; None when it names none. A date (2021年1月12日) is not a duration.
    A term as it is written (a span of dates, a ceiling) is read by ``read_term``."""
    found = _durations(_clean(text).translate(_KANJI_DIGITS))
    return found[0][0] if found else None


# Why a term is not read as a number of months (shown to officials and maintainers as written):
# the TERM_* sentences.
_RANGE_JOIN = re.compile(r"\s*(?:[(（][^()（）]{0,6}[)）])?\s*(?:から|より|~|〜|-|－|―|‐|−|–|—|至)\s*")
_OPEN_END = re.compile(r"(?:(?P<rel>同年|翌年)\s*|(?P<eyear>[0-9]{1,2}|元|[一二三四五六七八九十]{1,3})\s*年(?!度)\s*)?"
                       r"(?P<month>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                       r"(?:\s*(?P<day>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日)?"
                       r"|(?P<dyear>[0-9]{1,2})(?P<sep>[./])(?P<dmonth>[0-9]{1,2})(?:(?P=sep)(?P<dday>[0-9]{1,2}))?(?![0-9])")
_ERA_START = re.compile(r"\s*(令和|平成|昭和|大正|明治|[RHSTM])", re.IGNORECASE)
_MOST_MONTHS = 60  # a term of more than five years is a misreading (an end's era misplaced), not a term
_UNTIL = re.compile(r"\s*(?:[(（][^)）]{0,4}[)）])?\s*(?:まで|迄)")
_STATED_AFTER = re.compile(r"\s*(?:まで|迄)?\s*[(（]\s*(?:約|おおむね)?\s*")


@dataclass(frozen=True)
class TermReading:
    """A term read as months: ``months`` when the reading is sure, else ``doubt`` says why not
    (both None: no term written at all)."""

    months: int | None
    doubt: str | None = None
    span: bool = False  # read from two dates (令和8年7月1日〜令和9年3月31日)


def _dated(clean: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each date in ``clean``, in order."""
    from hosakan.knowledge.dates import find_dates

    out, at = [], 0
    for written, canonical in find_dates(clean):
        start = clean.find(written, at)
        if start < 0:
            continue
        out.append((start, start + len(written), canonical))
        at = start + len(written)
    return out


def _open_end(clean: str, at: int, start: str, era: str | None) -> tuple[str, int] | None:
    """An end date written without its year or its era after a start (〜同年12月31日, から3月31日まで,
    〜9年3月31日, 〜9.3.31), its year taken from the start (翌年: the year after; 9年: the start's
    era's 9th year): (canonical, where it ends)."""
    from hosakan.knowledge.dates import ERAS, _number, parse_date

    joined = _RANGE_JOIN.match(clean, at)
    match = _OPEN_END.match(clean, joined.end()) if joined and joined.end() > at else None
    if not match:
        return None
    era_year = match["eyear"] or match["dyear"]
    if era_year:  # 令和8年7月1日〜9年3月31日: the era left off, as it is the start's
        if era is None:
            return None
        year = ERAS[era][0] + _number(era_year) - 1
    else:
        year = int(start[:4]) + (1 if match["rel"] == "翌年" else 0)
    month, day = match["month"] or match["dmonth"], match["day"] or match["dday"]
    written = f"{year}年{month}月" + (f"{day}日" if day else "")
    canonical = parse_date(written)
    # 10月1日〜3月31日: which year?
    if canonical is None or (match["rel"] is None and not era_year and canonical < start):
        return None
    return canonical, match.end()


def _era(written: str) -> str | None:
    """The era a date is written in (令和8年7月1日, R8.7.1 -> 令和), None for a Western year."""
    from hosakan.knowledge.dates import _LETTERS

    match = _ERA_START.match(written)
    return _LETTERS.get(match[1].upper(), match[1]) if match else None


def _span(start: str, end: str) -> int | None:
    """Whole months from ``start`` to ``end`` (both ends counted; canonical dates), rounded to the
    nearest month where the days do not fall on month boundaries; None for a year alone."""
    if len(start) < 7 or len(end) < 7:
        return None
    if len(start) == 10 and len(end) == 10:
        first = date.fromisoformat(start)
        after = date.fromisoformat(end) + timedelta(days=1)
        months = (after.year - first.year) * 12 + after.month - first.month - (after.day < first.day)
        year, month = divmod(first.month - 1 + months, 12)
        anchor = date(first.year + year, month + 1, min(first.day, monthrange(first.year + year, month + 1)[1]))
        return months + round((after - anchor).days / 30.44)
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1


def read_term(text: str | None) -> TermReading:
    """A term as records and notices write it, in months, or why it cannot be read for sure:

    - two dates joined by 〜 ～ ~ - or から…まで (和暦 or 西暦, with or without the day) are the
      months between them, both ends counted: 令和8年7月1日〜令和9年3月31日 -> 9, 令和8年7月〜令和9年3月
      -> 9, 2026/4/1-2029/3/31 -> 36; an end without its year takes the start's (同年・翌年 too), an
      end without its era the start's (令和8年7月1日〜9年3月31日, R8.7.1〜9.3.31 -> 9);
    - else the first duration written (任期1年間 -> 12, 2年9カ月 -> 33), the dates set aside;
    - a duration in brackets after the dates (（3年間）) must agree with them;
    - not sure (``doubt``): an end date alone (採用日から令和9年3月31日まで), dates out of order, years
      without months, a ceiling alone (最長3年, 3年以内), a term with no duration that reads as months,
      dates more than five years apart (no term that long: a date misread).
    Renewals are not counted: the first period written is the term."""
    if not text or not text.strip():
        return TermReading(None)
    written = _clean(text)
    clean = written.translate(_KANJI_DIGITS)  # one character for one: the dates' places hold
    dates = _dated(written)
    for index, (first_at, first_end, first) in enumerate(dates):
        after = dates[index + 1] if index + 1 < len(dates) else None
        joined = _RANGE_JOIN.fullmatch(clean[first_end:after[0]]) if after else None
        if joined:
            end, end_at = after[2], after[1]
        else:
            open_end = _open_end(clean, first_end, first, _era(written[first_at:first_end]))
            if open_end is None:
                joined = _RANGE_JOIN.match(clean, first_end)
                ending = _OPEN_END.match(clean, joined.end()) if joined and joined.end() > first_end else None
                if ending and (ending["eyear"] or ending["dyear"]):  # 2026年7月1日〜9年3月31日: 9 of which era?
                    return TermReading(None, TERM_END_YEAR)
                continue
            end, end_at = open_end
        months = _span(first, end)
        if months is None:
            return TermReading(None, TERM_YEARS_ONLY)
        if months <= 0 or end < first:
            return TermReading(None, TERM_REVERSED)
        if months > _MOST_MONTHS:
            return TermReading(None, TERM_TOO_LONG)
        stated = _STATED_AFTER.match(clean, end_at)
        said = _durations(clean[stated.end():stated.end() + 12]) if stated else []
        if said and said[0][1].start() == 0 and abs(said[0][0] - months) > 1:
            return TermReading(None, TERM_DISAGREE)
        return TermReading(months, span=True)
    bare = clean
    for start, end, _ in reversed(dates):
        bare = bare[:start] + " " * (end - start) + bare[end:]
    found = _durations(bare)
    if found:
        months, match = found[0]
        if _CEILING_BEFORE.search(_before(bare, match.start())) or _CEILING_AFTER.match(bare[match.end():]):
            # 採用の日から5年以内（当初の任期は3年とし…）: the first term, where it is said to be one
            first = next((m for m, at in found[1:] if _INITIAL.search(_before(bare, at.start()))), None)
            return TermReading(first) if first else TermReading(None, TERM_CEILING)
        return TermReading(months)
    if any(_UNTIL.match(clean, end) for _, end, _ in dates):
        return TermReading(None, TERM_NO_START)
    return TermReading(None, TERM_UNREADABLE)


def format_months(months: int) -> str:
    """33 -> 2年9か月, 12 -> 1年, 6 -> 6か月."""
    years, rest = divmod(months, 12)
    return (f"{years}年" if years else "") + (f"{rest}か月" if rest or not years else "")
