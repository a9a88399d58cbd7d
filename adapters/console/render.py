"""Replies for a terminal: rich renderables built from Text objects, so nothing from a record or a
question is ever read as markup. Japanese is wrapped by display width with line-breaking rules
(adapters/console/wrap.py), every continuation line indented under its item. Tables are rich Tables."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from hosakan.adapters.console.wrap import Wrapped
from hosakan.bot import messages
from hosakan.bot.events import Apology, Forward, Help, Notice, Reply, Shown
from hosakan.bot.presenter import CaseFact, Evidence, TableView, View, present

INDENT = 3


def _item(text: Text, indent: int = INDENT, first: int | None = None) -> Wrapped:
    return Wrapped(text, indent=indent, first_indent=indent if first is None else first)


def render_evidence(item: Evidence) -> Group:
    hit = item.hit
    number = f"{item.number}. "
    head = Text(number, style="bold")
    head.append(hit.title, style="bold")
    head.append(f" › {item.where}", style="cyan")
    snippet = Text(hit.snippet)
    for start, end in hit.marks:
        snippet.stylize("bold yellow", start, end)
    parts = [_item(head, len(number), 0), _item(snippet),
             _item(Text(messages.source(hit.source, item.as_of), style="dim"))]
    if hit.url:
        parts.append(Text(" " * INDENT + hit.url, style="blue underline", overflow="fold"))
    return Group(*parts)


def render_case(case: CaseFact) -> Group:
    name = Text("■ ", style="green")
    name.append(case.name, style="bold")
    fact = Text(f"「{case.fact}」" if case.quoted else case.fact)
    cited = "、".join(x for x in (case.source and messages.source(case.source), case.as_of) if x)
    parts = [name, _item(fact, 2)]
    if cited:
        parts.append(_item(Text(cited, style="dim"), 2))
    return Group(*parts)


def render_table(view: TableView) -> Group:
    table = view.table
    grid = RichTable(title=Text(table.title), title_justify="left", show_lines=True)
    for column in table.columns:
        grid.add_column(_item(Text(column), 0))
    for row in table.rows:
        grid.add_row(*(_item(Text(cell), 0) for cell in row))
    notes = [_item(Text(note, style="dim"), 0) for note in (view.basis, *view.sources) if note]
    return Group(grid, *notes)


def render_view(view: View) -> Group:
    parts: list[RenderableType] = []
    if view.heading:
        parts.append(_item(Text(view.heading, style="bold"), 0))
    parts += [_item(Text(note, style="italic cyan"), 0) for note in view.readings]
    if view.message:
        parts.append(Panel(_item(Text(view.message), 0), border_style="yellow", title="Hosakan"))
    if view.has_answer:
        body: list[RenderableType] = [_item(Text(line), 0) for line in view.lead]
        body += [render_case(case) for case in view.cases]
        parts.append(Panel(Group(*body), border_style="green", title=messages.ANSWER))
    if view.table:
        parts.append(render_table(view.table))
    if view.evidence:
        parts.append(Text(view.evidence_title, style="bold"))
        parts.extend(render_evidence(item) for item in view.evidence)
    parts += [_item(Text(note, style="dim"), 2, 0) for note in view.footnotes]
    return Group(*parts)


def render(reply: Reply, *, interactive: bool = False) -> RenderableType:
    """A reply for the terminal; ``interactive`` (hosakan chat) says how to see more candidates."""
    if isinstance(reply, Shown):
        view = present(reply, escalate=False)
        shown = render_view(view)
        if interactive and any(b.kind == "more" for b in view.buttons):
            return Group(shown, Text(messages.CONSOLE_MORE, style="dim"))
        return shown
    if isinstance(reply, Help):
        return _item(Text(f"{reply.text}\n{messages.CONSOLE_COMMANDS}", style="dim"), 0)
    if isinstance(reply, Forward):
        return _item(Text(reply.notice), 0)
    if isinstance(reply, (Notice, Apology)):
        return _item(Text(reply.text), 0)
    raise TypeError(f"cannot render {type(reply).__name__}")
