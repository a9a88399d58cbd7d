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


FEEDBACK_ACTION = ACTION_PREFIX + "feedback"  # Slack's own 👍/👎 (feedback_buttons); the value says which


def _feedback(shown: Shown, up: Button, down: Button) -> dict:
    """👍/👎 as Slack draws them for AI apps: a feedback_buttons element in a context_actions
    block; each button's value is the Action it records, as every other button's."""
    def half(button: Button) -> dict:
        return {"text": {"type": "plain_text", "text": button.icon}, "accessibility_label": button.label,
                "value": Action.about(button.kind, shown.answer, shown.carried).encode()}

    return {"type": "context_actions", "elements": [
        {"type": "feedback_buttons", "action_id": FEEDBACK_ACTION, "positive_button": half(up),
         "negative_button": half(down)}]}


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
    if view.has_answer or view.evidence:  # Slack asks AI apps to say what a reply is: ours quotes records
        tail.append(context_block(officials.QUOTED_NOT_GENERATED))
    votes = {b.kind: b for b in view.buttons if b.kind in ("up", "down")}
    if len(votes) == 2:
        tail.append(_feedback(shown, votes["up"], votes["down"]))
    others = [_button(shown, b) for b in view.buttons if b.kind not in votes]
    if others:
        tail.append({"type": "actions", "elements": others})
    return fallback_text(view), folded(blocks, tail)


def folded(blocks: list[dict], tail: list[dict]) -> list[dict]:
    """Within Slack's 50 blocks: what does not fit is left out with a line saying so (the web page
    shows it all); the footnotes, the label and the buttons always stay."""
    room = BLOCK_LIMIT - len(tail)
    if len(blocks) <= room:
        return blocks + tail
    kept = blocks[: room - 1]
    while kept and kept[-1]["type"] == "divider":
        kept.pop()
    return kept + [context_block(officials.FOLDED)] + tail


def fallback_text(view: View) -> str:
    """The plain text of a notification: the answer, or what was said instead."""
    return escape(shortened(plain_text(replace(view, evidence=[], heading=None)), 3000 if view.table else 300))


REASON_VIEW = ACTION_PREFIX + "reason"  # the 👎 dialog's callback_id
REASON_CHARS = 500


def reason_view(action: Action) -> dict:
    """The dialog a 👎 opens: a choice of reasons and room for the asker's own words; the vote it
    explains travels in private_metadata (an Action is at most 2,000 characters; Slack takes 3,000)."""
    def plain(text: str) -> dict:
        return {"type": "plain_text", "text": text}

    choices = [{"text": plain(reason), "value": str(number)} for number, reason in enumerate(officials.REASONS)]
    return {
        "type": "modal", "callback_id": REASON_VIEW, "private_metadata": action.encode(),
        "title": plain(officials.REASON_TITLE), "submit": plain(officials.REASON_SEND),
        "close": plain(officials.REASON_CLOSE),
        "blocks": [
            _section(officials.REASON_INTRO),
            {"type": "input", "block_id": "why", "optional": True, "label": plain(officials.REASON_CHOICE),
             "element": {"type": "radio_buttons", "action_id": "choice", "options": choices}},
            {"type": "input", "block_id": "note", "optional": True, "label": plain(officials.REASON_NOTE),
             "element": {"type": "plain_text_input", "action_id": "text", "multiline": True,
                         "max_length": REASON_CHARS}},
        ],
    }


def reason_given(view: dict) -> tuple[Action | None, str]:
    """(the vote, the reason in words) from a submitted 👎 dialog: the choice's label and the
    asker's words, either may be missing."""
    values = (view.get("state") or {}).get("values") or {}
    choice = ((values.get("why") or {}).get("choice") or {}).get("selected_option") or {}
    number = choice.get("value")
    chosen = officials.REASONS[int(number)] if isinstance(number, str) and number.isdigit() and \
        int(number) < len(officials.REASONS) else ""
    words = ((values.get("note") or {}).get("text") or {}).get("value") or ""
    words = words[:REASON_CHARS] if isinstance(words, str) else ""
    return Action.decode(view.get("private_metadata", "")), "：".join(x for x in (chosen, words.strip()) if x)


def thanks_view(text: str) -> dict:
    return {"type": "modal", "title": {"type": "plain_text", "text": officials.REASON_TITLE},
            "close": {"type": "plain_text", "text": officials.REASON_CLOSE}, "blocks": [_section(escape(text))]}


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
