"""Cases side by side and in order: the structured facts normalised so that they compare (pay to a
yearly amount, terms to months, days on site a week), as a Table whose every row is cited. A value
the record states but that is not read for sure (a term with no start date, a pay range: see
knowledge/amounts.read_term and pay_doubt) is never guessed: it is ranked nowhere and shown as
written, with the reason, in the table's basis line.

A question compares when it says so (比べて, 違いは) or names two or more cases; it ranks when it
asks for the highest, lowest, longest or shortest, or for a bound (年収1000万円以上, 任期2年以上).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hosakan.bot.models import Table
from hosakan.bot.sentences import officials
from hosakan.knowledge.amounts import format_months, format_yen, parse_yen, pay_doubt, read_term
from hosakan.knowledge.schema import Case, Compensation

COMPARE_WORDS = ("比べ", "比較", "くらべ", "違い", "ちがい", "差は", "compare", "versus", "vs")
SUPERLATIVE = (
    "一番", "いちばん", "最も", "もっとも", "ランキング", "順に", "順で",
    "高い順", "安い順", "長い順", "短い順",
    "トップ", "最高", "最低", "最長", "最短", "最大", "最小",
    "most", "highest", "lowest", "longest", "shortest",
)
# adjective -> (attribute it ranks by default, descending?)
ADJECTIVES = {
    "高い": ("compensation", True), "高額": ("compensation", True), "最高": ("compensation", True),
    "highest": ("compensation", True), "安い": ("compensation", False), "低い": ("compensation", False),
    "低額": ("compensation", False), "最低": ("compensation", False), "lowest": ("compensation", False),
    "cheapest": ("compensation", False), "長い": ("term", True), "最長": ("term", True), "longest": ("term", True),
    "短い": ("term", False), "最短": ("term", False), "shortest": ("term", False),
    "多い": ("work_style", True), "少ない": ("work_style", False),
}
ASKING = (*COMPARE_WORDS, "比べて", "比較して", *SUPERLATIVE, *ADJECTIVES, "以上", "以下", "未満")
DIRECTION_WORDS = {"compensation": ("高い", "低い"), "term": ("長い", "短い"), "work_style": ("多い", "少ない")}
COMPARED_AT_MOST = 20  # cases in one comparison (file order); past that it is a list, and the answer says how many more
WHAT = {"compensation": "報酬（年額換算）", "term": "任期", "work_style": "出勤日数（週）"}
PLAIN = {"compensation": "報酬", "term": "任期", "work_style": "勤務形態"}  # a value's name, under the table
BASIS = {"compensation": officials.PAY_BASIS, "term": officials.TERM_BASIS, "work_style": officials.ONSITE_BASIS}
_BOUND = re.compile(
    r"(\d+(?:\.\d+)?)\s*"
    r"(億円|万円|千円|円|億|万|か年|年|ヶ月|か月|カ月|ヵ月|ケ月|月|日)\s*"
    r"(以上|以下|超|未満|を超える|より多い|より少ない)"
)
_UNIT_ATTRIBUTE = {
    "円": "compensation", "億": "compensation", "万": "compensation", "年": "term", "月": "term", "日": "work_style",
}
COMPARABLE = ("compensation", "term", "work_style")
MONTHLY = ("月収", "月額", "月給", "monthly", "per month", "a month")


@dataclass
class Row:
    case: Case
    role: str
    value: float | None  # the normalised figure (yen a year, months, days a week), None: not comparable
    cell: str            # the normalised figure as shown, with its basis: 720万円（月額×12）
    figure: str          # the normalised figure alone: 720万円
    written: str         # the fact as the record writes it
    why_not: str = ""    # why the row has no figure: 記載なし, 契約額, or why its value is not read for sure
    unsure: bool = False  # stated, but not read for sure: shown as written, never ranked or converted

    @property
    def citation(self) -> str:
        """Where the row's facts come from (when they were true is the row's 時点 column)."""
        return self.case.source.label()


def _pay(pay: Compensation) -> tuple[float | None, str]:
    if pay.amount_yen is None or pay.period not in ("year", "month"):
        return None, officials.CONTRACT if pay.period in ("contract", "total") else officials.NOT_STATED
    if pay.period == "month":
        return pay.amount_yen * 12, f"{format_yen(pay.amount_yen * 12)}（{officials.PER_MONTH_TIMES_12}）"
    return pay.amount_yen, f"{format_yen(pay.amount_yen)}（{officials.PER_YEAR}）"


def rows_of(case: Case, attribute: str, roles: set[str]) -> list[Row]:
    """One row per pay (a case may pay two roles), else one row for the case."""
    own = [r for r in case.roles if r in roles] or case.roles
    role = "・".join(own)
    if attribute == "compensation":
        pays = [p for p in case.compensation if not roles or p.role in roles or p.role is None] or case.compensation
        if not pays:
            return [Row(case, role, None, officials.NOT_STATED, "", officials.NOT_STATED, officials.NOT_STATED)]
        rows = []
        for pay in pays:
            doubt = pay_doubt(pay.as_written, pay.amount_yen, pay.period)
            if doubt:
                rows.append(
                    Row(case, pay.role or role, None, officials.NOT_READ, "", pay.as_written, doubt, unsure=True)
                )
                continue
            value, cell = _pay(pay)
            figure = format_yen(int(value)) if value is not None else ""
            rows.append(
                Row(case, pay.role or role, value, cell, figure, pay.as_written, "" if value is not None else cell)
            )
        return rows
    if attribute == "term":
        reading = read_term(case.term)  # the reading `hosakan draft` gives a notice's term
        months = reading.months
        figure = format_months(months) if months else ""
        if reading.doubt:
            return [Row(case, role, None, officials.NOT_READ, "", case.term or "", reading.doubt, unsure=True)]
        return [Row(case, role, months, figure or officials.NOT_STATED, figure, case.term or officials.NOT_STATED,
                    "" if months else officials.NOT_STATED)]
    days = case.work_style.onsite_days_per_week if case.work_style else None
    figure = f"週{days:g}日" if days is not None else ""
    return [Row(case, role, days, figure or officials.NOT_STATED, figure,
                case.work_style.as_written if case.work_style else officials.NOT_STATED,
                "" if days is not None else officials.NOT_STATED)]


def _plain(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text).lower())


def ranking_of(text: str, attributes: list[str]) -> tuple[str, bool, float | None, str] | None:
    """(attribute, descending, bound, bound as written) when the question asks for an order."""
    plain = _plain(text)
    bound = _BOUND.search(plain)
    if bound:
        number, unit, op = bound.groups()
        attribute = next(a for key, a in _UNIT_ATTRIBUTE.items() if key in unit)
        value = float(number)
        written = bound.group(0)
        if attribute == "compensation":
            value = parse_yen(number + unit.rstrip("円") + "円") or value
            if any(w in plain for w in MONTHLY):  # 月収50万円以上: compared as 600万円 a year
                value *= 12
                written = officials.monthly_bound(written, format_yen(int(value)))
        elif attribute == "term" and "年" in unit:
            value *= 12
        return attribute, op in ("以上", "超", "を超える", "より多い"), value, written
    if not any(w in plain for w in SUPERLATIVE) and not any(w in plain for w in ("高い", "安い", "長い", "短い")):
        return None
    found = [(plain.find(w), ADJECTIVES[w]) for w in ADJECTIVES if w in plain]
    if not found:
        return None
    asked = [a for a in attributes if a in COMPARABLE]
    _, (attribute, descending) = min(found)
    if not asked and attribute == "work_style":
        return None  # 一番多い alone names no days on site (「一番多い課題は？」 asks a survey's share)
    if asked and attribute not in asked:
        # 任期が一番短い uses 短い for the term, 報酬が一番高い 高い for pay: trust the asked attribute
        attribute = asked[0]
    return attribute, descending, None, ""


def wants_comparison(text: str) -> bool:
    plain = _plain(text)
    return any(w in plain for w in COMPARE_WORDS)


def rank(cases: list[Case], roles: set[str], attribute: str, descending: bool, bound: float | None,
         bound_text: str, scope: str) -> tuple[list[str], Table, list[str]]:
    """(the direct answer's lines, table, the ids of the ranked cases, first first)."""
    rows = [row for case in cases for row in rows_of(case, attribute, roles)]
    ranked = sorted((r for r in rows if r.value is not None), key=lambda r: -r.value if descending else r.value)
    if bound is not None:
        ranked = [r for r in ranked if (r.value >= bound if descending else r.value <= bound)]
    unranked = [r for r in rows if r.value is None]
    what = WHAT[attribute]
    if bound is not None:
        lines = [officials.ranked_at_least(what, bound_text, len(ranked))]
    elif ranked:
        top = ranked[0]
        word = DIRECTION_WORDS[attribute][0 if descending else 1]
        lines = [officials.ranked_first(what, word, f"{top.case.municipality}の{top.role}", top.figure)]
    else:
        lines = [officials.NOTHING_TO_RANK]
    for reason in dict.fromkeys(r.why_not for r in unranked):
        names = list(dict.fromkeys(r.case.municipality for r in unranked if r.why_not == reason))
        lines.append(officials.not_ranked(what, names, reason))
    columns = [
        officials.COLUMN_RANK, officials.COLUMN_PLACE, officials.COLUMN_ROLE, *_columns(attribute),
        officials.COLUMN_AS_OF
    ]
    table = Table(
        title=f"{scope}{what}の順位",
        columns=columns,
        rows=[
            [str(n), r.case.municipality, r.role, r.cell, r.written, r.case.as_of_label()]
            for n, r in enumerate(ranked, 1)
        ],
        citations=[r.citation for r in ranked], basis=_basis({attribute: unranked}),
        undated=[n for n, r in enumerate(ranked) if not r.case.dated])
    return lines, table, list(dict.fromkeys(r.case.id for r in ranked))


def _basis(rows: dict[str, list[Row]]) -> str:
    """How the figures were normalised (attribute -> its rows), then each value not read for sure,
    as written and why it is left out."""
    notes = [officials.not_read(f"{r.case.municipality}の{r.role}", PLAIN[a], r.written, r.why_not)
             for a, found in rows.items() for r in found if r.unsure]
    return " ".join([*(BASIS[a] for a in rows), *dict.fromkeys(notes)])


def _columns(attribute: str) -> list[str]:
    return {"compensation": [officials.COLUMN_PAY, officials.COLUMN_PAY_WRITTEN],
            "term": [officials.COLUMN_TERM, officials.COLUMN_TERM_WRITTEN],
            "work_style": [officials.COLUMN_ONSITE, officials.COLUMN_WORK_WRITTEN]}[attribute]


def compare(cases: list[Case], roles: set[str], attributes: list[str]) -> tuple[list[str], Table, list[str]]:
    """The asked facts (or pay, term and days on site) of each case, side by side, the first
    COMPARED_AT_MOST of them: (the direct answer's lines, the table, the ids of the cases compared,
    in the table's order)."""
    cases, more = cases[:COMPARED_AT_MOST], max(0, len(cases) - COMPARED_AT_MOST)
    asked = [a for a in attributes if a in COMPARABLE] or list(COMPARABLE)
    columns = [officials.COLUMN_PLACE, officials.COLUMN_ROLE]
    for attribute in asked:
        columns += _columns(attribute)
    columns.append(officials.COLUMN_AS_OF)
    rows, citations, undated, read = [], [], [], {a: [] for a in asked}
    for case in cases:
        per_attribute = {a: rows_of(case, a, roles) for a in asked}
        for attribute, found in per_attribute.items():
            read[attribute] += found
        for i in range(max(len(found) for found in per_attribute.values())):
            first = per_attribute[asked[0]][min(i, len(per_attribute[asked[0]]) - 1)]
            cells = [case.municipality, first.role]
            for attribute in asked:
                row = per_attribute[attribute][min(i, len(per_attribute[attribute]) - 1)]
                cells += [row.cell, row.written]
            if not case.dated:
                undated.append(len(rows))
            rows.append([*cells, case.as_of_label()])
            citations.append(first.citation)
    what = "・".join(WHAT[a] for a in asked)
    names = list(dict.fromkeys(c.municipality for c in cases))
    basis = _basis(read)
    if "compensation" in asked and any(p.period in ("contract", "total") for c in cases for p in c.compensation):
        columns[columns.index(officials.COLUMN_PAY_WRITTEN)] = officials.COLUMN_PAY_OR_PRICE_WRITTEN
    table = Table(title=f"{'・'.join(names)}の比較", columns=columns, rows=rows, citations=citations, basis=basis,
                  undated=undated)
    direct = [officials.compared(names, what)] + ([officials.compared_more(more)] if more else [])
    return direct, table, [c.id for c in cases]
