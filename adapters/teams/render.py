"""Replies as Adaptive Cards for Teams.

Text from records and questions goes into RichTextBlock TextRuns, which Teams never reads as
Markdown or HTML, so ``[click](https://evil)``, ``**x**`` or ``<at>`` in a record show as typed.
Matched terms are TextRuns with weight Bolder; tables are the card's own Table element.
"""

from __future__ import annotations

from bot import messages
from bot.events import Action, Apology, Forward, Help, Notice, Reply, Shown
from bot.models import Hit, Table

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


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


def _hit(number: int, hit: Hit) -> list[dict]:
    head = f"{number}. {hit.title} › {hit.section}" + (f"（{hit.speaker}）" if hit.speaker else "")
    parts = [
        {**plain(head, weight="Bolder"), "separator": True, "spacing": "Medium"},
        {"type": "RichTextBlock", "inlines": _runs(hit.snippet, hit.marks)},
        plain(messages.source(hit.source, hit.as_of), isSubtle=True, size="Small"),
    ]
    if hit.url:
        parts.append({"type": "ActionSet", "actions": [{"type": "Action.OpenUrl", "title": messages.OPEN_SOURCE, "url": hit.url}]})
    return parts


def table_blocks(table: Table) -> list[dict]:
    """An Adaptive Card Table (header row first), the basis, and one citation per row."""
    def row(cells: list[str], **style) -> dict:
        return {"type": "TableRow", "cells": [{"type": "TableCell", "items": [plain(c or " ", **style)]} for c in cells]}

    rows = [{**row(table.columns, weight="Bolder"), "style": "accent"}, *(row(r) for r in table.rows)]
    cited = "\n".join(f"{n}. {c}" for n, c in enumerate(table.citations, 1))
    return [
        plain(table.title, weight="Bolder"),
        {"type": "Table", "firstRowAsHeader": True, "showGridLines": True, "gridStyle": "accent",
         "columns": [{"width": 1} for _ in table.columns], "rows": rows},
        plain((table.basis + "\n" if table.basis else "") + f"{messages.ROW_SOURCES}\n{cited}", isSubtle=True, size="Small"),
    ]


def _submit(title: str, action: Action) -> dict:
    return {"type": "Action.Submit", "title": title, "data": {"hosakan": action.encode()}}


def card(body: list[dict], actions: list[dict] | None = None) -> dict:
    content = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        content["actions"] = actions
    return content


def answer_card(shown: Shown, escalate: bool = False) -> dict:
    answer = shown.answer
    if shown.shared_by:
        title = messages.shared_by(shown.shared_by, answer.question)
    elif answer.page:
        title = messages.more_title(answer.question, shown.first, shown.first + len(answer.hits) - 1)
    else:
        title = messages.asked(answer.question)
    body: list[dict] = [plain(title, isSubtle=True, size="Small")]
    if answer.context:
        body.append(plain(messages.context(answer.context), isSubtle=True))
    if answer.understood:
        body.append(plain(answer.understood, isSubtle=True))
    if answer.message:
        body.append(plain(answer.message))
    if answer.direct_answer:
        body.append(plain(messages.ANSWER, weight="Bolder", size="Medium"))
        body.append(plain(answer.direct_answer))
    if answer.table:
        body.extend(table_blocks(answer.table))
    for number, hit in enumerate(answer.hits, shown.first):
        body.extend(_hit(number, hit))
    actions = []
    if answer.answered and not shown.shared_by:
        actions = [_submit(messages.HELPFUL, Action.about("up", answer, shown.carried)),
                   _submit(messages.UNHELPFUL, Action.about("down", answer, shown.carried))]
        if answer.more:
            actions.append(_submit(messages.MORE, Action.about("more", answer, shown.carried)))
    if escalate and not shown.shared_by:
        actions.append(_submit(messages.ESCALATE, Action.about("escalate", answer, shown.carried)))
    return card(body, actions)


def escalation_card(forward: Forward, conversation: str) -> dict:
    """What the maintainers' conversation receives when an asker presses 「担当者に聞く」."""
    return card([
        plain(messages.ESCALATED_TITLE, weight="Bolder", size="Medium"),
        plain(forward.question),
        plain(messages.escalation_details(forward.asker.name, forward.hit_ids, conversation), isSubtle=True, size="Small"),
    ])


def help_card(reply: Help) -> dict:
    body = [plain(messages.WELCOME if reply.welcome else messages.HELP_TITLE, weight="Bolder", size="Medium"),
            plain(reply.text), plain(messages.TEAMS_USAGE, isSubtle=True)]
    return card(body, [_submit(q, Action(a="ask", q=q)) for q in reply.examples])


def render(reply: Reply, *, escalate: bool = False) -> tuple[dict, str]:
    """(card, plain-text summary) for a reply (a Forward's notice; its question: escalation_card)."""
    if isinstance(reply, Shown):
        answer = reply.answer
        summary = (answer.message or messages.NOT_FOUND) if not answer.answered else \
            messages.answered_summary(answer.question, len(answer.hits))
        return answer_card(reply, escalate=escalate), summary
    if isinstance(reply, Help):
        return help_card(reply), messages.WELCOME if reply.welcome else messages.HELP_TITLE
    if isinstance(reply, (Notice, Apology, Forward)):
        text = reply.notice if isinstance(reply, Forward) else reply.text
        return card([plain(text)]), text[:200]
    raise TypeError(f"cannot render {type(reply).__name__}")
