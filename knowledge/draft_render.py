"""A ``Draft`` written out as a case record file: front matter in the order of `hosakan new case`,
each drafted value under its 「# 根拠: …」 comment, each missing field as the scaffold leaves it under
a 「# TODO: …」 comment (a value drafted but not read for sure, such as a term with no start date,
under one too), and a body drafted from the notice, marked for review, holding what the schema has
no field for (応募資格, or a TODO where the notice states none)."""

from __future__ import annotations

import json
import re

import yaml

from hosakan.knowledge.scaffold import TEMPLATES
from hosakan.knowledge.todos import BODY_TODO, FIELD_TODO as TODO

_OPTIONAL = "（出典になければ、この TODO の行だけを消します）"
MISSING = {
    "id": "id を決めてください（半角の小文字英字・数字・ハイフン：ozu-city-cdo-hosakan）。ファイル名も id.md にします",
    "title": "引用するときの名前を書いてください（例：大洲市（愛媛県）CDO補佐官の募集）",
    "summary": "1文の要約を書いてください（要らなければ空のまま、この TODO の行だけを消します）",
    "municipality": "自治体名が見つかりませんでした。出典の自治体を書いてください",
    "prefecture": "都道府県を書いてください",
    "reading": "自治体名の読みを、かなだけで書いてください",
    "romaji": "任意：英語での書き方を書いてください" + _OPTIONAL,
    "roles": "役職が見つかりませんでした。glossary.yaml の役職から1つ以上選んでください",
    "appointment_forms": "任用形態が見つかりませんでした。"
                         "書かれていれば glossary.yaml の任用形態から選んでください" + _OPTIONAL,
    "position": "役職・級が見つかりませんでした" + _OPTIONAL,
    "department": "所属（配属先）が見つかりませんでした" + _OPTIONAL,
    "term": "任期・契約期間が見つかりませんでした" + _OPTIONAL,
    "compensation": "報酬・予定価格が見つかりませんでした" + _OPTIONAL,
    "work_style": "勤務形態（登庁の日数・テレワーク）が見つかりませんでした" + _OPTIONAL,
    "duties": "職務・業務内容が見つかりませんでした" + _OPTIONAL,
    "selection": "選考・審査の方法が見つかりませんでした" + _OPTIONAL,
    "recruitment_period": "募集期間・応募締切が見つかりませんでした" + _OPTIONAL,
    "as_of": "文書の日付が見つかりませんでした。時点を書くか、as_of_note に時点がない理由を書いてください",
    "reviewed": "出典と照らし合わせて確かめた日を YYYY-MM-DD で書いてください",
    "source.title": "出典の題名を書いてください",
    "source.publisher": "発行元を書いてください" + _OPTIONAL,
    "source.url": "出典の URL があれば https://… を書いてください" + _OPTIONAL,
    "onsite_days_per_week": "週あたりの登庁日数が読み取れませんでした。"
                            "分かれば数で書いてください（月1回程度なら 0.25）" + _OPTIONAL,
}
# The body's facts that the schema has no field for: a TODO in the body when the notice lacks them.
BODY_MISSING = {"応募資格": "応募資格が見つかりませんでした。出典に応募資格・参加資格があれば「- 応募資格：…」として"
                          "「## 募集内容」に書き、なければこの行だけを消してください"}
_ALWAYS_TODO = ("summary", "reviewed")
_UNDRAFTED = ("kind", "as_of_note", "tags", "source.author", "source.seed")


def _scaffold() -> tuple[list[tuple[str, list[str]]], str]:
    """The case template's front matter as (key, its lines) in order ("source.title" for source's),
    and its body."""
    text = TEMPLATES["case"].format(id="", kind="case", today="")
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
    lines = [f"{indent}# 根拠: {found.evidence}"] if found.evidence else []
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
        todo = [f"{indent}{TODO}{MISSING[name]}"] if name in MISSING else []
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
            lines += [f"  {TODO}{MISSING['onsite_days_per_week']}", "  onsite_days_per_week:"]
        return lines
    return _comments(found, indent, check) + [f"{indent}{key}: {scalar(found.value)}"]


def _body(draft) -> list[str]:
    lines = [BODY_TODO, "## 概要"]
    lines += draft.overview or ["（出典の趣旨・目的を書きます）"]
    lines += ["", "## 募集内容"]
    value = draft.value
    facts = [("募集する職", value("position") or "・".join(value("roles") or [])),
             ("任用形態", "・".join(value("appointment_forms") or [])), ("任期", value("term")),
             ("報酬", "／".join(p["as_written"] for p in value("compensation") or [])),
             ("勤務", (value("work_style") or {}).get("as_written")), ("職務", "、".join(value("duties") or [])),
             ("応募資格", draft.qualification.value if draft.qualification else None),
             ("選考", value("selection")), ("募集期間", value("recruitment_period"))]
    lines += [f"- {label}：{text}" for label, text in facts if text] or ["（出典の募集内容を書きます）"]
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

