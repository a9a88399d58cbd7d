"""What Hosakan says: direct answers from a case's structured facts, and its polite refusals."""

from __future__ import annotations

import re

from indexer.passages import ATTRIBUTE_LABELS, case_facts
from knowledge.schema import Case

_READABLE = re.compile(r"[0-9A-Za-z\u3040-\u30ff\u3400-\u9fff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f]")
MAX_LISTED = 6


def problem_with(text: str, max_chars: int) -> str | None:
    """A polite message when the question cannot be read at all."""
    if not text:
        return "ご質問が空でした。知りたいことを日本語で入力してください（例：「大阪府のCIO補佐官の任期は？」）。"
    if len(text) > max_chars:
        return (f"ご質問が長すぎます（{len(text):,}文字）。{max_chars}文字以内で、"
                "知りたいことを一つに絞ってお尋ねください。")
    if not _READABLE.search(text):
        return "ご質問の内容を読み取れませんでした。文字で質問を入力してください（例：「奈良県のCIOの月収は？」）。"
    return None


def _coverage(records) -> str:
    names = sorted({r.municipality for r in records if isinstance(r, Case)})
    return "、".join(names)


def out_of_scope(records) -> str:
    return ("申し訳ありません。ご質問に当てはまる情報はナレッジベースに見つかりませんでした。"
            f"Hosakanがお答えできるのは、自治体のCIO・CDO・CIO補佐官などの任用事例（{_coverage(records)}）、"
            "東京都・区市町村CIOフォーラムの座談会、総務省資料のデジタル人材に関する調査や任用形態です。")


def unknown_place(places: list[str], records, suggestions: bool) -> str:
    named = "、".join(f"「{p}」" for p in dict.fromkeys(places))
    text = (f"申し訳ありません。{named}の事例はナレッジベースに見つかりませんでした。"
            f"登録されている自治体は {_coverage(records)} です。")
    if suggestions:
        text += "参考までに、ご質問に近い他の自治体の情報を示します。"
    return text


def _facts_for(case: Case, attributes: list[str], roles: set[str]) -> list[str]:
    facts = case_facts(case)
    lines = []
    for attribute in attributes:
        if attribute == "compensation" and case.compensation and roles & {p.role for p in case.compensation}:
            pays = [p for p in case.compensation if p.role in roles]
            lines.append(f"{ATTRIBUTE_LABELS[attribute]}：" + "。".join(f"{p.role}：{p.as_written}" for p in pays))
        elif attribute in facts:
            lines.append(f"{ATTRIBUTE_LABELS[attribute]}：{facts[attribute]}")
        elif attribute == "department" and "position" in facts:
            lines.append(f"{ATTRIBUTE_LABELS['position']}：{facts['position']}")
    return lines


def direct_answer(u, cases: list[Case]) -> str | None:
    """The fact the question asks for, from the structured fields of the cases it names."""
    municipalities = {e.name for e in u.resolution.of_kind("municipality")}
    regions = {e.name for e in u.resolution.of_kind("region")}
    roles = {e.name for e in u.resolution.of_kind("role")}
    forms = {e.name for e in u.resolution.of_kind("form")}
    attributes = [a for a in u.attributes if a in ATTRIBUTE_LABELS]
    named = [c for c in cases if c.municipality in municipalities]
    if named:
        lines = []
        for case in named:
            facts = _facts_for(case, attributes, roles) if attributes else []
            body = "／".join(facts) if facts else (case.summary or case.title)
            lines.append(f"【{case.municipality}】{body}〔{case.as_of_label()}〕")
        return "\n".join(lines)
    if u.resolution.of_kind("person") or "roundtable" in u.kinds:
        return None
    asks_for_list = bool(attributes or forms or regions or u.listing)
    if not (roles or forms or regions) or not asks_for_list or u.leftover:
        return None  # a topical question (研修, 守秘義務 ...), not a request for cases
    matching = [
        c for c in cases
        if (not roles or roles & set(c.roles)) and (not forms or forms & set(c.appointment_forms))
        and (not regions or c.prefecture in regions)
    ]
    if not matching:
        return None
    label = "・".join([*sorted(regions), *sorted(forms), *sorted(roles)])
    lines = [f"{label}の事例は{len(matching)}件あります。"]
    for case in matching[:MAX_LISTED]:
        facts = _facts_for(case, attributes, roles) if attributes else []
        lines.append(f"・{case.municipality}：" + ("／".join(facts) if facts else (case.summary or case.title))
                     + f"〔{case.as_of_label()}〕")
    return "\n".join(lines)
