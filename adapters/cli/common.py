"""What every `hosakan` command shares: the Typer app and its --home/--verbose options, the two
consoles, the settings of a command run by the data directory's owner, building the index with a
progress bar, and the problems printed one a line."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from hosakan.bot import logs
from hosakan.bot.operations.home import foreign_owner
from hosakan.bot.sentences import cli_help, maintainers, officials
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings, get_settings
from hosakan.indexer.build import BuildFailed, build, disk_full
from hosakan.indexer.store import is_stale, read_manifest
from hosakan.knowledge.files import shown
from hosakan.knowledge.loader import Problem

app = typer.Typer(add_completion=False, no_args_is_help=True, help=cli_help.HOSAKAN)
# into a pipe or a log file a line stays one line, however long (rich would break it at 80 columns)
out = Console(soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, soft_wrap=not sys.stderr.isatty())



@app.callback()
def _everywhere(
    ctx: typer.Context,
    data_home: Annotated[Optional[Path], typer.Option("--home", help=cli_help.HOME)] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=cli_help.VERBOSE)] = False,
) -> None:
    """Log lines (warnings and errors here; `serve` logs more) as JSON on stderr."""
    import logging

    if data_home is not None:
        os.environ["HOSAKAN_HOME"] = str(data_home)
    ctx.obj = {"verbose": verbose}
    logs.configure(logging.WARNING)


def as_owner(*folders: Path) -> None:
    """Stop with one line when the data directory (or the index, wherever it is) belongs to another
    user: root running a command on the service's directory would leave files the service cannot write."""
    for folder in folders:
        owner = foreign_owner(folder)
        if owner is not None:
            err.print(Text(maintainers.wrong_user(str(folder), owner), style="red"), soft_wrap=True)
            raise typer.Exit(2)


def command_settings() -> Settings:
    """The settings, for a command run by the data directory's own user."""
    settings = get_settings()
    as_owner(settings.home, settings.index_dir)
    return settings


def records_here(settings: Settings) -> None:
    """Stop with what to do when there is no knowledge folder yet (a fresh install)."""
    if not settings.knowledge_dir.is_dir():
        err.print(Text(maintainers.no_knowledge(str(settings.knowledge_dir))), soft_wrap=True)
        raise typer.Exit(2)


def rebuild_or_exit(settings: Settings) -> None:
    """Build the index after the records changed under it; stop with the records' problems."""
    try:
        build_index(settings, out)
    except BuildFailed as failure:
        report_problems(failure.problems)
        raise typer.Exit(1) from None


def report_problems(problems: list[Problem]) -> None:
    """One line per problem, `file: field: what is wrong`, never wrapped (editors can jump to it);
    `file:line: …` where one line is to blame (its message quotes the line)."""
    err.print(Text(maintainers.problems_found(len(problems)), style="red"))
    for problem in problems:
        where = getattr(problem, "line", None)
        line = Text(f"{shown(problem.path)}:{where}" if where else shown(problem.path), style="cyan")
        line.append(": ").append(shown(problem.field), style="magenta").append(f": {shown(problem.message)}")
        err.print(line, soft_wrap=True)


@contextmanager
def build_progress(console: Console):
    """A build's progress bars (passages indexed, then vectors computed) on the console, as the
    keyword arguments ``indexer.build.build`` takes."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task(maintainers.INDEXING_PASSAGES, total=None)
        embedding = progress.add_task(maintainers.EMBEDDING["passages"], total=None, visible=False)

        def embedded(done: int, total: int, unit: str) -> None:
            progress.update(embedding, completed=done, total=total, description=maintainers.EMBEDDING[unit],
                            visible=True)

        yield progress, {"on_start": lambda total: progress.update(task, total=total),
                         "progress": lambda done: progress.update(task, completed=done), "on_embed": embedded}


def build_index(settings: Settings, console: Console, full: bool = False, wait: float = 600.0) -> None:
    with build_progress(console) as (progress, follow):
        try:
            summary = build(settings.knowledge_dir, settings.index_dir, full=full, wait=wait,
                            **settings.build_options(), **follow,
                            on_wait=lambda: console.print(maintainers.BUILD_WAITING))
        except OSError as error:  # a full disk or an unwritable index folder: the live index keeps serving
            progress.stop()
            err.print(Text(maintainers.index_not_written(disk_full(error), error.strerror or str(error)),
                           style="red"), soft_wrap=True)
            raise typer.Exit(1) from None
    if summary.mode == "unchanged":
        console.print(Text(officials.reindex_unchanged(summary.generation.name, summary.records, summary.passages)))
        report_skipped(summary.skipped)
        return
    for label, names in (("added", summary.added), ("changed", summary.changed), ("removed", summary.removed)):
        for name in names:
            console.print(Text(maintainers.build_change(label, shown(name))))
    console.print(Text(maintainers.built(summary.mode, summary.records, summary.passages, summary.seconds,
                                      str(summary.generation)), style="green"))
    if summary.resumed:
        console.print(Text(maintainers.vectors_resumed(summary.resumed, summary.embedded)))
    if summary.sources:
        console.print(Text(maintainers.sources_indexed(summary.sources)))
    report_skipped(summary.skipped)


def report_skipped(problems: list[Problem]) -> None:
    """Source documents that could not be read: named with why, left out; the rest is indexed."""
    if problems:
        err.print(Text(maintainers.sources_skipped(len(problems)), style="yellow"))
        for problem in problems:
            err.print(Text(shown(problem.path), style="cyan").append(f": {shown(problem.message)}"), soft_wrap=True)


def open_live(settings: Settings) -> LiveIndex:
    """The live index, built first when there is none yet."""
    records_here(settings)
    if read_manifest(settings.index_dir) is None:
        err.print(maintainers.BUILDING_FIRST)
        try:
            build_index(settings, err)
        except BuildFailed as failure:
            report_problems(failure.problems)
            raise typer.Exit(1) from None
    elif is_stale(settings.knowledge_dir, settings.index_dir):
        err.print(Text(maintainers.INDEX_STALE, style="yellow"))
    return LiveIndex(settings)
