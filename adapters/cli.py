"""The `hosakan` command line: ask, chat, index, validate, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from adapters.console.render import render
from bot import logs, messages
from bot.conversation import Conversation
from bot.evaluation import DEV_QUESTIONS, evaluate, load_questions
from bot.events import Asker, Question, contract_of
from bot.history import History
from bot.service import Hosakan
from bot.settings import Settings, get_settings, load_settings
from indexer.build import BuildBusy, BuildFailed, build
from indexer.store import current_generation, is_stale, read_manifest
from knowledge.loader import Problem, load

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Hosakan: cited answers about municipal CIO/CDO cases.")
out = Console()
err = Console(stderr=True)



@app.callback()
def _everywhere(
    data_home: Annotated[Optional[Path], typer.Option(
        "--home", help="The data directory (HOSAKAN_HOME): knowledge, index, database, salt, .env.")] = None,
) -> None:
    """Log lines (warnings and errors here; `serve` logs more) as JSON on stderr."""
    import logging
    import os

    if data_home is not None:
        os.environ["HOSAKAN_HOME"] = str(data_home)
    logs.configure(logging.WARNING)


def _records_here(settings: Settings) -> None:
    """Stop with what to do when there is no knowledge folder yet (a fresh install)."""
    if not settings.knowledge_dir.is_dir():
        err.print(Text(messages.no_knowledge(str(settings.knowledge_dir))), soft_wrap=True)
        raise typer.Exit(2)


@app.command()
def init(
    directory: Annotated[Optional[Path], typer.Argument(
        metavar="[DIR]", help="The data directory to create (default: HOSAKAN_HOME, or ~/.local/share/hosakan).")] = None,
) -> None:
    """Create the data directory: the bundled records as a starting knowledge base, a .env to
    fill in, and the index."""
    import os

    from bot.home import copy_bundled_records, home

    if directory is not None:
        os.environ["HOSAKAN_HOME"] = str(directory)
    place = home()
    if place.checkout:
        out.print(Text(messages.init_in_checkout(str(place.knowledge))), soft_wrap=True)
        return
    place.root.mkdir(parents=True, exist_ok=True)
    copied = copy_bundled_records(place.knowledge)
    if not place.env_file.exists():
        place.env_file.write_text(messages.ENV_TEMPLATE, encoding="utf-8")
        place.env_file.chmod(0o600)
    settings = get_settings()
    _records_here(settings)
    try:
        _build(settings, out)
    except BuildFailed as failure:
        _report_problems(failure.problems)
        raise typer.Exit(1)
    out.print(Text(messages.initialised(str(place.root), copied, directory is not None)), soft_wrap=True)


def _report_problems(problems: list[Problem]) -> None:
    """One line per problem, `file: field: what is wrong`, never wrapped (editors can jump to it)."""
    err.print(f"[red]{len(problems)} problem(s) in the records:[/red]")
    for problem in problems:
        line = Text(str(problem.path), style="cyan")
        line.append(": ").append(problem.field, style="magenta").append(f": {problem.message}")
        err.print(line, soft_wrap=True)


def _build(settings: Settings, console: Console, full: bool = False, wait: float = 600.0) -> None:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("indexing passages", total=None)
        embedding = progress.add_task("embedding passages", total=None, visible=False)
        summary = build(settings.knowledge_dir, settings.index_dir,
                        on_start=lambda total: progress.update(task, total=total),
                        progress=lambda done: progress.update(task, completed=done), full=full, wait=wait,
                        semantic=settings.semantic, max_record_bytes=settings.max_record_bytes,
                        on_embed=lambda done, total: progress.update(embedding, completed=done, total=total, visible=True),
                        on_wait=lambda: console.print("Another `hosakan index` is running; waiting for it to finish…"))
    if summary.mode == "unchanged":
        console.print(f"Nothing changed; still serving {summary.generation.name} "
                      f"({summary.records} records, {summary.passages} passages).")
        return
    for label, names in (("added", summary.added), ("changed", summary.changed), ("removed", summary.removed)):
        for name in names:
            console.print(f"  {label}: {name}")
    console.print(
        f"[green]Index built ({summary.mode})[/green]: {summary.records} records, {summary.passages} passages "
        f"in {summary.seconds:.2f} s → {summary.generation}"
    )


def _open(settings: Settings) -> Hosakan:
    """The live index, built first when there is none yet."""
    _records_here(settings)
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
    full: Annotated[bool, typer.Option("--full", help="Rebuild everything, not only what changed.")] = False,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Fail at once if another build is running.")] = False,
) -> None:
    """Build the index from the records (only what changed, when that is faster) and swap it in atomically."""
    settings = get_settings()
    _records_here(settings)
    if if_stale and not full and not is_stale(settings.knowledge_dir, settings.index_dir):
        manifest = read_manifest(settings.index_dir)
        out.print(f"Index is up to date ({manifest['records']} records, {manifest['passages']} passages).")
        return
    try:
        _build(settings, out, full=full, wait=0 if no_wait else 600)
    except BuildFailed as failure:
        _report_problems(failure.problems)
        err.print("[red]Index not rebuilt[/red]; the previous index (if any) keeps serving.")
        raise typer.Exit(1)
    except BuildBusy as busy:
        err.print(f"[red]{busy}[/red]; try again when it has finished.")
        raise typer.Exit(2)


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="case, roundtable or reference")],
    record_id: Annotated[str, typer.Argument(metavar="ID", help="the new record's id, e.g. ozu-city-cdo-hosakan")],
) -> None:
    """Scaffold a record file with every field and a comment on what belongs in it."""
    from knowledge.scaffold import scaffold

    settings = get_settings()
    _records_here(settings)
    try:
        path = scaffold(settings.knowledge_dir, kind, record_id)
    except (ValueError, FileExistsError) as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(1)
    out.print(f"Created {path}. Fill it in, then run `hosakan validate`.")


@app.command()
def validate() -> None:
    """Check every record and report every problem at once."""
    settings = get_settings()
    _records_here(settings)
    base = load(settings.knowledge_dir, settings.max_record_bytes)
    if base.problems:
        _report_problems(base.problems)
        raise typer.Exit(1)
    out.print(f"[green]All {len(base.records)} records are valid[/green] ({settings.knowledge_dir}).")


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


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one question a line from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per question (per line read).")] = False,
    conversation: Annotated[Optional[str], typer.Option(
        "--conversation", help="Ask within this named conversation: follow-ups use what was asked before under "
                               "the same name (kept in HOSAKAN_DATABASE_URL).")] = None,
) -> None:
    """Answer a question with cited snippets. With -, every line of stdin gets exactly one answer
    (or an error object for an empty or unreadable line), in order."""
    settings = get_settings()
    service = _open(settings)
    talk = Conversation.recording(service) if conversation else Conversation(service)
    asker = Asker("cli", "cli", name="cli")
    where = f"cli:{conversation}" if conversation else ""
    try:
        for number, text, problem in _questions(question):
            if problem:
                message = messages.EMPTY if problem == "empty" else messages.UNREADABLE_LINE
                data = {"line": number, "question": None, "answered": False, "error": problem, "message": message}
                rendered = Text(f"{number}行目：{message}" if question == "-" else message)
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


@app.command()
def chat() -> None:
    """A local console chat: type questions and follow-ups, `help`, `more` / `もっと` for other
    candidates, `exit` to leave. The console user is an admin: `reindex`, `stats` and `gaps` work here."""
    from adapters.console.app import chat as console_chat

    talk = Conversation.recording(_open(get_settings()))
    talk.purge()
    try:
        console_chat(talk, out)
    finally:
        talk.close()


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Address to listen on (HOSAKAN_HOST).")] = None,
    port: Annotated[Optional[int], typer.Option(min=0, max=65535, help="Port (HOSAKAN_PORT).")] = None,
) -> None:
    """Serve Slack, Teams, the HTTP API, the web chat and /healthz on one port."""
    import asyncio
    import logging

    from adapters.server import Server

    logs.configure(logging.INFO)
    settings = get_settings()
    updates = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = settings.model_copy(update=updates)
    from adapters.api.settings import ApiSettings
    from adapters.slack.settings import SlackSettings
    from adapters.teams.settings import TeamsSettings
    from adapters.web.settings import WebSettings

    # every setting checked before anything opens
    slack, teams, api = load_settings(SlackSettings), load_settings(TeamsSettings), load_settings(ApiSettings)
    web = load_settings(WebSettings)
    server = Server(settings, Conversation.recording(_open(settings)), slack=slack, teams=teams, api=api, web=web)
    for platform in server.platforms:
        state = "[green]on[/green]" if platform.mode != "off" else "[yellow]off[/yellow]"
        out.print(f"{platform.name}: {state} — {platform.why}")
    out.print(f"semantic search: {server.bot.semantic_state()}")
    try:
        asyncio.run(server.run_forever(lambda port: out.print(f"Listening on http://{settings.host}:{port} (/healthz)"
                                                                 + (" — web chat at /" if server.web.mode != "off" else ""))))
    except KeyboardInterrupt:
        out.print("Stopped.")
    except OSError as error:  # the address is taken or not this machine's
        import errno

        why = {errno.EADDRINUSE: "ほかのプログラムが使っています", errno.EADDRNOTAVAIL: "このマシンのアドレスではありません",
               errno.EACCES: "権限がありません"}.get(error.errno, "開けません")
        err.print(Text(f"{settings.host}:{settings.port} で待ち受けできません（{why}）。"
                       "--host / --port（HOSAKAN_HOST / HOSAKAN_PORT）を変えてください。"), soft_wrap=True)
        raise typer.Exit(2)


@app.command(name="teams-package")
def teams_package(
    output: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path("var/hosakan-teams.zip"),
) -> None:
    """Write the Teams app package (manifest.json + icons) from the settings."""
    from adapters.teams.package import PackageError, write_package
    from adapters.teams.settings import TeamsSettings

    try:
        path = write_package(load_settings(TeamsSettings), output)
    except PackageError as error:
        err.print(f"[red]Cannot build the Teams package[/red]: {error}")
        raise typer.Exit(1)
    out.print(f"Teams app package written to {path} — upload it in Teams (Apps → Manage your apps → Upload an app).")


@app.command()
def report(
    days: Annotated[int, typer.Option(help="The period: the last N days.")] = 30,
    output_format: Annotated[str, typer.Option("--format", help="table, json or csv")] = "table",
    stale_months: Annotated[Optional[int], typer.Option(help="List records not reviewed for this long.")] = None,
    purge: Annotated[bool, typer.Option(help="Delete question text past the retention period first.")] = True,
) -> None:
    """What officials asked and could not find, the worst-rated answers, cited and never-cited
    records, and records due for review."""
    import csv

    from bot.report import build_report
    from indexer.store import load_snapshot

    settings = get_settings()
    history = History.from_settings(settings)
    if purge:
        history.purge()
    generation = current_generation(settings.index_dir)
    records = {r.id: r for r in load_snapshot(generation)[1]} if generation else {
        r.id: r for r in load(settings.knowledge_dir).records}
    result = build_report(history, records, days=days, stale_months=stale_months or settings.stale_review_months)
    if output_format == "json":
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["section", "item", "count", "detail"])
        writer.writerow(["summary", "asked", result.asked, ""])
        writer.writerow(["summary", "answered_share", f"{result.answered_share:.3f}", ""])
        for group in result.unanswered:
            writer.writerow(["unanswered", group.question, group.count, " / ".join(group.examples)])
        for row in result.worst_rated:
            writer.writerow(["worst_rated", row["question"], row["down"], f"up={row['up']}"])
        for record, count in result.most_cited:
            writer.writerow(["most_cited", record, count, ""])
        for record in result.never_cited:
            writer.writerow(["never_cited", record, 0, ""])
        for row in result.stale:
            writer.writerow(["stale", row["record"], "", row["reviewed"]])
        for row in result.escalated:
            writer.writerow(["escalated", row["question"], "", f"{row['at']} {row['platform']} {row['sent_to']}"])
        return
    if output_format != "table":
        err.print("[red]--format must be table, json or csv[/red]")
        raise typer.Exit(2)
    out.print(f"[bold]{days} days[/bold] to {result.until:%Y-%m-%d %H:%M} UTC: {result.asked} questions, "
              f"{result.answered_share:.0%} answered")
    sections = [
        ("Most frequent unanswered questions", ("question", "times", "also asked as"),
         [(g.question, str(g.count), " / ".join(g.examples[1:])) for g in result.unanswered]),
        ("Worst-rated answers", ("question", "👎", "👍"),
         [(r["question"], str(r["down"]), str(r["up"])) for r in result.worst_rated]),
        ("Most cited records", ("record", "citations"), [(r, str(n)) for r, n in result.most_cited]),
        ("Never cited", ("record",), [(r,) for r in result.never_cited]),
        ("担当者への質問 (asked for a maintainer)", ("question", "when (UTC)", "from", "sent to"),
         [(r["question"], r["at"], r["platform"], r["sent_to"]) for r in result.escalated]),
        (f"Not reviewed for {stale_months or settings.stale_review_months} months", ("record", "reviewed", "title"),
         [(r["record"], r["reviewed"], r["title"]) for r in result.stale]),
    ]
    for title, columns, rows in sections:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        if not rows:
            table.add_row(*(["—"] * len(columns)))
        out.print(table)


@app.command(name="eval")
def evaluate_command(
    questions: Annotated[Path, typer.Option(help="The question set (YAML); the development set about the bundled records by default.")] = DEV_QUESTIONS,
    stress: Annotated[bool, typer.Option("--stress", help="Score the stress set generated from the records instead: "
                                                            "every fact in every surface form, and near misses.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    min_recall3: Annotated[Optional[float], typer.Option(help="Exit 1 when overall Recall@3 is below this.")] = None,
    show_failures: Annotated[bool, typer.Option("--failures", help="List the questions missed at 3.")] = False,
) -> None:
    """Score the retriever: Recall@1, Recall@3, MRR and abstain accuracy per kind."""
    bot = _open(get_settings())
    if stress:
        from bot.stress import generate

        asked, name = generate(list(bot.index.records.values()), bot.index.glossary), "generated stress set"
    else:
        try:
            asked, name = load_questions(questions), questions.name
        except (OSError, ValueError, yaml.YAMLError) as error:
            err.print(Text(f"質問セットを読めません（{questions}）：{str(error).splitlines()[0]}"))
            raise typer.Exit(2)
    report = evaluate(bot.retriever, asked)
    rows = {**report.by_kind(), "overall": report.overall()}
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=f"Hosakan eval ({name})")
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
