"""The HTTP API as a platform of `serve`: /api/v1 with bearer tokens."""

from __future__ import annotations

from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.platform import Offer, Platform


def build(conversation, settings: ApiSettings, server_settings) -> Platform:
    mode, why = settings.mode()
    platform = Platform("API", mode, why)
    if mode != "off":
        from hosakan.adapters.api.app import ApiEndpoint

        platform.routes = ApiEndpoint(conversation, settings).routes
    return platform


OFFER = Offer("api", 30, ApiSettings, build)
