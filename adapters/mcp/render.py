"""What an MCP client gets back from a tool: the same JSON object the HTTP API and `hosakan ask
--json` give (an answer's contract; a search's or a fetch's), as the result's structured content
and, for clients that read only text, as one text block holding that JSON. A refusal is a tool
error whose text says what to do, in Japanese."""

from __future__ import annotations

import json

from mcp_types import CallToolResult, TextContent


def result(data: dict) -> CallToolResult:
    text = json.dumps(data, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def refusal(message: str, data: dict | None = None) -> CallToolResult:
    """A tool error: ``message`` for the assistant to act on; ``data`` what there is besides (an
    apology's error id)."""
    return CallToolResult(content=[TextContent(type="text", text=message)], structured_content=data, is_error=True)
