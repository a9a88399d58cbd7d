"""What an MCP client may call: the three tools as it lists them (their JSON Schemas), and a call's
arguments read into one typed value. An unknown tool is a JSON-RPC error (invalid params); an
argument missing, of the wrong type or too long is told in Japanese as the HTTP API tells it, for
the assistant to correct."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, Tool, ToolAnnotations

from hosakan.adapters.http import MAX_BODY, NO_NUL, Refused, text_field
from hosakan.bot.answering.lookup import MAX_FOUND, MAX_ID
from hosakan.bot.sentences import assistants, http_replies

MAX_CONVERSATION = 200  # characters of a conversation name (the HTTP API takes as many)
SEARCH_LIMIT = 5  # passages a search returns unless told


@dataclass(frozen=True)
class Ask:
    question: str
    conversation: str | None = None


@dataclass(frozen=True)
class Search:
    query: str
    limit: int = SEARCH_LIMIT


@dataclass(frozen=True)
class Fetch:
    id: str


Call = Union[Ask, Search, Fetch]


class BadArgument(Exception):
    """A tool's argument it cannot take; ``message`` says which and what it takes (Japanese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _text(maximum: int, description: str) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": maximum, "pattern": NO_NUL, "description": description}


_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                             open_world_hint=False)
TOOLS = [
    Tool(name="ask", title="Hosakan に質問 / Ask Hosakan", description=assistants.ASK, annotations=_READ_ONLY,
         input_schema={"type": "object", "required": ["question"], "properties": {
             "question": _text(MAX_BODY, assistants.ASK_QUESTION),
             "conversation": {**_text(MAX_CONVERSATION, assistants.ASK_CONVERSATION), "type": ["string", "null"]},
         }}),
    Tool(name="search", title="記録を検索 / Search the records", description=assistants.SEARCH,
         annotations=_READ_ONLY,
         input_schema={"type": "object", "required": ["query"], "properties": {
             "query": _text(MAX_BODY, assistants.SEARCH_QUERY),
             "limit": {"type": "integer", "minimum": 1, "maximum": MAX_FOUND, "default": SEARCH_LIMIT,
                       "description": assistants.SEARCH_LIMIT},
         }}),
    Tool(name="fetch", title="id で読む / Fetch by id", description=assistants.FETCH, annotations=_READ_ONLY,
         input_schema={"type": "object", "required": ["id"], "properties": {
             "id": _text(MAX_ID, assistants.FETCH_ID),
         }}),
]
NAMES = [tool.name for tool in TOOLS]


def _field(arguments: dict, name: str, limit: int, optional: bool = False) -> str | None:
    try:
        return text_field(arguments, name, limit=limit, optional=optional)
    except Refused as refusal:
        raise BadArgument(refusal.message) from None


def read_call(name: str, arguments: object) -> Call:
    """The call a client made: MCPError for a tool there is none of, BadArgument for an argument
    the tool cannot take."""
    if name not in NAMES:
        raise MCPError(INVALID_PARAMS, assistants.unknown_tool(name, NAMES))
    arguments = arguments if isinstance(arguments, dict) else {}
    if name == "ask":
        return Ask(_field(arguments, "question", MAX_BODY), _field(arguments, "conversation", MAX_CONVERSATION, True))
    if name == "search":
        limit = arguments.get("limit")
        limit = SEARCH_LIMIT if limit is None else limit
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)  # 5.0 from a client that only has floats
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_FOUND:
            raise BadArgument(http_replies.api_bad_field("limit", f"1〜{MAX_FOUND} の整数"))
        return Search(_field(arguments, "query", MAX_BODY), limit)
    return Fetch(_field(arguments, "id", MAX_ID))
