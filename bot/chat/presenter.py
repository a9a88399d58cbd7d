"""What every surface shows for a reply, decided once: the heading, the direct answer (its lead and
one block per case), the table, the evidence, the notes said once, and the buttons.

Slack, Teams, the web page and the terminal only turn a ``View`` into their markup; none of them
decides what to show or which buttons to offer. A date the sources do not give is said once at the
end (``footnotes``), not after every case, row and passage.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from hosakan.bot.events import Shown
from hosakan.bot.models import Answer, Hit, Table
from hosakan.bot.sentences import officials


@dataclass(frozen=True)
class Button:
    kind: str     # up | down | more | share | escalate (an Action's kind)
    label: str
    icon: str = ""
    primary: bool = False


@dataclass(frozen=True)
class CaseFact:
    """One case of a direct answer: 【大阪府】任期：2年〔2022年時点〕 as name, fact and citation."""

    name: str
    fact: str
    quoted: bool   # the fact is a record's sentence, quoted as it stands
    as_of: str | None
    source: str | None
    record_id: str = ""  # the record it is from: the passages of that record are what it cites


@dataclass(frozen=True)
class Evidence:
    number: int
    hit: Hit
    where: str           # the section, and who spoke
    as_of: str | None    # dated labels only


@dataclass(frozen=True)
class TableView:
    table: Table         # undated 時点 cells shown as 「—」
    sources: list[str]   # one line per source: 「1〜6行目：…」, or the one source of every row
    basis: str | None


@dataclass
class View:
    answered: bool
    heading: str | None = None
    readings: list[str] = field(default_factory=list)  # how names were read, what was carried over
    message: str | None = None
    lead: list[str] = field(default_factory=list)      # direct-answer lines that are not one case's
    cases: list[CaseFact] = field(default_factory=list)
    table: TableView | None = None
    evidence_title: str = officials.EVIDENCE
    evidence: list[Evidence] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    @property
    def has_answer(self) -> bool:
        return bool(self.lead or self.cases)

    def to_json(self) -> dict:
        """The view for the web page's script (hits as their contract)."""
        data = asdict(self)
        data["evidence"] = [{"number": e.number, "where": e.where, "as_of": e.as_of, **e.hit.contract()}
                            for e in self.evidence]
        if self.table:
            data["table"] = {**self.table.table.contract(), "sources": self.table.sources, "basis": self.table.basis}
        return data


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one 「…」 when it was cut (a title, a list line,
    a platform's field limit)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def present(shown: Shown, *, escalate: bool, echo: bool = False) -> View:
    """The view of an answer. ``escalate``: the surface can pass a question to the maintainers;
    ``echo``: show the question as the heading even where nobody shared or paged it."""
    answer = shown.answer
    view = View(answered=answer.answered, message=answer.message)
    if shown.shared_by:
        view.heading = officials.shared_by(shown.shared_by, answer.question)
    elif answer.page:
        view.heading = officials.more_title(answer.question, shown.first, shown.first + len(answer.hits) - 1)
    elif echo or shown.shareable:
        view.heading = officials.asked(answer.question)
    if answer.understood:
        view.readings.append(answer.understood)
    if answer.context:
        view.readings.append(officials.context(answer.context))
    undated: list[str] = []
    view.lead = list(answer.lead)
    for fact in answer.facts:
        if not fact.dated:
            undated.append(fact.as_of)
        view.cases.append(CaseFact(fact.name, fact.text, fact.quoted, fact.as_of if fact.dated else None, fact.source,
                                   fact.record_id))
    if answer.table:
        view.table = _table(answer.table, undated)
    view.evidence_title = officials.EVIDENCE if answer.answered else officials.SUGGESTIONS
    for number, hit in enumerate(answer.hits, shown.first):
        if not hit.dated:
            undated.append(hit.as_of)
        where = hit.section + (f"（{hit.speaker}）" if hit.speaker else "")
        view.evidence.append(Evidence(number, hit, where, hit.as_of if hit.dated else None))
    if undated:
        view.footnotes.append(officials.undated(list(dict.fromkeys(undated))))
    view.buttons = _buttons(answer, shown, escalate)
    return view


def _table(table: Table, undated: list[str]) -> TableView:
    """The table with undated 時点 cells shown as 「—」 and each row's source said once per source."""
    rows = []
    for number, row in enumerate(table.rows):
        if number in table.undated:  # its last cell is the 時点 column
            undated.append(row[-1])
            row = [*row[:-1], officials.NO_DATE_CELL]
        rows.append(row)
    by_source: dict[str, list[int]] = {}
    for number, citation in enumerate(table.citations, 1):
        by_source.setdefault(citation, []).append(number)
    if len(by_source) == 1:
        sources = [officials.source(next(iter(by_source)))]
    else:
        sources = [
            officials.rows_source(officials.row_numbers(numbers), citation) for citation, numbers in by_source.items()
        ]
    return TableView(table.model_copy(update={"rows": rows}), sources, table.basis)


def _buttons(answer: Answer, shown: Shown, escalate: bool) -> list[Button]:
    """The same rule on every surface: feedback on an answer, 他の候補 when there are more,
    sharing where the answer was shown to the asker alone, 担当者に聞く where someone answers."""
    if shown.shared_by:
        return []
    buttons = []
    if answer.answered:
        buttons += [Button("up", officials.HELPFUL_LABEL, officials.HELPFUL),
                    Button("down", officials.UNHELPFUL_LABEL, officials.UNHELPFUL)]
    if answer.more:
        buttons.append(Button("more", officials.MORE))
    if shown.shareable and answer.answered:
        buttons.append(Button("share", officials.SHARE, primary=True))
    if escalate:
        buttons.append(Button("escalate", officials.ESCALATE))
    return buttons


def plain_text(view: View) -> str:
    """The answer with its citations as plain text: what the copy button copies for an email or a
    起案, and what a notification shows."""
    lines: list[str] = []
    if view.heading:
        lines.append(view.heading)
    lines += view.readings
    if view.message:
        lines.append(view.message)
    lines += view.lead
    for case in view.cases:
        lines.append(officials.case_text(case.name, case.fact, case.quoted, case.as_of, case.source))
    if view.table:
        table = view.table.table
        lines.append(table.title)
        lines += ["｜".join(table.columns), *("｜".join(row) for row in table.rows)]
        if view.table.basis:
            lines.append(view.table.basis)
        lines += view.table.sources
    if view.evidence:
        lines.append(view.evidence_title)
        for item in view.evidence:
            lines.append(f"{item.number}. {item.hit.title} › {item.where}")
            lines.append(f"   {item.hit.snippet}")
            lines.append(
                "   " + officials.source(item.hit.source, item.as_of) + (f"　{item.hit.url}" if item.hit.url else "")
            )
    lines += view.footnotes
    return "\n".join(lines)
