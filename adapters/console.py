"""Answers for a terminal: rich renderables built from Text objects, so nothing from a record or
a question is ever read as markup."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from bot.models import Answer, Hit


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
    parts = [head, Text("   ") + snippet_text(hit), Text(f"   出典：{hit.source}、{hit.as_of}", style="dim")]
    if hit.url:
        parts.append(Text(f"   {hit.url}", style="blue underline"))
    return Group(*parts)


def render_answer(answer: Answer) -> Group:
    parts = []
    if answer.understood:
        parts.append(Text(answer.understood, style="italic cyan"))
    if answer.message:
        parts.append(Panel(Text(answer.message), border_style="yellow", title="Hosakan"))
    if answer.direct_answer:
        parts.append(Panel(Text(answer.direct_answer), border_style="green", title="回答"))
    if answer.hits:
        parts.append(Text("参考になりそうな候補：" if not answer.answered else "根拠：", style="bold"))
        parts.extend(render_hit(i, hit) for i, hit in enumerate(answer.hits, 1))
    return Group(*parts)
