"""Replies for a terminal: rich renderables built from Text objects, so nothing from a record or a
question is ever read as markup. Japanese is wrapped by display width with line-breaking rules
(adapters/console/wrap.py), every continuation line indented under its item. Tables are rich Tables.
An answer is drawn as ``parts`` in order, so that hosakan chat can fold it to the terminal's height
(adapters/console/fold.py) by whole cases, table rows and passages."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from hosakan.adapters.console.wrap import Wrapped
from hosakan.bot.chat.presenter import CaseFact, Evidence, TableView, View, present
from hosakan.bot.events import Apology, Forward, Help, Notice, Reply, Shown
from hosakan.bot.sentences import officials

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
             _item(Text(officials.source(hit.source, item.as_of), style="dim"))]
    if hit.url:
        parts.append(Text(" " * INDENT + hit.url, style="blue underline", overflow="fold"))
    return Group(*parts)


def render_case(case: CaseFact) -> Group:
    name = Text("■ ", style="green")
    name.append(case.name, style="bold")
    fact = Text(f"「{case.fact}」" if case.quoted else case.fact)
    cited = "、".join(x for x in (case.source and officials.source(case.source), case.as_of) if x)
    parts = [name, _item(fact, 2)]
    if cited:
        parts.append(_item(Text(cited, style="dim"), 2))
    return Group(*parts)


def render_table(view: TableView, rows: list[list[str]] | None = None, continued: bool = False) -> Group:
    """The table, or only ``rows`` of it; the notes go under its first part, a later part is
    titled as the table's continuation."""
    table = view.table
    title = table.title + (officials.CONTINUED if continued else "")
    grid = RichTable(title=Text(title), title_justify="left", show_lines=True)
    for column in table.columns:
        grid.add_column(_item(Text(column), 0))
    for row in table.rows if rows is None else rows:
        grid.add_row(*(_item(Text(cell), 0) for cell in row))
    notes = [] if continued else [_item(Text(note, style="dim"), 0) for note in (view.basis, *view.sources) if note]
    return Group(grid, *notes)


@dataclass(frozen=True)
class Part:
    """One piece of a reply on the terminal, in the order shown. A part with ``items`` (the
    answer's cases, a table's rows, the evidence) can be drawn with only some of them, so that a
    long answer folds to the terminal's height: ``draw(items, continued)``, where ``continued`` says
    the first items were shown before. ``keep``: always on the first screen (the direct answer),
    with at least ``least`` items. ``kind`` names what is left for the note that says so."""

    draw: Callable[[list, bool], RenderableType]
    items: tuple = ()
    kind: str = ""  # cases | rows | evidence; "" for a part drawn whole
    keep: bool = False
    least: int = 0
    continued: bool = False

    def rest(self, shown: int, drawn: bool) -> "Part":
        """The items after the first ``shown``; ``drawn``: the part was begun (drawn with some
        items, or the answer's lead alone), so the rest goes on as its continuation."""
        return replace(self, items=self.items[shown:], keep=False, least=0, continued=self.continued or drawn)


def _answer_panel(view: View, cases: list[CaseFact], continued: bool) -> Panel:
    body: list[RenderableType] = [] if continued else [_item(Text(line), 0) for line in view.lead]
    body += [render_case(case) for case in cases]
    title = officials.ANSWER + (officials.CONTINUED if continued else "")
    return Panel(Group(*body), border_style="green", title=title)


def _evidence(view: View, items: list[Evidence], continued: bool) -> Group:
    title = view.evidence_title
    if continued:
        title = title.rstrip("：:") + officials.CONTINUED + "："
    return Group(Text(title, style="bold"), *(render_evidence(item) for item in items))


def parts(view: View) -> list[Part]:
    """The view as the parts a terminal shows, in order: what always shows (the heading, how the
    question was read, the message, the direct answer), then the table, the evidence, the notes."""
    head: list[RenderableType] = []
    if view.heading:
        head.append(_item(Text(view.heading, style="bold"), 0))
    head += [_item(Text(note, style="italic cyan"), 0) for note in view.readings]
    if view.message:
        head.append(Panel(_item(Text(view.message), 0), border_style="yellow", title="Hosakan"))
    found: list[Part] = []
    if head:
        found.append(Part(lambda items, continued: Group(*head), keep=True))
    if view.has_answer:
        found.append(Part(lambda cases, continued: _answer_panel(view, list(cases), continued), tuple(view.cases),
                          "cases", keep=True, least=0 if view.lead else 1))
    if view.table:
        table = view.table
        found.append(Part(lambda rows, continued: render_table(table, list(rows), continued),
                          tuple(table.table.rows), "rows"))
    if view.evidence:
        found.append(Part(lambda items, continued: _evidence(view, list(items), continued), tuple(view.evidence),
                          "evidence"))
    if view.footnotes:
        notes = [_item(Text(note, style="dim"), 2, 0) for note in view.footnotes]
        found.append(Part(lambda items, continued: Group(*notes)))
    return found


def render_view(view: View) -> Group:
    return Group(*(part.draw(list(part.items), False) for part in parts(view)))


def render(reply: Reply, *, interactive: bool = False) -> RenderableType:
    """A reply for the terminal; ``interactive`` (hosakan chat) says how to see more candidates."""
    if isinstance(reply, Shown):
        view = present(reply, escalate=False)
        shown = render_view(view)
        if interactive and any(b.kind == "more" for b in view.buttons):
            return Group(shown, Text(officials.CONSOLE_MORE, style="dim"))
        return shown
    if isinstance(reply, Help):
        return _item(Text(f"{reply.text}\n{officials.CONSOLE_COMMANDS}", style="dim"), 0)
    if isinstance(reply, Forward):
        return _item(Text(reply.notice), 0)
    if isinstance(reply, (Notice, Apology)):
        return _item(Text(reply.text), 0)
    raise TypeError(f"cannot render {type(reply).__name__}")
