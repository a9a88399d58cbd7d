"""Replies as Teams messages: the activity's JSON (text, an Adaptive Card, the citation entity,
channelData), built without the SDK, so that the SDK in app.py only carries it.

An answer is drawn with Teams' own elements for an AI app's reply
(https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bot-messages-ai-generated-content):

- the message text is the answer as a person reads it, each case followed by ``[n]``, the number
  of a passage it cites, and the passages no case line cites on a last line (根拠：[2] [3]);
- one ``https://schema.org/Message`` entity lists those passages as ``Claim`` citations: the
  record's title (a source document's with its page or article), the quoted snippet as the
  abstract, the URL when the record has one, the section and date as keywords, and the whole
  snippet with its source in the citation's window. Teams draws them as numbered citations, so the
  card does not list them again;
- Teams' 👍/👎 (``channelData.feedbackLoop``) replaces our buttons; its vote arrives as a
  ``message/submitAction`` invoke naming this message (app.py);
- never ``additionalType: ["AIGeneratedContent"]``: the answer quotes curated records, nothing in
  it is generated, so Teams' 「AI generated」 label would be false;
- the Adaptive Card carries what text cannot: a comparison's Table, and the other buttons (他の候補,
  担当者に聞く) as Action.Submit with the same ``Action`` payload as Slack's.

Text from records and questions never becomes markup: in the message text (Markdown, Teams' default,
where citations are documented) and in a citation's fields, the characters Markdown, Teams' tags
and citation markers are made of (and ``&``, which spells them as entities) are shown as their
full-width forms (``[x](https://evil)`` → ［x］(https://evil), ``<at>`` → ＜at＞, ``**`` → ＊＊), so a
record's own ``[1]`` is never a citation;
in cards it goes into RichTextBlock TextRuns, which Teams never reads as Markdown or HTML.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from hosakan.bot.chat.presenter import CaseFact, Evidence, TableView, View, present, shortened
from hosakan.bot.events import Action, Apology, Forward, Help, Notice, Reply, Shown
from hosakan.bot.sentences import officials

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CARD = "application/vnd.microsoft.card.adaptive"

# Teams' limits on a citation (the document above): at most 20 in a message, a name of 80
# characters, an abstract of 160, at most 3 keywords of 28 characters each
CITATIONS = 20
NAME_CHARS = 80
ABSTRACT_CHARS = 160
KEYWORDS = 3
KEYWORD_CHARS = 28

# Teams' feedback loop: the documented field (`feedbackLoop`, the default form) and the older flag
# clients before it read; `feedbackLoop` takes precedence where both are known
FEEDBACK_LOOP = {"feedbackLoopEnabled": True, "feedbackLoop": {"type": "default"}}

_MARKUP = str.maketrans({"[": "［", "]": "］", "<": "＜", ">": "＞", "*": "＊", "_": "＿", "~": "～", "`": "｀",
                         "#": "＃", "|": "｜", "\\": "＼", "&": "＆"})


def inert(text: str) -> str:
    """``text`` on one line, with the characters of Markdown, Teams' tags and citation markers shown
    as their full-width forms: never markup, never a citation."""
    return " ".join((text or "").split()).translate(_MARKUP)


# -- cards ------------------------------------------------------------------------------------
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


def message(text: str, cards: list[dict] = (), *, text_format: str = "plain", entities: list[dict] = (),
            channel_data: dict | None = None) -> dict:
    """A message activity's JSON (the Bot Framework's field names)."""
    activity: dict = {"type": "message", "text": text, "textFormat": text_format}
    if cards:
        activity["attachments"] = [{"contentType": CARD, "content": content} for content in cards]
    if entities:
        activity["entities"] = list(entities)
    if channel_data:
        activity["channelData"] = channel_data
    return activity


def takes_feedback(activity: dict) -> bool:
    """Whether a message carries Teams' 👍/👎, whose votes name it by its id."""
    return bool((activity.get("channelData") or {}).get("feedbackLoopEnabled"))


