"""Replies as Slack Block Kit, inside Slack's limits, with every echoed text escaped.

Nothing from a record or a question can ping, link or format: ``&``, ``<`` and ``>`` are escaped,
so ``<!channel>``, ``<@U123>`` and ``<https://evil|click>`` show as text, and mrkdwn's markers
(``*`` ``_`` ``~`` and the backtick), which Slack offers no escape for, become their full-width
forms (＊ ＿ ～ ｀), so ``*bold*`` shows as ＊bold＊. Table cells are ``raw_text``, which Slack never
reads as markup.
"""

from __future__ import annotations

from dataclasses import replace

from bot import messages
from bot.events import Action, Apology, Forward, Help, Notice, Reply, Shown
from bot.models import Answer, Hit, Table

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
TABLE_ROWS = 100
TABLE_CELLS = 20
ZWSP = "\u200b"  # lets *bold* work inside Japanese text, which has no spaces around words
ACTION_PREFIX = "hosakan_"


_MARKERS = str.maketrans({"*": "＊", "_": "＿", "~": "～", "`": "｀"})


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").translate(_MARKERS)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, SECTION_LIMIT)}}


def context_block(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text, SECTION_LIMIT)}]}


def _button(action: Action, label: str) -> dict:
    return {"type": "button", "action_id": ACTION_PREFIX + action.kind,
            "text": {"type": "plain_text", "text": label}, "value": action.encode()}


def hit_blocks(number: int, hit: Hit) -> list[dict]:
    head = f"*{number}. {escape(hit.title)}* › {escape(hit.section)}"
    if hit.speaker:
        head += f"（{escape(hit.speaker)}）"
    snippet = hit.marked(f"{ZWSP}*", f"*{ZWSP}", escape)
    budget = SECTION_LIMIT - len(head) - 1
    source = messages.source(escape(hit.source), escape(hit.as_of))
    if hit.url:
        source += f"　<{hit.url}|{messages.OPEN_SOURCE}>"
    return [_section(f"{head}\n{_cut(snippet, budget)}"), context_block(source)]


def table_blocks(table: Table) -> list[dict]:
    """Slack's table block (header row first), then the basis and one citation per row."""
    def cell(text: str) -> dict:
        return {"type": "raw_text", "text": text or " "}

    rows = [table.columns, *table.rows][:TABLE_ROWS]
    cited = "\n".join(f"{n}. {escape(c)}" for n, c in enumerate(table.citations, 1))
    return [
        _section(f"*{escape(table.title)}*"),
        {"type": "table", "rows": [[cell(c) for c in row[:TABLE_CELLS]] for row in rows],
         "column_settings": [{"is_wrapped": True} for _ in table.columns[:TABLE_CELLS]]},
        context_block(escape(table.basis or "") + ("\n" if table.basis else "") + f"{messages.ROW_SOURCES}\n{cited}"),
    ]


def table_text(table: Table) -> str:
    """The table as lines of text: the notification's fallback, where blocks are not shown."""
    lines = [table.title, " | ".join(table.columns)]
    lines += [" | ".join(row) for row in table.rows]
    return "\n".join(lines)


def answer_blocks(shown: Shown, *, escalate: bool = False) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for an answer, a page of candidates, or a shared answer."""
    answer = shown.answer
    blocks: list[dict] = []
    if shown.shared_by:
        blocks.append(context_block(messages.shared_by(shown.shared_by, escape(answer.question))))
    elif answer.page:
        last = shown.first + len(answer.hits) - 1
        blocks.append(context_block(escape(messages.more_title(answer.question, shown.first, last))))
    elif shown.shareable:
        blocks.append(context_block(escape(messages.asked(answer.question))))
    if answer.context:
        blocks.append(context_block(escape(messages.context(answer.context))))
    if answer.understood:
        blocks.append(context_block(escape(answer.understood)))
    if answer.message:
        blocks.append(_section(escape(answer.message)))
    if answer.direct_answer:
        blocks.append(_section(f"*{messages.ANSWER}*\n{escape(answer.direct_answer)}"))
    if answer.table:
        blocks.extend(table_blocks(answer.table))
    if answer.hits:
        blocks.append({"type": "divider"})
        for number, hit in enumerate(answer.hits, shown.first):
            blocks.extend(hit_blocks(number, hit))
    buttons = []
    if answer.answered and not shown.shared_by:
        buttons += [_button(Action.about("up", answer, shown.carried), messages.HELPFUL),
                    _button(Action.about("down", answer, shown.carried), messages.UNHELPFUL)]
        if answer.more:
            buttons.append(_button(Action.about("more", answer, shown.carried), messages.MORE))
        if shown.shareable:
            buttons.append({**_button(Action.about("share", answer, shown.carried), messages.SHARE), "style": "primary"})
    if escalate and not shown.shared_by:
        buttons.append(_button(Action.about("escalate", answer, shown.carried), messages.ESCALATE))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return fallback_text(answer), blocks[:BLOCK_LIMIT]


def fallback_text(answer: Answer) -> str:
    """The plain text of a notification: the answer or message, the table, the first hit's title."""
    hits = answer.hits
    text = answer.direct_answer or answer.message or (hits[0].snippet if hits else "")
    if answer.table:
        text += "\n" + table_text(answer.table)
    elif hits and answer.direct_answer:
        text += f"（{messages.source(hits[0].title)}）"
    return escape(_cut(text, 3000 if answer.table else 300))


def notice_blocks(text: str) -> tuple[str, list[dict]]:
    return escape(_cut(text, 300)), [_section(escape(text))]


def help_blocks(reply: Help) -> tuple[str, list[dict]]:
    text = escape(reply.text)
    return text, [_section(text), context_block(messages.SLACK_USAGE)]


def escalation_blocks(forward: Forward, where: str) -> tuple[str, list[dict]]:
    """What the maintainers' channel receives when an asker presses 「担当者に聞く」; ``where`` is
    Slack markup we made (a permalink), never user text."""
    question = escape(forward.question)
    return messages.forwarded(forward.asker.name, question), [
        _section(f"*{messages.ESCALATED_TITLE}*\n{question}"),
        context_block(messages.escalation_details(forward.asker.name, [escape(h) for h in forward.hit_ids], where)),
    ]


def render(reply: Reply, *, escalate: bool = False, shareable: bool = False) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for a reply (a Forward's notice; its question: escalation_blocks)."""
    if isinstance(reply, Shown):
        return answer_blocks(replace(reply, shareable=True) if shareable else reply, escalate=escalate)
    if isinstance(reply, Help):
        return help_blocks(reply)
    if isinstance(reply, (Notice, Apology, Forward)):
        return notice_blocks(reply.notice if isinstance(reply, Forward) else reply.text)
    raise TypeError(f"cannot render {type(reply).__name__}")
