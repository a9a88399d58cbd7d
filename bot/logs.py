"""Logs as one JSON object a line, with nothing personal in them.

Hosakan's own lines never hold a user id or question text. Other libraries' lines can: slack-bolt
writes the whole request body when a signature check fails or a request goes unhandled, so its
and slack_sdk's messages are withheld (the level, the logger and an error's type stay). An error
is logged as its type and where it happened, not its message, which may quote what was asked;
the database's and the file system's errors keep theirs (no parameters: ``hide_parameters``).
JSON escapes control characters, so a newline in anything logged cannot forge a line.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

WITHHELD = ("slack_bolt", "slack_sdk")
_LINE_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\u0085\u2028\u2029"}


def _error(info) -> dict:
    kind, error, trace = info
    name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__
    described = {"type": name,
                 "at": [f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} {frame.name}"
                        for frame in traceback.extract_tb(trace)[-8:]]}
    if issubclass(kind, OSError) or name.startswith("sqlalchemy."):
        described["message"] = str(error)[:500]
    if error.__cause__ is not None or error.__context__ is not None:
        cause = error.__cause__ or error.__context__
        described["cause"] = type(cause).__name__
    return described


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        withheld = record.name.startswith(WITHHELD)
        line = {
            "at": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": "(withheld: may hold a request body)" if withheld else record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = _error(record.exc_info)
        # json escapes C0 controls; these three also end a line for some readers
        return json.dumps(line, ensure_ascii=False, default=str).translate(_LINE_BREAKS)


def configure(level: int = logging.INFO, path: Path | None = None) -> None:
    """Every log line to stderr (or appended to ``path``, owner-only) as JSON; slack-bolt's
    chatter (request bodies at INFO) off."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in WITHHELD:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    # its English notes on a PDF's form; a PDF it cannot read is said in Japanese
    logging.getLogger("pypdf").setLevel(logging.ERROR)
