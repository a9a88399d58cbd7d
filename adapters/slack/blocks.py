"""Answers as Slack Block Kit, inside Slack's limits, with every echoed text escaped.

Nothing from a record or a question can ping or link: ``&``, ``<`` and ``>`` are escaped, so
``<!channel>``, ``<@U123>`` and ``<https://evil|click>`` show as text.
"""

from __future__ import annotations

import json

from bot.models import Answer, Hit
from bot.service import help_text

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
BUTTON_VALUE_LIMIT = 2000
ZWSP = "\u200b"  # lets *bold* work inside Japanese text, which has no spaces around words

ACTION_UP = "hosakan_feedback_up"
ACTION_DOWN = "hosakan_feedback_down"
ACTION_MORE = "hosakan_more"
ACTION_SHARE = "hosakan_share"
ACTION_ESCALATE = "hosakan_escalate"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, SECTION_LIMIT)}}


def context_block(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text, SECTION_LIMIT)}]}


def action_value(answer: Answer) -> str:
    """What a button carries back: the question and the hit ids, within Slack's 2,000 characters."""
    hits = [hit.doc_id for hit in answer.hits]
    question = answer.question
    while True:
        value = json.dumps({"q": question, "h": hits}, ensure_ascii=False)
        if len(value) <= BUTTON_VALUE_LIMIT:
            return value
        question = question[: len(question) // 2]


def read_value(value: str) -> tuple[str, list[str]]:
    """The question and hit ids a button carries; nothing when the value is not ours."""
    try:
        data = json.loads(value or "{}")
    except json.JSONDecodeError:
        return "", []
    if not isinstance(data, dict):
        return "", []
    return str(data.get("q", "")), [str(h) for h in data.get("h", []) if isinstance(h, str)]


def hit_blocks(number: int, hit: Hit) -> list[dict]:
    head = f"*{number}. {escape(hit.title)}* › {escape(hit.section)}"
    if hit.speaker:
        head += f"（{escape(hit.speaker)}）"
    snippet = hit.marked(f"{ZWSP}*", f"*{ZWSP}", escape)
    budget = SECTION_LIMIT - len(head) - 1
    source = f"出典：{escape(hit.source)}、{escape(hit.as_of)}"
    if hit.url:
        source += f"　<{hit.url}|出典を開く>"
    return [_section(f"{head}\n{_cut(snippet, budget)}"), context_block(source)]


def answer_blocks(answer: Answer, *, shareable: bool = False, shared_by: str | None = None,
                  escalate: bool = False) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for an answer; ``shareable`` adds 「チャンネルに共有」, ``shared_by``
    credits the user who shared it, ``escalate`` adds 「担当者に聞く」."""
    hits = answer.hits
    blocks: list[dict] = []
    if shared_by:
        blocks.append(context_block(f"<@{shared_by}> さんが共有した回答です。質問：{escape(answer.question)}"))
    elif shareable:
        blocks.append(context_block(f"質問：{escape(answer.question)}"))
    if answer.understood:
        blocks.append(context_block(escape(answer.understood)))
    if answer.message:
        blocks.append(_section(escape(answer.message)))
    if answer.direct_answer:
        blocks.append(_section(f"*回答*\n{escape(answer.direct_answer)}"))
    if hits:
        blocks.append({"type": "divider"})
        for number, hit in enumerate(hits, 1):
            blocks.extend(hit_blocks(number, hit))
    buttons = []
    value = action_value(answer)
    if answer.answered and not shared_by:
        buttons += [_button(ACTION_UP, "👍", value), _button(ACTION_DOWN, "👎", value)]
        if answer.more:
            buttons.append(_button(ACTION_MORE, "他の候補", value))
        if shareable:
            buttons.append({**_button(ACTION_SHARE, "チャンネルに共有", value), "style": "primary"})
    if escalate and not shared_by:
        buttons.append(_button(ACTION_ESCALATE, "担当者に聞く", value))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return fallback_text(answer, hits), blocks[:BLOCK_LIMIT]


def _button(action_id: str, label: str, value: str) -> dict:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label}, "value": value}


def notice_blocks(text: str) -> tuple[str, list[dict]]:
    """A command's result or a refusal, as plain escaped text."""
    return escape(_cut(text, 300)), [_section(escape(text))]


def escalation_blocks(question: str, hit_ids: list[str], asker: str, where: str) -> tuple[str, list[dict]]:
    """What the maintainers' channel receives when an asker presses 「担当者に聞く」."""
    answered = "、".join(hit_ids) if hit_ids else "（回答できませんでした）"
    text = f"<@{asker}> さんから質問が転送されました：{escape(question)}"
    return text, [
        _section(f"*担当者への質問*\n{escape(question)}"),
        context_block(f"質問者：<@{asker}>　示した根拠：{escape(answered)}　{where}"),
    ]


def fallback_text(answer: Answer, hits: list[Hit]) -> str:
    """The plain text of a notification: the answer or message, then the first hit's title."""
    text = answer.direct_answer or answer.message or (hits[0].snippet if hits else "")
    if hits and answer.direct_answer:
        text += f"（出典：{hits[0].title}）"
    return escape(_cut(text, 300))


def more_blocks(question: str, answer: Answer) -> tuple[str, list[dict]]:
    """The next candidates (他の候補) for a question."""
    if not answer.more:
        return "他の候補はありません。", [_section("他の候補はありません。")]
    others = answer.model_copy(update={"direct_answer": None, "message": None, "understood": None,
                                       "hits": answer.more, "more": []})
    text, rendered = answer_blocks(others)
    return text, [context_block(f"「{escape(question)}」の他の候補"), *rendered]


def thanks_blocks(helpful: bool) -> tuple[str, list[dict]]:
    text = "フィードバックありがとうございました。" + ("" if helpful else "いただいた声は回答の改善に活かします。")
    return text, [_section(text)]


def help_blocks() -> tuple[str, list[dict]]:
    text = escape(help_text())
    return text, [_section(text), context_block("使い方：`@hosakan 質問` ／ DMで質問 ／ `/hosakan 質問`（自分だけに表示）")]


def error_blocks(error_id: str) -> tuple[str, list[dict]]:
    text = f"申し訳ありません。回答の作成中にエラーが発生しました。時間をおいてもう一度お試しください（エラーID：{error_id}）。"
    return text, [_section(text)]
