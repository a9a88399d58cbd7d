"""The records and the index: `hosakan index`, `new`, `draft` and `validate`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from hosakan.adapters.cli.common import (
    app,
    build_index,
    command_settings,
    err,
    out,
    records_here,
    report_problems,
    report_skipped,
)
from hosakan.bot.sentences import cli_help, maintainers
from hosakan.indexer import embeddings
from hosakan.indexer.build import BuildBusy, BuildFailed, unreadable_sources
from hosakan.indexer.store import is_stale, read_manifest
from hosakan.knowledge.loader import load


@app.command(help=cli_help.INDEX)
def index(
    if_stale: Annotated[bool, typer.Option("--if-stale", help=cli_help.INDEX_IF_STALE)] = False,
    full: Annotated[bool, typer.Option("--full", help=cli_help.INDEX_FULL)] = False,
    no_wait: Annotated[bool, typer.Option("--no-wait", help=cli_help.INDEX_NO_WAIT)] = False,
) -> None:
    settings = command_settings()
    records_here(settings)
    if if_stale and not full and not is_stale(settings.knowledge_dir, settings.index_dir):
        manifest = read_manifest(settings.index_dir)
        out.print(Text(maintainers.index_up_to_date(manifest["records"], manifest["passages"])))
        return
    try:
        build_index(settings, out, full=full, wait=0 if no_wait else 600)
    except BuildFailed as failure:
        report_problems(failure.problems)
        err.print(Text(maintainers.INDEX_NOT_REBUILT, style="red"))
        raise typer.Exit(1) from None
    except BuildBusy as busy:
        err.print(Text(maintainers.index_busy(str(busy)), style="red"))
        raise typer.Exit(2) from None
    except KeyboardInterrupt:  # Ctrl-C: the live index is untouched; vectors embedded so far are kept
        live = read_manifest(settings.index_dir) is not None
        err.print(Text(maintainers.INDEX_INTERRUPTED if live else maintainers.INDEX_INTERRUPTED_FIRST, style="yellow"))
        if (settings.index_dir / embeddings.CHECKPOINTS).exists():
            err.print(Text(maintainers.VECTORS_KEPT))
        raise typer.Exit(130) from None


@app.command(help=cli_help.NEW)
def new(
    kind: Annotated[str, typer.Argument(help=cli_help.NEW_KIND)],
    record_id: Annotated[str, typer.Argument(metavar="ID", help=cli_help.NEW_ID)],
) -> None:
    from hosakan.knowledge.scaffold import scaffold

    settings = command_settings()
    records_here(settings)
    try:
        path = scaffold(settings.knowledge_dir, kind, record_id)
    except (ValueError, FileExistsError) as error:
        err.print(Text(str(error), style="red"))
        raise typer.Exit(1) from None
    out.print(Text(maintainers.record_created(str(path))))


@app.command(help=cli_help.DRAFT)
def draft(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=cli_help.DRAFT_FILE)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=cli_help.DRAFT_OUTPUT)] = None,
) -> None:
    from hosakan.indexer.documents import Unreadable, read
    from hosakan.knowledge.draft import MAX_NOTICE_CHARS, draft_case, notice_text
    from hosakan.knowledge.glossary import Glossary
    from hosakan.knowledge.todos import leftover

    if not file.is_file():
        err.print(Text(maintainers.draft_no_file(str(file)), style="red"), soft_wrap=True)
        raise typer.Exit(2)
    try:
        document = read(file)
    except Unreadable as error:
        err.print(Text(maintainers.draft_unreadable(str(file), error.reason), style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except OSError as error:
        err.print(Text(maintainers.draft_unreadable(str(file), error.strerror or str(error)), style="red"),
                  soft_wrap=True)
        raise typer.Exit(1) from None
    try:  # the data directory's glossary when it has a readable one, else the bundled one
        glossary = Glossary.load(command_settings().knowledge_dir / "glossary.yaml")
    except Exception:  # noqa: BLE001 - validate reports a broken glossary; a draft still helps
        glossary = None
    notice = notice_text(document)
    if len(notice) > MAX_NOTICE_CHARS:  # drafting reads a notice's pages, not a whole plan: its time stays bounded
        err.print(Text(maintainers.draft_cut(MAX_NOTICE_CHARS, len(notice)), style="yellow"), soft_wrap=True)
        notice = notice[:MAX_NOTICE_CHARS].rsplit("\n", 1)[0]
    text = draft_case(notice, title=document.title, url=document.url, published=document.published,
                      glossary=glossary).render()
    if output is None:
        sys.stdout.write(text)
        err.print(Text(maintainers.draft_printed(len(leftover(text)))), soft_wrap=True)
        return
    if output.exists():
        err.print(Text(maintainers.draft_exists(str(output)), style="red"))
        raise typer.Exit(1)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    out.print(Text(maintainers.draft_written(str(output), len(leftover(text)))), soft_wrap=True)


@app.command(help=cli_help.VALIDATE)
def validate() -> None:
    settings = command_settings()
    records_here(settings)
    base = load(settings.knowledge_dir, settings.max_record_bytes)
    report_skipped(unreadable_sources(settings.knowledge_dir))
    if base.problems:
        report_problems(base.problems)
        raise typer.Exit(1)
    out.print(Text(maintainers.records_valid(len(base.records), str(settings.knowledge_dir)), style="green"))
