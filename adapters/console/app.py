"""`hosakan chat`: the conversation in a terminal. Line editing and history (arrow keys, an IME's
input) come from prompt_toolkit when stdin is a terminal; piped input is read line by line. The
console user is an admin; the session is one conversation, so follow-ups work as in a thread. On a
terminal an answer folds to the window's height (adapters/console/fold.py): 「もっと」 shows the rest
of it first, then the next candidates."""

from __future__ import annotations

import sys
import uuid
from typing import Callable

from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory
from rich.console import Console
from rich.text import Text

from hosakan.adapters.console.fold import Pager, echo_lines
from hosakan.adapters.console.render import render
from hosakan.bot.chat.conversation import Conversation, asks_for_more, asks_to_exit
from hosakan.bot.chat.presenter import present
from hosakan.bot.events import Asker, Question, Shown

PROMPT = "質問> "


def reader(console: Console) -> Callable[[], str]:
    """One line of input: prompt_toolkit on a terminal (history in memory only: question text
    never lands in a file), plain lines otherwise."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        session: PromptSession = PromptSession(history=InMemoryHistory())
        return lambda: session.prompt(PROMPT)
    return lambda: console.input(PROMPT)


def chat(conversation: Conversation, console: Console, read: Callable[[], str] | None = None) -> None:
    asker = Asker("console", "console", is_admin=True, name="console")
    where = f"console:{uuid.uuid4().hex}"
    read = read or reader(console)
    pager = Pager(console)
    console.print(render(conversation.help(asker)))
    while True:
        try:
            text = read()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if asks_to_exit(text):
            break
        if not text.strip():
            continue
        pager.measure()
        asked = echo_lines(console.size.width, PROMPT, text)
        if pager.folded and asks_for_more(text):  # the rest of the answer on the screen, then other candidates
            console.print(pager.next(asked))
            continue
        reply = conversation.ask(Question(text, asker, where))
        if isinstance(reply, Shown):
            view = present(reply, escalate=False)
            elapsed = Text(f"（{reply.answer.elapsed_ms:.0f} ms）", style="dim")
            console.print(pager.show(view, [elapsed], asked))
        else:
            pager.clear()
            console.print(render(reply, interactive=True))
