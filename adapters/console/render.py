"""Replies for a terminal: rich renderables built from Text objects, so nothing from a record or a
question is ever read as markup. Tables are rich Tables."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from bot import messages
from bot.events import Apology, Forward, Help, Notice, Reply, Shown
from bot.models import Answer, Hit, Table


def snippet_text(hit: Hit) -> Text:
    text = Text(hit.snippet)
    for start, end in hit.marks:
        text.stylize("bold yellow", start, end)
    return text


def render_hit(number: int, hit: Hit) -> Group:
    head = Text(f"{number}. ", style="bold")
    head.append(hit.title, style="bold")
    head.append(f" › {hit.section}", style="cyan")
    if hit.speaker:
        head.append(f"（{hit.speaker}）", style="cyan")
    parts = [head, Text("   ") + snippet_text(hit), Text("   " + messages.source(hit.source, hit.as_of), style="dim")]
    if hit.url:
        parts.append(Text(f"   {hit.url}", style="blue underline"))
    return Group(*parts)


def render_table(table: Table) -> Group:
    grid = RichTable(title=Text(table.title), title_justify="left", show_lines=True)
    for column in table.columns:
        grid.add_column(Text(column), overflow="fold")
    for row in table.rows:
        grid.add_row(*(Text(cell) for cell in row))
    cited = "\n".join(f"{n}. {c}" for n, c in enumerate(table.citations, 1))
    notes = ((table.basis + "\n") if table.basis else "") + f"{messages.ROW_SOURCES}\n{cited}"
    return Group(grid, Text(notes, style="dim"))


def render_answer(answer: Answer, first: int = 1, title: str | None = None) -> Group:
    parts: list[RenderableType] = []
    if title:
        parts.append(Text(title, style="bold"))
    if answer.context:
        parts.append(Text(messages.context(answer.context), style="italic cyan"))
    if answer.understood:
        parts.append(Text(answer.understood, style="italic cyan"))
    if answer.message:
        parts.append(Panel(Text(answer.message), border_style="yellow", title="Hosakan"))
    if answer.direct_answer:
        parts.append(Panel(Text(answer.direct_answer), border_style="green", title=messages.ANSWER))
    if answer.table:
        parts.append(render_table(answer.table))
    if answer.hits:
        parts.append(Text(messages.EVIDENCE if answer.answered else messages.SUGGESTIONS, style="bold"))
        parts.extend(render_hit(i, hit) for i, hit in enumerate(answer.hits, first))
    return Group(*parts)


def render(reply: Reply) -> RenderableType:
    if isinstance(reply, Shown):
        answer = reply.answer
        title = (messages.more_title(answer.question, reply.first, reply.first + len(answer.hits) - 1)
                 if answer.page else None)
        return render_answer(answer, reply.first, title)
    if isinstance(reply, Help):
        return Text(f"{reply.text}\n{messages.CONSOLE_COMMANDS}", style="dim")
    if isinstance(reply, Forward):
        return Text(reply.notice)
    if isinstance(reply, (Notice, Apology)):
        return Text(reply.text)
    raise TypeError(f"cannot render {type(reply).__name__}")
