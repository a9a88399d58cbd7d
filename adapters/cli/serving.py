"""Serving: `hosakan serve` (every platform on one port) and `teams-package`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from hosakan.adapters.cli.common import app, command_settings, err, open_live, out
from hosakan.bot import logs
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.operations.home import home
from hosakan.bot.sentences import cli_help, maintainers
from hosakan.bot.settings import load_settings


@app.command(help=cli_help.SERVE)
def serve(
    host: Annotated[Optional[str], typer.Option(help=cli_help.SERVE_HOST)] = None,
    port: Annotated[Optional[int], typer.Option(min=0, max=65535, help=cli_help.SERVE_PORT)] = None,
) -> None:
    import asyncio
    import logging

    from hosakan.adapters.server import Server

    logs.configure(logging.INFO)
    settings = command_settings()
    updates = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = settings.model_copy(update=updates)
    from hosakan.adapters.platform import offers

    # every setting checked before anything opens
    given = {offer.key: load_settings(offer.settings) for offer in offers()}
    from hosakan.bot.operations.home import bundled_updates

    if not home().checkout and bundled_updates(settings.knowledge_dir):  # said once, at start
        out.print(Text(maintainers.BUNDLED_NEWER), soft_wrap=True)
    server = Server(settings, Conversation.recording(open_live(settings)), **given)
    for platform in server.platforms:
        out.print(Text(maintainers.serve_platform(platform.name, platform.mode != "off", platform.why)))
    out.print(Text(maintainers.semantic_state(server.bot.semantic_state())))
    workers = settings.workers or os.cpu_count() or 1

    def listening(port: int) -> None:  # the port is ours: now start the workers (questions wait meanwhile)
        server.bot.use_workers(workers)
        out.print(Text(maintainers.serve_workers(workers)))
        notes = [p.note for p in server.platforms if p.on and p.note]
        out.print(Text(maintainers.listening(f"http://{settings.host}:{port}", notes)))

    try:
        asyncio.run(server.run_forever(listening))
        out.print(maintainers.STOPPED)
    except KeyboardInterrupt:
        out.print(maintainers.STOPPED)
    except OSError as error:  # the address is taken or not this machine's
        import errno

        why = {errno.EADDRINUSE: "in_use", errno.EADDRNOTAVAIL: "not_here",
               errno.EACCES: "denied"}.get(error.errno, "other")
        err.print(Text(maintainers.cannot_listen(f"{settings.host}:{settings.port}", maintainers.LISTEN_PROBLEMS[why])),
                  soft_wrap=True)
        raise typer.Exit(2) from None
    finally:
        server.bot.close()  # the workers too


@app.command(name="teams-package", help=cli_help.TEAMS_PACKAGE)
def teams_package(
    output: Annotated[Path, typer.Option(help=cli_help.TEAMS_PACKAGE_OUTPUT)] = Path("var/hosakan-teams.zip"),
) -> None:
    from hosakan.adapters.teams.package import PackageError, write_package
    from hosakan.adapters.teams.settings import TeamsSettings

    try:
        path = write_package(load_settings(TeamsSettings), output)
    except PackageError as error:
        err.print(Text(maintainers.teams_package_failed(str(error)), style="red"))
        raise typer.Exit(1) from None
    out.print(Text(maintainers.teams_package_written(str(path))))
