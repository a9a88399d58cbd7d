"""`hosakan mcp`: the MCP server over stdio, for an AI assistant on the official's own machine.

stdout carries the protocol and nothing else: what the command has to say (an index built first, a
stale index, a bad setting) goes to stderr, as the log lines do."""

from __future__ import annotations

import typer

from hosakan.adapters.cli.common import app, command_settings, open_live
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.sentences import cli_help


@app.command(name="mcp", help=cli_help.MCP)
def mcp() -> None:
    import anyio

    from hosakan.adapters.mcp.app import Assistant

    settings = command_settings()
    service = open_live(settings)
    talk = Conversation.recording(service)
    talk.purge()
    try:
        anyio.run(Assistant(talk).serve_stdio)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    finally:
        talk.close()
        service.close()
