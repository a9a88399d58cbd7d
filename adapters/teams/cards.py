"""Answers as Adaptive Cards for Teams.

Text from records and questions goes into RichTextBlock TextRuns, which Teams never reads as
Markdown or HTML, so ``[click](https://evil)``, ``**x**`` or ``<at>`` in a record show as typed.
Matched terms are TextRuns with weight Bolder.
"""

from __future__ import annotations

from bot.models import Answer, Hit
from bot.service import EXAMPLES, help_text

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
ACTION_UP = "feedback_up"
ACTION_DOWN = "feedback_down"
ACTION_MORE = "more"
ACTION_ESCALATE = "escalate"
MAX_QUESTION_IN_DATA = 500


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
        plain(f"出典：{hit.source}、{hit.as_of}", isSubtle=True, size="Small"),
    ]
    if hit.url:
        parts.append({"type": "ActionSet", "actions": [{"type": "Action.OpenUrl", "title": "出典を開く", "url": hit.url}]})
    return parts


def _data(action: str, answer: Answer) -> dict:
    return {"hosakan": action, "q": answer.question[:MAX_QUESTION_IN_DATA], "h": [hit.doc_id for hit in answer.hits]}


def card(body: list[dict], actions: list[dict] | None = None) -> dict:
    content = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        content["actions"] = actions
    return content


def answer_card(answer: Answer, title: str | None = None, escalate: bool = False) -> dict:
    body: list[dict] = [plain(title or f"質問：{answer.question}", isSubtle=True, size="Small")]
    if answer.understood:
        body.append(plain(answer.understood, isSubtle=True))
    if answer.message:
        body.append(plain(answer.message))
    if answer.direct_answer:
        body.append(plain("回答", weight="Bolder", size="Medium"))
        body.append(plain(answer.direct_answer))
    for number, hit in enumerate(answer.hits, 1):
        body.extend(_hit(number, hit))
    actions = []
    if answer.answered:
        actions = [
            {"type": "Action.Submit", "title": "👍", "data": _data(ACTION_UP, answer)},
            {"type": "Action.Submit", "title": "👎", "data": _data(ACTION_DOWN, answer)},
        ]
        if answer.more:
            actions.append({"type": "Action.Submit", "title": "他の候補", "data": _data(ACTION_MORE, answer)})
    if escalate:
        actions.append({"type": "Action.Submit", "title": "担当者に聞く", "data": _data(ACTION_ESCALATE, answer)})
    return card(body, actions)


def escalation_card(question: str, hit_ids: list[str], asker: str, conversation: str) -> dict:
    """What the maintainers' conversation receives when an asker presses 「担当者に聞く」."""
    shown = "、".join(hit_ids) if hit_ids else "（回答できませんでした）"
    return card([
        plain("担当者への質問", weight="Bolder", size="Medium"),
        plain(question),
        plain(f"質問者：{asker}　示した根拠：{shown}　会話：{conversation}", isSubtle=True, size="Small"),
    ])


def summary_text(answer: Answer) -> str:
    """The plain-text fallback sent with a card."""
    if not answer.answered:
        return answer.message or "見つかりませんでした。"
    return f"「{answer.question[:60]}」への回答です（根拠{len(answer.hits)}件）。"


def help_card(welcome: bool = False) -> dict:
    opening = "はじめまして。Hosakan（補佐官）です。" if welcome else "Hosakanの使い方"
    body = [plain(opening, weight="Bolder", size="Medium"), plain(help_text())]
    body.append(plain("チャネルでは @Hosakan に続けて質問を、個人チャットではそのまま質問を送ってください。", isSubtle=True))
    actions = [{"type": "Action.Submit", "title": q, "data": {"hosakan": "ask", "q": q}} for q in EXAMPLES[:3]]
    return card(body, actions)


def notice_card(text: str) -> dict:
    return card([plain(text)])
