"""Teams as a platform of `serve`: the Bot Framework's /api/messages."""

from __future__ import annotations

from hosakan.adapters.platform import Offer, Platform
from hosakan.adapters.teams.settings import TeamsSettings


def build(conversation, settings: TeamsSettings, server_settings) -> Platform:
    mode, why = settings.mode(server_settings.host)
    platform = Platform("Teams", mode, why)
    if mode != "off":
        from hosakan.adapters.teams.app import TeamsEndpoint

        endpoint = TeamsEndpoint(conversation, settings, mode)
        platform.routes = lambda web_app: web_app.router.add_post("/api/messages", endpoint.messages)
    return platform


OFFER = Offer("teams", 20, TeamsSettings, build)
