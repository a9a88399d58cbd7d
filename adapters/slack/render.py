"""Replies as Slack Block Kit, inside Slack's limits, with every echoed text escaped.

Nothing from a record or a question can ping, link or format: ``&``, ``<`` and ``>`` are escaped,
so ``<!channel>``, ``<@U123>`` and ``<https://evil|click>`` show as text, and mrkdwn's markers
(``*`` ``_`` ``~`` and the backtick), which Slack offers no escape for, become their full-width
forms (＊ ＿ ～ ｀), so ``*bold*`` shows as ＊bold＊. Table cells are ``raw_text``, which Slack never
reads as markup.
"""

from __future__ import annotations

from dataclasses import replace

from hosakan.bot.chat.presenter import Button, CaseFact, Evidence, TableView, View, plain_text, present, shortened
from hosakan.bot.events import Action, Apology, Forward, Help, Notice, Reply, Shown
from hosakan.bot.sentences import officials

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
TABLE_ROWS = 100
TABLE_CELLS = 20
ZWSP = "\u200b"  # lets *bold* work inside Japanese text, which has no spaces around words
ACTION_PREFIX = "hosakan_"


_MARKERS = str.maketrans({"*": "＊", "_": "＿", "~": "～", "`": "｀"})


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").translate(_MARKERS)


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": shortened(text, SECTION_LIMIT)}}


def context_block(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": shortened(text, SECTION_LIMIT)}]}


def _evidence_blocks(item: Evidence) -> list[dict]:
    hit = item.hit
    head = f"*{item.number}. {escape(hit.title)}* › {escape(item.where)}"
    snippet = hit.marked(f"{ZWSP}*", f"*{ZWSP}", escape)
    source = officials.source(escape(hit.source), item.as_of)
    if hit.url:
        source += f"　<{hit.url}|{officials.OPEN_SOURCE}>"
    return [_section(f"{head}\n{shortened(snippet, SECTION_LIMIT - len(head) - 1)}"), context_block(source)]


def _case_block(case: CaseFact) -> dict:
    fact = f"「{escape(case.fact)}」" if case.quoted else escape(case.fact)
    cited = "、".join(escape(x) for x in (case.source and officials.source(case.source), case.as_of) if x)
    return _section(f"*{escape(case.name)}*\n{fact}" + (f"\n{cited}" if cited else ""))


def table_blocks(view: TableView) -> list[dict]:
    """Slack's table block (header row first), then the basis and the rows' sources."""
    table = view.table

    def cell(text: str) -> dict:
        return {"type": "raw_text", "text": text or " "}

    rows = [table.columns, *table.rows][:TABLE_ROWS]
    notes = [escape(x) for x in (view.basis, *view.sources) if x]
    return [
        _section(f"*{escape(table.title)}*"),
        {"type": "table", "rows": [[cell(c) for c in row[:TABLE_CELLS]] for row in rows],
         "column_settings": [{"is_wrapped": True} for _ in table.columns[:TABLE_CELLS]]},
        context_block("\n".join(notes)),
    ]


def _button(shown: Shown, button: Button) -> dict:
    action = Action.about(button.kind, shown.answer, shown.carried)
    element = {"type": "button", "action_id": ACTION_PREFIX + button.kind,
               "text": {"type": "plain_text", "text": button.icon or button.label}, "value": action.encode()}
    if button.icon:
        element["accessibility_label"] = button.label
    return {**element, "style": "primary"} if button.primary else element


def answer_blocks(shown: Shown, *, escalate: bool = False) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for an answer, a page of candidates, or a shared answer."""
    view = present(shown, escalate=escalate)
    blocks: list[dict] = []
    if shown.shared_by:  # the sharer is Slack's own mention markup (<@U123>), never user text
        blocks.append(context_block(officials.shared_by(shown.shared_by, escape(shown.answer.question))))
    elif view.heading:
        blocks.append(context_block(escape(view.heading)))
    blocks += [context_block(escape(note)) for note in view.readings]
    if view.message:
        blocks.append(_section(escape(view.message)))
    if view.has_answer:
        lead = "\n".join(escape(line) for line in view.lead)
        blocks.append(_section(f"*{officials.ANSWER}*" + (f"\n{lead}" if lead else "")))
        blocks += [_case_block(case) for case in view.cases]
    if view.table:
        blocks.extend(table_blocks(view.table))
    if view.evidence:
        blocks.append({"type": "divider"})
        blocks.append(context_block(f"*{escape(view.evidence_title)}*"))
        for item in view.evidence:
            blocks.extend(_evidence_blocks(item))
    tail = [context_block(escape(note)) for note in view.footnotes]
    if view.buttons:
        tail.append({"type": "actions", "elements": [_button(shown, b) for b in view.buttons]})
    return fallback_text(view), blocks[: BLOCK_LIMIT - len(tail)] + tail


def fallback_text(view: View) -> str:
    """The plain text of a notification: the answer, or what was said instead."""
    return escape(shortened(plain_text(replace(view, evidence=[], heading=None)), 3000 if view.table else 300))


def notice_blocks(text: str) -> tuple[str, list[dict]]:
    return escape(shortened(text, 300)), [_section(escape(text))]


def help_blocks(reply: Help) -> tuple[str, list[dict]]:
    text = escape(reply.text)
    return text, [_section(text), context_block(officials.SLACK_USAGE)]


def escalation_blocks(forward: Forward, where: str) -> tuple[str, list[dict]]:
    """What the maintainers' channel receives when an asker presses 「担当者に聞く」; ``where`` is
    Slack markup we made (a permalink), never user text."""
    question = escape(forward.question)
    return officials.forwarded(forward.asker.name, question), [
        _section(f"*{officials.ESCALATED_TITLE}*\n{question}"),
        context_block(officials.escalation_details(forward.asker.name, [escape(h) for h in forward.hit_ids], where)),
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
