"""Records cut into citable passages: a case's facts and sections, one speaker turn, one table row."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from hosakan.indexer.gazetteer import Gazetteer, entity_term, speaker_term
from hosakan.knowledge.amounts import format_yen
from hosakan.knowledge.schema import Case, Roundtable

_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
_TURN = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)
_PERIOD = {"year": "年額", "month": "月額", "contract": "契約額", "total": "総額"}

# Structured case facts, each its own passage: attribute -> section label.
ATTRIBUTE_LABELS = {
    "position": "役職・所属",
    "appointment_forms": "任用形態",
    "term": "任期",
    "compensation": "報酬",
    "work_style": "勤務形態",
    "duties": "業務内容",
    "selection": "選考",
    "recruitment": "募集期間",
    "department": "所属",
}


def attribute_label(case: Case, attribute: str) -> str:
    """A fact's label for this case: a contract's price is 予定価格 or 契約額, never 報酬."""
    pays = case.compensation
    if attribute == "compensation" and pays and all(p.period in ("contract", "total") for p in pays):
        return "予定価格" if any("予定価格" in p.as_written for p in pays) else "契約額"
    return ATTRIBUTE_LABELS[attribute]


@dataclass
class Passage:
    id: str
    record_id: str
    kind: str
    title: str
    section: str
    text: str
    citation: str
    source: str
    url: str | None
    as_of: str
    dated: bool  # the as_of label gives a date (else it says why there is none)
    speaker: str | None = None
    attribute: str | None = None
    entities: list[str] = field(default_factory=list)
    context: str = ""  # indexed with the text, not shown: names, roles, section

    def stored(self) -> dict:
        return {
            "record_id": self.record_id, "kind": self.kind, "title": self.title,
            "section": self.section, "text": self.text, "citation": self.citation, "source": self.source,
            "url": self.url, "as_of": self.as_of, "dated": self.dated, "speaker": self.speaker,
            "attribute": self.attribute,
        }


def case_facts(case: Case) -> dict[str, str]:
    """The structured facts of a case as short Japanese sentences, by attribute."""
    facts: dict[str, str] = {}
    if case.position or case.department:
        facts["position"] = "、".join(
            x for x in (case.position, f"所属：{case.department}" if case.department else None) if x)
    if case.appointment_forms:
        facts["appointment_forms"] = f"任用・契約の形態：{'、'.join(case.appointment_forms)}"
    if case.term:
        facts["term"] = case.term
    if case.compensation:
        parts = []
        for pay in case.compensation:
            shown = pay.amount_yen and format_yen(pay.amount_yen) in unicodedata.normalize("NFKC", pay.as_written)
            normalised = (f"（{_PERIOD.get(pay.period, '')}{format_yen(pay.amount_yen)}）"
                          if pay.amount_yen and not shown else "")
            parts.append(f"{pay.role + '：' if pay.role else ''}{pay.as_written}{normalised}")
        facts["compensation"] = "。".join(parts)
    if case.work_style:
        facts["work_style"] = case.work_style.as_written
    if case.duties:
        facts["duties"] = "／".join(case.duties)
    if case.selection:
        facts["selection"] = case.selection
    if case.recruitment_period:
        facts["recruitment"] = f"募集期間：{case.recruitment_period}"
    return facts


def sections(body: str) -> list[tuple[str, str]]:
    """(heading, text) for each ``##`` section of a Markdown body; text before any heading is 概要."""
    parts = _SECTION.split(body)
    found = [("概要", parts[0].strip())] if parts[0].strip() else []
    found += [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]
    return [(heading, text) for heading, text in found if text]


def table_rows(text: str) -> tuple[str, list[list[str]], list[list[str]]] | None:
    """(text before the table, header rows, body rows) when ``text`` holds a Markdown table."""
    lines = text.splitlines()
    rows = [i for i, line in enumerate(lines) if line.strip().startswith("|")]
    if len(rows) < 3:
        return None
    cells = [[cell.strip() for cell in lines[i].strip().strip("|").split("|")] for i in rows]
    header, body = cells[0], [row for row in cells[2:] if any(row)]
    intro = "\n".join(line for i, line in enumerate(lines) if i not in rows).strip()
    return intro, header, body


