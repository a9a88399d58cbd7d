"""Reply → what the web page shows: the JSON its script turns into the page (as text, never as
HTML), and the two pages the server writes itself (the chat's frame and the sign-in form), with
every piece of text escaped."""

from __future__ import annotations

import json
from html import escape

from hosakan.bot.chat.presenter import plain_text, present
from hosakan.bot.events import Apology, Forward, Help, Notice, Reply, Shown
from hosakan.bot.models import Answer
from hosakan.bot.sentences import http_replies


def reply_data(reply: Reply, kept: dict, contact: str) -> dict:
    """The JSON of a reply: ``kept`` (Conversation.keep) for an answer, else what was said instead."""
    if isinstance(reply, Shown):
        return answer_data(kept)
    if isinstance(reply, Help):
        return {"type": "help", "text": reply.text, "examples": list(reply.examples)}
    if isinstance(reply, Apology):
        return {"type": "apology", "text": reply.text, "error_id": reply.error_id}
    if isinstance(reply, Forward):
        return {"type": "notice", "text": http_replies.web_escalated(contact)}
    return {"type": "notice", "text": reply.text if isinstance(reply, Notice) else ""}


def answer_data(kept: dict) -> dict:
    """A kept answer as the page shows it, the same live and under its permalink: the presenter's
    view (bot/chat/presenter.py), the plain text the copy button copies, and the turns that led to it."""
    answer = Answer.from_contract(kept, more=kept.get("has_more", bool(kept.get("hits"))), page=kept.get("page") or 0)
    view = present(Shown(answer, first=kept.get("first") or 1), escalate=True)
    contract = {key: value for key, value in kept.items() if key not in ("carried", "has_more")}
    return {**contract, "type": "answer", "view": view.to_json(), "text": plain_text(view),
            "before": kept.get("before") or []}


def _document(title: str, body: str, *, script: bool) -> str:
    tail = '<script src="/static/hosakan.js" defer></script>' if script else ""
    return ("<!doctype html>\n"
            '<html lang="ja"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><link rel="stylesheet" href="/static/hosakan.css">'
            f'<link rel="icon" href="/static/icon.svg" type="image/svg+xml">{tail}</head>'
            f"<body>{body}</body></html>\n")


def _header(signed_in: bool) -> str:
    sign_out = (f'<form method="post" action="/signout" class="sign-out">'
                f'<button type="submit">{escape(http_replies.WEB_SIGN_OUT)}</button></form>') if signed_in else ""
    return (f'<header class="top"><div class="inner"><h1><a href="/">{escape(http_replies.WEB_TITLE)}</a></h1>'
            f"{sign_out}</div></header>")


def chat_page(examples: tuple[str, ...], *, signed_in: bool) -> str:
    """The chat's frame: the script fills the conversation in (/ and /a/<id> are this page)."""
    labels = json.dumps(http_replies.WEB_LABELS, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026")
    label = http_replies.WEB_LABELS
    example_items = "".join(f'<li><button type="button" class="example">{escape(q)}</button></li>' for q in examples)
    body = (
        _header(signed_in)
        + '<main class="inner">'
        f'<p class="tagline">{escape(http_replies.WEB_TAGLINE)}</p>'
        f'<noscript><p class="notice">{escape(http_replies.WEB_NOSCRIPT)}</p></noscript>'
        f'<section class="examples" aria-labelledby="examples-heading"><h2 id="examples-heading">'
        f'{escape(http_replies.WEB_EXAMPLES)}</h2><ul>{example_items}</ul></section>'
        f'<div id="log" class="log" role="log" aria-live="polite" aria-label="{escape(label["conversation"])}"></div>'
        '<p id="status" class="status" role="status"></p>'
        '<form id="ask" class="ask">'
        f'<label for="question">{escape(label["question"])}</label>'
        f'<div class="row"><textarea id="question" name="question" rows="2" maxlength="2000" required '
        f'aria-describedby="keys" placeholder="{escape(label["placeholder"])}"></textarea>'
        f'<button type="submit" class="send">{escape(label["send"])}</button></div>'
        f'<p id="keys" class="keys">{escape(label["keys"])}</p>'
        f'<button type="button" id="new-conversation" class="quiet">{escape(label["new_conversation"])}</button>'
        "</form></main>"
        f'<script type="application/json" id="labels">{labels}</script>'
    )
    return _document(http_replies.WEB_TITLE, body, script=True)


def sign_in_page(problem: str | None = None, *, back: str = "/") -> str:
    """The sign-in form (a plain form: it works without the script)."""
    said = f'<p class="notice" role="alert">{escape(problem)}</p>' if problem else ""
    body = (
        _header(False)
        + '<main class="inner sign-in">'
        f"<h2>{escape(http_replies.WEB_SIGN_IN)}</h2><p>{escape(http_replies.WEB_SIGN_IN_LEAD)}</p>{said}"
        f'<form method="post" action="/signin{escape("?next=" + back) if back != "/" else ""}">'
        f'<label for="code">{escape(http_replies.WEB_CODE)}</label>'
        '<input id="code" name="code" type="password" autocomplete="current-password"'
        ' required maxlength="200" autofocus>'
        f'<button type="submit" class="send">{escape(http_replies.WEB_SIGN_IN)}</button>'
        "</form></main>"
    )
    return _document(f"{http_replies.WEB_SIGN_IN} — {http_replies.WEB_TITLE}", body, script=False)


def message_page(text: str) -> str:
    """A page that only says why it cannot be shown (no user from the proxy, not found)."""
    body = _header(False) + f'<main class="inner"><p class="notice" role="alert">{escape(text)}</p></main>'
    return _document(http_replies.WEB_TITLE, body, script=False)
