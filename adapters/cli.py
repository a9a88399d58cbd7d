"""The `hosakan` command line: ask, chat, index, validate, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from adapters.console import render_answer
from bot.evaluation import DEFAULT_QUESTIONS, evaluate, load_questions
from bot.service import Hosakan, help_text, is_help
from bot.settings import Settings, get_settings
from indexer.build import BuildFailed, build
from indexer.store import is_stale, read_manifest
from knowledge.loader import Problem, load

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Hosakan: cited answers about municipal CIO/CDO cases.")
out = Console()
err = Console(stderr=True)

EXIT_WORDS = {"exit", "quit", "q", "終了", "おわり"}
MORE_WORDS = {"more", "他の候補", "ほかの候補", "次"}


def _report_problems(problems: list[Problem]) -> None:
    """One line per problem, `file: field: what is wrong`, never wrapped (editors can jump to it)."""
    err.print(f"[red]{len(problems)} problem(s) in the records:[/red]")
    for problem in problems:
        line = Text(str(problem.path), style="cyan")
        line.append(": ").append(problem.field, style="magenta").append(f": {problem.message}")
        err.print(line, soft_wrap=True)


def _build(settings: Settings, console: Console) -> None:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("indexing passages", total=None)
        summary = build(settings.knowledge_dir, settings.index_dir,
                        on_start=lambda total: progress.update(task, total=total),
                        progress=lambda done: progress.update(task, completed=done))
    console.print(
        f"[green]Index built[/green]: {summary.records} records, {summary.passages} passages "
        f"in {summary.seconds:.2f} s ({summary.passages_per_second:,.0f} passages/s) → {summary.generation}"
    )


def _open(settings: Settings) -> Hosakan:
    """The live index, built first when there is none yet."""
    if read_manifest(settings.index_dir) is None:
        err.print("No index yet; building it first.")
        try:
            _build(settings, err)
        except BuildFailed as failure:
            _report_problems(failure.problems)
            raise typer.Exit(1)
    elif is_stale(settings.knowledge_dir, settings.index_dir):
        err.print("[yellow]The records changed since the index was built; run `hosakan index` to refresh.[/yellow]")
    return Hosakan(settings)


@app.command()
def index(
    if_stale: Annotated[bool, typer.Option("--if-stale", help="Build only when the records changed.")] = False,
) -> None:
    """Build the index from the records and swap it in atomically."""
    settings = get_settings()
    if if_stale and not is_stale(settings.knowledge_dir, settings.index_dir):
        manifest = read_manifest(settings.index_dir)
        out.print(f"Index is up to date ({manifest['records']} records, {manifest['passages']} passages).")
        return
    try:
        _build(settings, out)
    except BuildFailed as failure:
        _report_problems(failure.problems)
        err.print("[red]Index not rebuilt[/red]; the previous index (if any) keeps serving.")
        raise typer.Exit(1)


@app.command()
def validate() -> None:
    """Check every record and report every problem at once."""
    settings = get_settings()
    base = load(settings.knowledge_dir)
    if base.problems:
        _report_problems(base.problems)
        raise typer.Exit(1)
    out.print(f"[green]All {len(base.records)} records are valid[/green] ({settings.knowledge_dir}).")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one question a line from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per question.")] = False,
) -> None:
    """Answer a question with cited snippets."""
    bot = _open(get_settings())
    questions = (line.rstrip("\n") for line in sys.stdin) if question == "-" else iter([question])
    for text in questions:
        if question == "-" and not text.strip():
            continue
        answer = bot.ask(text)
        if as_json:
            sys.stdout.write(json.dumps(answer.contract(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            out.print(render_answer(answer))


@app.command()
def chat() -> None:
    """A local console chat: type questions, `help`, `more` for other candidates, `exit` to leave."""
    bot = _open(get_settings())
    out.print(Text(help_text()), style="dim")
    last = None
    while True:
        try:
            text = out.input("[bold cyan]質問> [/bold cyan]")
        except (EOFError, KeyboardInterrupt):
            out.print()
            break
        words = text.strip().lower()
        if words in EXIT_WORDS:
            break
        if not words:
            continue
        if is_help(text):
            out.print(Text(help_text()))
            continue
        if words in MORE_WORDS:
            if last is None or not last.more:
                out.print("他の候補はありません。")
            else:
                out.print(render_answer(last.model_copy(update={"hits": last.more, "more": [], "direct_answer": None, "message": None})))
            continue
        last = bot.ask(text)
        out.print(render_answer(last))
        out.print(Text(f"（{last.elapsed_ms:.0f} ms）", style="dim"))


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Address to listen on (HOSAKAN_HOST).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (HOSAKAN_PORT).")] = None,
) -> None:
    """Serve the chat platforms: Slack (/slack/events or Socket Mode) and /healthz."""
    import asyncio
    import logging

    from adapters.server import Server

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    updates = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = settings.model_copy(update=updates)
    server = Server(settings, _open(settings))
    for platform in server.platforms:
        state = "[green]on[/green]" if platform.mode != "off" else "[yellow]off[/yellow]"
        out.print(f"{platform.name}: {state} — {platform.why}")
    out.print(f"Listening on http://{settings.host}:{settings.port} (/healthz)")
    try:
        asyncio.run(server.run_forever())
    except KeyboardInterrupt:
        out.print("Stopped.")


@app.command(name="teams-package")
def teams_package(
    output: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path("var/hosakan-teams.zip"),
) -> None:
    """Write the Teams app package (manifest.json + icons) from the settings."""
    from adapters.teams.package import PackageError, write_package

    try:
        path = write_package(get_settings(), output)
    except PackageError as error:
        err.print(f"[red]Cannot build the Teams package[/red]: {error}")
        raise typer.Exit(1)
    out.print(f"Teams app package written to {path} — upload it in Teams (Apps → Manage your apps → Upload an app).")


@app.command(name="eval")
def evaluate_command(
    questions: Annotated[Path, typer.Option(help="The question set (YAML).")] = DEFAULT_QUESTIONS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    min_recall3: Annotated[Optional[float], typer.Option(help="Exit 1 when overall Recall@3 is below this.")] = None,
    show_failures: Annotated[bool, typer.Option("--failures", help="List the questions missed at 3.")] = False,
) -> None:
    """Score the retriever: Recall@1, Recall@3, MRR and abstain accuracy per kind."""
    bot = _open(get_settings())
    report = evaluate(bot.retriever, load_questions(questions))
    rows = {**report.by_kind(), "overall": report.overall()}
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=f"Hosakan eval ({questions.name})")
        for column in ("kind", "questions", "Recall@1", "Recall@3", "MRR", "abstain acc."):
            table.add_column(column, justify="right" if column != "kind" else "left")
        for kind, row in rows.items():
            table.add_row(kind, str(row["questions"]), f"{row['recall@1']:.3f}", f"{row['recall@3']:.3f}",
                          "-" if row["mrr"] is None else f"{row['mrr']:.3f}",
                          "-" if row["abstain_accuracy"] is None else f"{row['abstain_accuracy']:.3f}",
                          style="bold" if kind == "overall" else None)
        out.print(table)
    if show_failures:
        for outcome in report.failures():
            err.print(Text(f"missed [{outcome.question.kind}] {outcome.question.q} → answered={outcome.answer.answered}"))
    if min_recall3 is not None and rows["overall"]["recall@3"] < min_recall3:
        err.print(f"[red]Recall@3 {rows['overall']['recall@3']:.3f} is below {min_recall3}[/red]")
        raise typer.Exit(1)


def main() -> None:
    app()