# a table row as passages_of writes it: 「【caption】header：value、header：value」; a value may hold 、
# itself, so a cell starts only where 、 is followed by a short name (no figure) and ：
_ROW = re.compile(r"^(【[^】]{1,80}】)(.+)$", re.DOTALL)
_CELL_BREAK = re.compile(r"、(?=[^、：:0-9０-９]{1,30}[：:])")


def row_cells(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(caption, [(header, value)]) of a table row as ``passages_of`` writes it (：, or : once
    NFKC-normalised), or None for any other text."""
    found = _ROW.match(text.strip())
    if not found:
        return None
    cells = [re.split("[：:]", cell, maxsplit=1) for cell in _CELL_BREAK.split(found.group(2))]
    if len(cells) < 2 or len(cells[0]) < 2:  # every cell after the first starts with its header
        return None
    return found.group(1), [(header, value) for header, value in cells]


def _citation(title: str, section: str, speaker: str | None, record) -> str:
    where = f"{title} › {section}" + (f"（{speaker}）" if speaker else "")
    return f"{where} — 出典：{record.source.label()}、{record.as_of_label()}"


def passages_of(record, gazetteer: Gazetteer) -> list[Passage]:
    """Every citable passage of one record."""
    found: list[Passage] = []
    base = _record_entities(record, gazetteer)

    def add(section: str, text: str, *, speaker=None, attribute=None, extra=(), context=""):
        mentioned = [entity.term for entity in gazetteer.tag(text)]
        found.append(Passage(
            id=f"{record.id}#{len(found) + 1:02d}", record_id=record.id, kind=record.kind,
            title=record.title, section=section, text=text,
            citation=_citation(record.title, section, speaker, record), source=record.source.label(),
            url=record.source.url,
            as_of=record.as_of_label(), dated=record.dated, speaker=speaker, attribute=attribute,
            entities=list(dict.fromkeys([*base, *extra, *mentioned])),
            context=" ".join(x for x in (record.title, section, speaker or "", context) if x),
        ))

    if record.summary:
        add("要約", record.summary)
    if isinstance(record, Case):
        for attribute, text in case_facts(record).items():
            add(attribute_label(record, attribute), text, attribute=attribute,
                context=f"{record.municipality} {'・'.join(record.roles)}")
    for heading, text in sections(record.body):
        if isinstance(record, Roundtable) and _TURN.search(text):
            _add_turns(record, heading, text, add, gazetteer)
            continue
        table = table_rows(text)
        if table is None:
            add(heading, text)
            continue
        intro, header, rows = table
        overview = "、".join(
            f"{row[0]}（{row[1]}）" if len(row) > 1 and len(row[1]) <= 12 else row[0] for row in rows
        )
        add(heading, f"{intro}\n【{heading}】{overview}" if intro else f"【{heading}】{overview}")
        for row in rows:
            line = "、".join(f"{name}：{value}" for name, value in zip(header, row) if value)
            add(f"{heading} › {row[0]}", f"【{heading}】{line}")
    return found


def _add_turns(record: Roundtable, topic: str, text: str, add, gazetteer: Gazetteer) -> None:
    parts = _TURN.split(text)
    if parts[0].strip():
        add(topic, parts[0].strip())
    for i in range(1, len(parts) - 1, 2):
        person = record.participant(parts[i].strip())
        turn = parts[i + 1].strip()
        if person is None or not turn:
            continue
        speaker = f"{person.name}（{person.role}）"
        roles = [entity for entity in gazetteer.tag(person.role) if entity.kind == "role"]
        extra = [entity_term(f"person:{person.key}"), *(role.term for role in roles)]
        if person.organisation:
            extra.append(entity_term(f"municipality:{person.organisation}"))
            extra += [speaker_term(person.organisation, role.name) for role in roles]
        add(topic, turn, speaker=speaker, extra=extra,
            context=f"{person.name} {person.role} {person.organisation or ''}")


def _record_entities(record, gazetteer: Gazetteer) -> list[str]:
    if isinstance(record, Case):
        keys = [f"municipality:{record.municipality}", f"region:{record.prefecture}"]
        keys += [f"role:{role}" for role in record.roles]
        keys += [f"form:{form}" for form in record.appointment_forms]
        return [entity_term(key) for key in keys]
    if isinstance(record, Roundtable):
        return [entity_term(f"municipality:{name}") for name in record.municipalities]
    return []
