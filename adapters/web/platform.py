"""The web chat as a platform of `serve`: the page at /, its assets and its JSON."""

from __future__ import annotations

from hosakan.adapters.platform import Offer, Platform
from hosakan.adapters.web.settings import WebSettings
from hosakan.bot.sentences import maintainers


def build(conversation, settings: WebSettings, server_settings) -> Platform:
    mode, why = settings.mode(server_settings.host)
    platform = Platform("Web", mode, why)
    if mode != "off":
        from hosakan.adapters.web.app import WebEndpoint

        platform.routes = WebEndpoint(conversation, settings, mode).routes
        platform.note = maintainers.WEB_AT
    return platform


OFFER = Offer("web", 40, WebSettings, build)
