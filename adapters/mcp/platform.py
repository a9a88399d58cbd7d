"""MCP as a platform of `serve`: /mcp over streamable HTTP, on with the HTTP API's bearer tokens
(HOSAKAN_API_TOKENS), which it shares with the API together with their rate limit."""

from __future__ import annotations

from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.platform import Offer, Platform
from hosakan.bot.sentences import assistants


def build(conversation, settings: ApiSettings, server_settings) -> Platform:
    mode, why = settings.mode()
    if mode == "off":
        return Platform("MCP", mode, why)
    from hosakan.adapters.mcp.app import McpEndpoint

    endpoint = McpEndpoint(conversation, settings)
    return Platform("MCP", mode, assistants.serving(len(settings.api_tokens), settings.api_requests_per_minute),
                    routes=endpoint.routes, start=endpoint.start, stop=endpoint.stop)


OFFER = Offer("mcp", 35, ApiSettings, build)
