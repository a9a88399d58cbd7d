"""The `hosakan` command line: ask, chat, index, validate, eval, mcp, … one module a group of commands,
each registering on the one Typer app of ``common``. Everything it prints for a maintainer is
Japanese, in bot/sentences/ (``maintainers``; the help texts of the commands and their options in
``cli_help``)."""

from __future__ import annotations

from hosakan.adapters.cli import asking, data, mcp, quality, records, serving  # noqa: F401 - they register the commands
from hosakan.adapters.cli.common import app


def main() -> None:
    app()
