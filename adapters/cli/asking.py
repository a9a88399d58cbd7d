"""Asking: `hosakan ask` (one question, a batch on stdin, a named conversation) and `chat`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Iterator, Optional

import typer
from rich.text import Text

from hosakan.adapters.cli.common import app, command_settings, open_live, out
from hosakan.adapters.console.render import render
from hosakan.bot import logs
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Asker, Question, contract_of
from hosakan.bot.sentences import cli_help, maintainers, officials

CHAT_LOG = "chat.log"  # in the data directory: where `chat` on a terminal logs, off the screen


def _questions(question: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, why it cannot be asked): the argument, or every line of stdin read as
    bytes, so that one line that is not UTF-8 costs that line and no other."""
    if question != "-":
        readable = not any("\ud800" <= c <= "\udfff" for c in question)  # bytes the shell could not decode
        yield 1, question if readable else None, None if readable else "unreadable"
        return
    for number, raw in enumerate(sys.stdin.buffer, 1):
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield number, None, "unreadable"
            continue
        yield number, text, None if text.strip() else "empty"


@app.command(help=cli_help.ASK)
def ask(
    question: Annotated[str, typer.Argument(help=cli_help.ASK_QUESTION)],
    as_json: Annotated[bool, typer.Option("--json", help=cli_help.ASK_JSON)] = False,
    conversation: Annotated[Optional[str], typer.Option("--conversation", help=cli_help.ASK_CONVERSATION)] = None,
) -> None:
    settings = command_settings()
    service = open_live(settings)
    talk = Conversation.recording(service) if conversation else Conversation(service)
    asker = Asker("cli", "cli", name="cli")
    where = f"cli:{conversation}" if conversation else ""
    try:
        for number, text, problem in _questions(question):
            if problem:
                message = officials.EMPTY if problem == "empty" else officials.UNREADABLE_LINE
                data = {"line": number, "question": None, "answered": False, "error": problem, "message": message}
                rendered = Text(maintainers.on_line(number, message) if question == "-" else message)
            else:
                reply = talk.ask(Question(text, asker, where))
                data = contract_of(reply, text)
                rendered = render(reply)
            if as_json:
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                out.print(rendered)
    finally:
        talk.close()


@app.command(help=cli_help.CHAT)
def chat(ctx: typer.Context) -> None:
    import logging

    from hosakan.adapters.console.app import chat as console_chat

    settings = command_settings()
    # the screen is for the conversation; logs go to a file
    if sys.stderr.isatty() and not (ctx.obj or {}).get("verbose"):
        logs.configure(logging.WARNING, settings.home / CHAT_LOG)
    talk = Conversation.recording(open_live(settings))
    talk.purge()
    try:
        console_chat(talk, out)
    finally:
        talk.close()
