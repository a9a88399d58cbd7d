"""A ``Draft`` written out as a case record file: front matter in the order of `hosakan new case`,
each drafted value under its 「# 根拠: …」 comment, each missing field as the scaffold leaves it under
a 「# TODO: …」 comment (a value drafted but not read for sure, such as a term with no start date,
under one too), and a body drafted from the notice, marked for review, holding what the schema has
no field for (応募資格, or a TODO where the notice states none)."""

from __future__ import annotations

import json
import re

import yaml

from hosakan.knowledge import sentences
from hosakan.knowledge.todos import FIELD_TODO as TODO

# The body's facts that the schema has no field for: a TODO in the body when the notice lacks them.
BODY_MISSING = {"応募資格": sentences.QUALIFICATION_MISSING}
_ALWAYS_TODO = ("summary", "reviewed")
_UNDRAFTED = ("kind", "as_of_note", "tags", "source.author", "source.seed")


def _scaffold() -> tuple[list[tuple[str, list[str]]], str]:
    """The case template's front matter as (key, its lines) in order ("source.title" for source's),
    and its body."""
    text = sentences.RECORD_TEMPLATES["case"].format(id="", kind="case", today="")
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    groups: list[tuple[str, list[str]]] = []
    for line in front.splitlines():
        key = re.match(r"^(\s*)([a-z_]+):", line)
        if key and (not key.group(1) or groups[-1][0].startswith("source")):
            name = f"source.{key.group(2)}" if key.group(1) else key.group(2)
            groups.append((name, [line]))
        else:
            groups[-1][1].append(line)
    return groups, body


def scalar(value: object) -> str:
    """A value as YAML writes it on one line: plain when YAML reads it back unchanged, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text}
    except (yaml.YAMLError, ValueError):  # ValueError: an integer of more than 4,300 digits
        plain = False
    return text if plain and " #" not in text and text == text.strip() else json.dumps(text, ensure_ascii=False)


def _comments(found, indent: str, check: str | None = None) -> list[str]:
    lines = [f"{indent}{sentences.evidence(found.evidence)}"] if found.evidence else []
    lines += [f"{indent}# {found.note}"] if found.note else []
    return lines + ([f"{indent}{TODO}{check}"] if check else [])


def _mapping(value: dict, indent: str, first: str) -> list[str]:
    lines = []
    for number, (key, item) in enumerate(value.items()):
        lines.append(f"{first if number == 0 else indent}{key}: {scalar(item)}")
    return lines


def _field(name: str, found, scaffold_lines: list[str], check: str | None) -> list[str]:
    key = name.split(".")[-1]
    indent = "  " if name.startswith("source.") else ""
    if found is None or found == [] or name in _ALWAYS_TODO:
        todo = [f"{indent}{TODO}{sentences.DRAFT_MISSING[name]}"] if name in sentences.DRAFT_MISSING else []
        return todo + scaffold_lines
    if isinstance(found, list):
        lines = [f"{key}:"] + (["  " + TODO + check] if check else [])
        for item in found:
            lines += _comments(item, "  ")
            lines += (_mapping(item.value, "    ", "  - ") if isinstance(item.value, dict)
                      else [f"  - {scalar(item.value)}"])
        return lines
    if isinstance(found.value, dict):  # work_style
        lines = _comments(found, indent, check) + [f"{key}:"] + _mapping(found.value, "  ", "  ")
        if "onsite_days_per_week" not in found.value:
            lines += [f"  {TODO}{sentences.DRAFT_MISSING['onsite_days_per_week']}", "  onsite_days_per_week:"]
        return lines
    return _comments(found, indent, check) + [f"{indent}{key}: {scalar(found.value)}"]


def _body(draft) -> list[str]:
    lines = [sentences.BODY_TODO, "## 概要"]
    lines += draft.overview or [sentences.OVERVIEW_TO_WRITE]
    lines += ["", "## 募集内容"]
    value = draft.value
    facts = [("募集する職", value("position") or "・".join(value("roles") or [])),
             ("任用形態", "・".join(value("appointment_forms") or [])), ("任期", value("term")),
             ("報酬", "／".join(p["as_written"] for p in value("compensation") or [])),
             ("勤務", (value("work_style") or {}).get("as_written")), ("職務", "、".join(value("duties") or [])),
             ("応募資格", draft.qualification.value if draft.qualification else None),
             ("選考", value("selection")), ("募集期間", value("recruitment_period"))]
    lines += [f"- {label}：{text}" for label, text in facts if text] or [sentences.FACTS_TO_WRITE]
    lines += [f"<!-- TODO: {BODY_MISSING[label]} -->" for label, text in facts
              if label in BODY_MISSING and not text]
    return lines


def render(draft) -> str:
    groups, _ = _scaffold()
    out = ["---"]
    for name, scaffold_lines in groups:
        if name == "kind":
            out.append("kind: case")
        elif name in _UNDRAFTED:
            out += scaffold_lines
        else:
            out += _field(name, draft.fields.get(name), scaffold_lines, draft.checks.get(name))
    out += ["---", *_body(draft)]
    return "\n".join(out) + "\n"