# -- citations ----------------------------------------------------------------------------------
def abstract(snippet: str, limit: int = ABSTRACT_CHARS) -> str:
    """The quoted snippet within ``limit`` characters: whole when it fits, else cut after its last
    full sentence that fits (or at the limit), marked with 「…」."""
    text = " ".join(snippet.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    end = max(head.rfind(mark) for mark in "。！？")
    return (head[: end + 1] if end >= limit // 3 else head) + "…"


def _name(item: Evidence) -> str:
    """The record's title; a source document's with its page or article (p.3, 第5条（任期）)."""
    hit = item.hit
    if hit.kind != "source" or not hit.section:
        return shortened(hit.title, NAME_CHARS)
    where = shortened(hit.section, NAME_CHARS // 2)
    return f"{shortened(hit.title, NAME_CHARS - len(where) - 1)} {where}"


def _url(url: str | None) -> str | None:
    """A record's URL, when it is one a browser opens (http or https)."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _window(item: Evidence) -> str:
    """The citation's window (an Adaptive Card, as a string): the whole snippet, the question's
    terms bold, where in the record it is, and its source and date."""
    hit = item.hit
    body = [plain(f"{hit.title} › {item.where}", weight="Bolder"),
            {"type": "RichTextBlock", "inlines": _runs(hit.snippet, hit.marks)},
            plain(officials.source(hit.source, item.as_of), isSubtle=True, size="Small")]
    return json.dumps(card(body), ensure_ascii=False, separators=(",", ":"))


def citation(position: int, item: Evidence) -> dict:
    """One cited passage as a Teams citation (``Claim``), numbered ``position`` as in the text."""
    hit = item.hit
    keywords = [shortened(inert(word), KEYWORD_CHARS) for word in (item.where, item.as_of) if word]
    appearance = {"@type": "DigitalDocument", "name": inert(_name(item)), "abstract": inert(abstract(hit.snippet)),
                  "keywords": keywords[:KEYWORDS], "text": _window(item), "encodingFormat": CARD}
    url = _url(hit.url)
    if url:
        appearance["url"] = url
    return {"@type": "Claim", "position": position, "appearance": appearance}


def citations(claims: list[dict]) -> dict:
    """The message's one schema.org Message entity, holding its citations (and no AI label)."""
    return {"type": "https://schema.org/Message", "@type": "Message", "@context": "https://schema.org", "@id": "",
            "citation": claims}


def _cited(numbers: list[int]) -> str:
    return " ".join(f"[{n}]" for n in numbers)


def _case_line(case: CaseFact) -> str:
    return inert(officials.case_text(case.name, case.fact, case.quoted, case.as_of, case.source))


# -- answers ------------------------------------------------------------------------------------
def answer_text(view: View) -> tuple[str, list[Evidence]]:
    """The answer as the message text, and the passages its ``[n]`` cite (n = position in the list)."""
    cited = view.evidence[:CITATIONS]
    lines = [inert(line) for line in (view.heading, *view.readings, view.message, *view.lead) if line]
    said: set[int] = set()
    for case in view.cases:
        numbers = [n for n, item in enumerate(cited, 1) if case.record_id and item.hit.record_id == case.record_id]
        said.update(numbers)
        lines.append(" ".join(x for x in (_case_line(case), _cited(numbers)) if x))
    rest = [n for n in range(1, len(cited) + 1) if n not in said]
    if rest:
        lines.append(view.evidence_title + _cited(rest))
    if not view.table:  # under a table, the card says them after it
        lines += [inert(note) for note in view.footnotes]
    return "\n\n".join(lines), cited


def answer_message(shown: Shown, escalate: bool = False) -> dict:
    """An answer: its text with citation markers, the citations, Teams' 👍/👎 where the presenter
    offers feedback, and a card for the table and the other buttons when there are any."""
    view = present(shown, escalate=escalate, echo=True)
    text, cited = answer_text(view)
    body: list[dict] = []
    if view.table:
        body += table_blocks(view.table)
        body += [plain(note, isSubtle=True, size="Small") for note in view.footnotes]
    kinds = [button.kind for button in view.buttons]
    actions = [_submit(f"{b.icon} {b.label}" if b.icon else b.label, Action.about(b.kind, shown.answer, shown.carried))
               for b in view.buttons if b.kind not in ("up", "down")]  # Teams' own 👍/👎 are under the message
    return message(
        text,
        [card(body, actions)] if body or actions else [],
        text_format="markdown",
        entities=[citations([citation(n, item) for n, item in enumerate(cited, 1)])] if cited else [],
        channel_data=FEEDBACK_LOOP if "up" in kinds else None,
    )


# -- everything else ------------------------------------------------------------------------------
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


def escalation_message(forward: Forward, conversation: str) -> dict:
    return message(forward.question[:200], [escalation_card(forward, conversation)])


def help_card(reply: Help) -> dict:
    body = [plain(officials.WELCOME if reply.welcome else officials.HELP_TITLE, weight="Bolder", size="Medium"),
            plain(reply.text), plain(officials.TEAMS_USAGE, isSubtle=True)]
    return card(body, [_submit(q, Action(a="ask", q=q)) for q in reply.examples])


def render(reply: Reply, *, escalate: bool = False) -> dict:
    """The message activity for a reply (a Forward's notice; its question: escalation_message)."""
    if isinstance(reply, Shown):
        return answer_message(reply, escalate=escalate)
    if isinstance(reply, Help):
        return message(officials.WELCOME if reply.welcome else officials.HELP_TITLE, [help_card(reply)])
    if isinstance(reply, (Notice, Apology, Forward)):
        text = reply.notice if isinstance(reply, Forward) else reply.text
        return message(text[:200], [card([plain(text)])])
    raise TypeError(f"cannot render {type(reply).__name__}")
