"""The data directory: `hosakan init` (and --update), `backup` and `restore`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from hosakan.adapters.cli.common import (
    app,
    as_owner,
    build_progress,
    command_settings,
    err,
    out,
    rebuild_or_exit,
    records_here,
    report_problems,
    report_skipped,
)
from hosakan.bot.operations.home import home
from hosakan.bot.sentences import cli_help, maintainers
from hosakan.indexer.build import BuildFailed, build
from hosakan.knowledge.loader import Problem


@app.command(help=cli_help.INIT)
def init(
    directory: Annotated[Optional[Path], typer.Argument(metavar="[DIR]", help=cli_help.INIT_DIRECTORY)] = None,
    update: Annotated[bool, typer.Option("--update", help=cli_help.INIT_UPDATE)] = False,
    yes: Annotated[bool, typer.Option("--yes", help=cli_help.INIT_YES)] = False,
) -> None:
    from hosakan.bot.operations.home import copy_bundled_records, private_dir

    if directory is not None:
        os.environ["HOSAKAN_HOME"] = str(directory)
    place = home()
    as_owner(place.root, place.index)
    if place.checkout:
        out.print(Text(maintainers.init_in_checkout(str(place.knowledge))), soft_wrap=True)
        return
    if update:
        _update_bundled(place.knowledge, yes)
        return
    private_dir(place.root)
    copied = copy_bundled_records(place.knowledge)
    if not place.env_file.exists():
        place.env_file.write_text(maintainers.ENV_TEMPLATE, encoding="utf-8")
        place.env_file.chmod(0o600)
    settings = command_settings()
    records_here(settings)
    rebuild_or_exit(settings)
    out.print(Text(maintainers.initialised(str(place.root), copied, directory is not None)), soft_wrap=True)


@app.command(help=cli_help.BACKUP)
def backup(
    destination: Annotated[Path, typer.Argument(metavar="DEST", help=cli_help.BACKUP_DESTINATION)],
    with_secrets: Annotated[bool, typer.Option("--with-secrets", help=cli_help.BACKUP_WITH_SECRETS)] = False,
) -> None:
    from hosakan.bot.operations.backup import BackupError, backup as write_backup
    from hosakan.bot.storage.salt import salt_file

    settings = command_settings()
    try:
        done = write_backup(destination, root=settings.home, knowledge=settings.knowledge_dir,
                            database_url=settings.database_url,
                            salt_file=salt_file(settings.database_url, settings.home), with_secrets=with_secrets)
    except (BackupError, OSError) as error:
        err.print(Text(str(error) if isinstance(error, BackupError) else maintainers.backup_failed(str(error)),
                       style="red"))
        raise typer.Exit(1) from None
    if done.left_out:  # links, hard links, FIFOs, bad names: what the index does not read either
        err.print(Text(maintainers.backup_left_out(done.left_out), style="yellow"), soft_wrap=True)
    out.print(Text(maintainers.backed_up(str(done.path), done.manifest)), soft_wrap=True)


@app.command(help=cli_help.RESTORE)
def restore(
    archive: Annotated[Path, typer.Argument(metavar="ARCHIVE", help=cli_help.RESTORE_ARCHIVE)],
) -> None:
    from dataclasses import replace

    from hosakan.bot.operations.backup import BackupError, restore as read_backup, sqlite_path

    settings = command_settings()  # the target's settings: the archive's .env never says where anything goes
    built, refused = [], []

    def archived(problems: list[Problem], staged: Path) -> list[Problem]:
        """Problems named by the record's path once restored (where it is to be fixed), not in the
        folder it was unpacked to."""
        return [replace(p, path=settings.knowledge_dir / p.path.relative_to(staged))
                if p.path.is_relative_to(staged) else p for p in problems]

    def rebuild(knowledge: Path, index: Path) -> bool:
        """The index of the unpacked records, built beside the target with the target's settings;
        False when the records' problems refuse it (the data is restored all the same)."""
        with build_progress(out) as (_, follow):
            try:
                summary = build(knowledge, index, **settings.build_options(), **follow)
            except BuildFailed as failure:
                refused.extend(archived(failure.problems, knowledge))
                return False
        summary.skipped = archived(summary.skipped, knowledge)
        built.append(summary)
        return True

    try:
        done = read_backup(archive, root=settings.home, knowledge=settings.knowledge_dir, index=settings.index_dir,
                           database=sqlite_path(settings.database_url), rebuild=rebuild)
    except BackupError as error:
        err.print(Text(str(error), style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print(Text(maintainers.RESTORE_INTERRUPTED, style="yellow"))
        raise typer.Exit(130) from None
    if built:
        summary = built[0]
        out.print(Text(maintainers.built(summary.mode, summary.records, summary.passages, summary.seconds,
                                      str(settings.index_dir / summary.generation.name)), style="green"),
                  soft_wrap=True)
        if summary.sources:
            out.print(Text(maintainers.sources_indexed(summary.sources)))
        report_skipped(summary.skipped)
    if done.skipped:
        err.print(Text(maintainers.restore_skipped(done.skipped), style="yellow"), soft_wrap=True)
    if done.disabled:
        err.print(Text(maintainers.restore_paths_disabled(done.disabled), style="yellow"), soft_wrap=True)
    if not done.indexed:  # restored, but the records refuse an index: exit 3 (documented in operations.md 11)
        report_problems(refused)
        err.print(Text(maintainers.restored(str(settings.home), done.manifest, indexed=False), style="yellow"),
                  soft_wrap=True)
        raise typer.Exit(3)
    out.print(Text(maintainers.restored(str(settings.home), done.manifest), style="green"), soft_wrap=True)


def _update_bundled(knowledge: Path, yes: bool) -> None:
    """List the bundled records an upgrade changed and copy those the maintainer accepts (all with
    --yes; none without a terminal to ask on), then re-index."""
    from hosakan.bot.operations.home import bundled_updates, copy_bundled

    changed = bundled_updates(knowledge)
    if not changed:
        out.print(Text(maintainers.NO_BUNDLED_UPDATES), soft_wrap=True)
        return
    out.print(Text(maintainers.bundled_updates(len(changed))), soft_wrap=True)
    accepted = []
    for name in changed:
        state = maintainers.BUNDLED_NEW if not (knowledge / name).exists() else maintainers.BUNDLED_CHANGED
        listed = maintainers.bundled_record(name, state)
        if yes:
            accepted.append(name)
            out.print(Text(listed))
        elif sys.stdin.isatty() and typer.confirm(listed + maintainers.COPY_BUNDLED, default=False):
            accepted.append(name)
        elif not sys.stdin.isatty():
            out.print(Text(listed))
    if not accepted:
        out.print(Text(maintainers.BUNDLED_NONE_COPIED), soft_wrap=True)
        return
    copy_bundled(knowledge, accepted)
    rebuild_or_exit(command_settings())
    out.print(Text(maintainers.bundled_copied(len(accepted)), style="green"), soft_wrap=True)
