"""Filters over cases: questions that select cases by a structured fact (テレワーク可, 登庁が週N日以下,
都道府県／市町村, 月額の報酬, 任期の更新) answer with every matching case, each with the fact and
its date, or say that none matches. Roles, forms and prefectures the question names narrow the
cases first (業務委託, CIO補佐官, 奈良県)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from hosakan.bot.answering import answer_types
from hosakan.bot.answering.case_answers import case_fact
from hosakan.bot.models import Fact
from hosakan.bot.sentences import officials
from hosakan.indexer.passages import case_facts
from hosakan.knowledge.schema import Case

_PREFECTURE_LEVEL = re.compile(r"(?:都|道|府|県)$")
# what asks for a list of cases rather than one fact
_SELECTS = re.compile(
    r"募集|事例|例は|どこ|どれ(?!\s*[ぐく]らい)|自治体|全部|すべて|ある[？?]?$|あります|ありますか|ある\?|ところ|教えて|一覧"
    r"|which|any"
)
_DAYS = re.compile(r"週\s*([0-9０-９]+(?:\.[0-9]+)?)\s*(?:日|回)?")
_MONTHLY_ONSITE = re.compile(r"月\s*([0-9０-９]+)\s*(?:日|回)")


@dataclass(frozen=True)
class Condition:
    label: str  # how the answer names it: 「テレワークができる」
    fact: str  # which structured fact each listed case shows
    test: Callable[[Case], bool]


def _remote(case: Case) -> bool:
    return bool(case.work_style and case.work_style.remote)


def _onsite_at_most(days: float) -> Callable[[Case], bool]:
    def test(case: Case) -> bool:
        onsite = case.work_style.onsite_days_per_week if case.work_style else None
        return onsite is not None and onsite <= days
    return test


def _paid(period: str) -> Callable[[Case], bool]:
    return lambda case: any(p.period == period or (p.period is None and period == "month" and "月" in p.as_written)
                            for p in case.compensation)


def _renewable(case: Case) -> bool:
    return bool(case.term and re.search(r"更新|再契約|再委嘱|延長", case.term))


def conditions(question: str) -> list[Condition]:
    """The structured conditions a question selects cases by."""
    text = unicodedata.normalize("NFKC", question)
    found: list[Condition] = []
    onsite = re.search(r"登庁|出勤|出社|通う|通勤|現地|庁舎", text)
    days = _DAYS.search(text) if onsite else None
    monthly = _MONTHLY_ONSITE.search(text) if onsite else None
    if days:
        found.append(
            Condition(officials.filter_onsite(days.group(1)), "work_style", _onsite_at_most(float(days.group(1))))
        )
    elif monthly:
        found.append(Condition(officials.filter_onsite_monthly(monthly.group(1)), "work_style",
                               _onsite_at_most(int(monthly.group(1)) / 4)))
    elif re.search(r"テレワーク|リモート|在宅|remote|telework", text, re.IGNORECASE):
        found.append(Condition(officials.FILTER_REMOTE, "work_style", _remote))
    if re.search(r"月額|月給|月収|月いくら|月々|毎月の報酬", text):
        found.append(Condition(officials.FILTER_MONTHLY, "compensation", _paid("month")))
    elif re.search(r"年収|年額|年俸", text) and not re.search(r"高い|安い|低い|以上|以下", text):
        found.append(Condition(officials.FILTER_YEARLY, "compensation", _paid("year")))
    if re.search(r"更新|再契約|再委嘱|延長", text):
        found.append(Condition(officials.FILTER_RENEWABLE, "term", _renewable))
    if re.search(r"都道府県|府県", text):
        found.append(Condition(officials.FILTER_PREFECTURES, "position",
                               lambda c: bool(_PREFECTURE_LEVEL.search(c.municipality))))
    elif re.search(r"市町村|市区町村", text):
        found.append(Condition(officials.FILTER_MUNICIPALITIES, "position",
                               lambda c: not _PREFECTURE_LEVEL.search(c.municipality)))
    return found


def select(question: str, cases: list[Case]) -> tuple[list[str], list[Fact], list[Case]] | None:
    """(the answer's lead, one fact per case, the cases it lists) when the question selects cases
    by a structured condition; None when it does not. Where none matches, the lead says so."""
    text = unicodedata.normalize("NFKC", question)
    found = conditions(text)
    if not found or not _SELECTS.search(text) or getattr(answer_types.expected(text), "name", None) == "percent":
        return None  # a share (「市町村で週1回を望む割合は？」) is the survey's figure, not a list of cases
    matching = [c for c in cases if all(condition.test(c) for condition in found)]
    label = "・".join(condition.label for condition in found)
    if not matching:
        return [officials.no_case_matches(label)], [], []
    listed = []
    for case in matching:
        facts = case_facts(case)
        stated = list(dict.fromkeys(c.fact for c in found if c.fact in facts))
        shown = "／".join(dict.fromkeys(facts[a] for a in stated))
        listed.append(case_fact(case, shown, stated, listed=True) if shown
                      else case_fact(case, case.summary or case.title, listed=True))
    return [officials.filtered_cases(label, len(matching))], listed, matching
