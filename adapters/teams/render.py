"""Replies as Adaptive Cards for Teams.

Text from records and questions goes into RichTextBlock TextRuns, which Teams never reads as
Markdown or HTML, so ``[click](https://evil)``, ``**x**`` or ``<at>`` in a record show as typed.
Matched terms are TextRuns with weight Bolder; tables are the card's own Table element.
"""

from __future__ import annotations

from hosakan.bot.chat.presenter import CaseFact, Evidence, TableView, present
from hosakan.bot.events import Action, Apology, Forward, Help, Notice, Reply, Shown
from hosakan.bot.sentences import officials

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
EVIDENCE_ID = "evidence"


def _runs(text: str, marks: list[tuple[int, int]] = ()) -> list[dict]:
    runs, last = [], 0
    for start, end in marks:
        if start > last:
            runs.append({"type": "TextRun", "text": text[last:start]})
        runs.append({"type": "TextRun", "text": text[start:end], "weight": "Bolder", "color": "Accent"})
        last = end
    if last < len(text):
        runs.append({"type": "TextRun", "text": text[last:]})
    return runs or [{"type": "TextRun", "text": " "}]


def plain(text: str, **style) -> dict:
    """A block of text that is never interpreted as markup."""
    return {"type": "RichTextBlock", "inlines": [{**run, **style} for run in _runs(text)]}


def _evidence(item: Evidence) -> list[dict]:
    hit = item.hit
    parts = [
        {
            **plain(f"{item.number}. {hit.title} › {item.where}", weight="Bolder"),
            "separator": True,
            "spacing": "Medium",
        },
        {"type": "RichTextBlock", "inlines": _runs(hit.snippet, hit.marks)},
        plain(officials.source(hit.source, item.as_of), isSubtle=True, size="Small"),
    ]
    if hit.url:
        parts.append({
            "type": "ActionSet",
            "actions": [{"type": "Action.OpenUrl", "title": officials.OPEN_SOURCE, "url": hit.url}],
        })
    return parts


def _case(case: CaseFact) -> dict:
    cited = "、".join(x for x in (case.source and officials.source(case.source), case.as_of) if x)
    items = [plain(case.name, weight="Bolder"), plain(f"「{case.fact}」" if case.quoted else case.fact)]
    if cited:
        items.append(plain(cited, isSubtle=True, size="Small"))
    return {"type": "Container", "spacing": "Small", "items": items}


def table_blocks(view: TableView) -> list[dict]:
    """An Adaptive Card Table (header row first), the basis, and the rows' sources."""
    table = view.table

    def row(cells: list[str], **style) -> dict:
        return {
            "type": "TableRow",
            "cells": [{"type": "TableCell", "items": [plain(c or " ", **style)]} for c in cells],
        }

    rows = [{**row(table.columns, weight="Bolder"), "style": "accent"}, *(row(r) for r in table.rows)]
    return [
        plain(table.title, weight="Bolder"),
        {"type": "Table", "firstRowAsHeader": True, "showGridLines": True, "gridStyle": "accent",
         "columns": [{"width": 1} for _ in table.columns], "rows": rows},
        plain("\n".join(x for x in (view.basis, *view.sources) if x), isSubtle=True, size="Small"),
    ]


def _submit(title: str, action: Action) -> dict:
    return {"type": "Action.Submit", "title": title, "data": {"hosakan": action.encode()}}


def card(body: list[dict], actions: list[dict] | None = None) -> dict:
    content = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        content["actions"] = actions
    return content


def answer_card(shown: Shown, escalate: bool = False) -> dict:
    view = present(shown, escalate=escalate, echo=True)
    body: list[dict] = [plain(view.heading, isSubtle=True, size="Small")] if view.heading else []
    body += [plain(note, isSubtle=True) for note in view.readings]
    if view.message:
        body.append(plain(view.message))
    if view.has_answer:
        body.append(plain(officials.ANSWER, weight="Bolder", size="Medium"))
        body += [plain(line) for line in view.lead]
        body += [_case(case) for case in view.cases]
    if view.table:
        body.extend(table_blocks(view.table))
    actions = []
    if view.evidence:  # folded: the card stays short, 根拠を表示 opens it
        items = [item for e in view.evidence for item in _evidence(e)]
        body.append({"type": "Container", "id": EVIDENCE_ID, "isVisible": False,
                     "items": [plain(view.evidence_title, weight="Bolder"), *items]})
        actions.append({"type": "Action.ToggleVisibility", "title": officials.SHOW_EVIDENCE,
                        "targetElements": [EVIDENCE_ID]})
    body += [plain(note, isSubtle=True, size="Small") for note in view.footnotes]
    for button in view.buttons:
        title = f"{button.icon} {button.label}" if button.icon else button.label
        actions.append(_submit(title, Action.about(button.kind, shown.answer, shown.carried)))
    return card(body, actions)


def escalation_card(forward: Forward, conversation: str) -> dict:
    """What the maintainers' conversation receives when an asker presses 「担当者に聞く」."""
    return card([
        plain(officials.ESCALATED_TITLE, weight="Bolder", size="Medium"),
        plain(forward.question),
        plain(
            officials.escalation_details(forward.asker.name, forward.hit_ids, conversation),
            isSubtle=True,
            size="Small",
        ),
    ])


def help_card(reply: Help) -> dict:
    body = [plain(officials.WELCOME if reply.welcome else officials.HELP_TITLE, weight="Bolder", size="Medium"),
            plain(reply.text), plain(officials.TEAMS_USAGE, isSubtle=True)]
    return card(body, [_submit(q, Action(a="ask", q=q)) for q in reply.examples])


def render(reply: Reply, *, escalate: bool = False) -> tuple[dict, str]:
    """(card, plain-text summary) for a reply (a Forward's notice; its question: escalation_card)."""
    if isinstance(reply, Shown):
        answer = reply.answer
        summary = (answer.message or officials.NOT_FOUND) if not answer.answered else \
            officials.answered_summary(answer.question, len(answer.hits))
        return answer_card(reply, escalate=escalate), summary
    if isinstance(reply, Help):
        return help_card(reply), officials.WELCOME if reply.welcome else officials.HELP_TITLE
    if isinstance(reply, (Notice, Apology, Forward)):
        text = reply.notice if isinstance(reply, Forward) else reply.text
        return card([plain(text)]), text[:200]
    raise TypeError(f"cannot render {type(reply).__name__}")
