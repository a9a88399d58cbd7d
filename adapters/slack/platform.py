"""Slack as a platform of `serve`: over HTTP on /slack/events, or over Socket Mode (no public URL)."""

from __future__ import annotations

from adapters.platform import Offer, Platform
from adapters.slack.settings import SlackSettings


def build(conversation, settings: SlackSettings, server_settings) -> Platform:
    mode, why = settings.mode()
    platform = Platform("Slack", mode, why)
    if mode == "off":
        return platform
    from adapters.slack.app import SlackEndpoint, create_app

    app = create_app(conversation, settings)
    if mode == "http":
        endpoint = SlackEndpoint(app, settings.slack_signing_secret)
        platform.routes = lambda web_app: web_app.router.add_post("/slack/events", endpoint.events)
        return platform
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    socket = AsyncSocketModeHandler(app, settings.slack_app_token)
    platform.start, platform.stop = socket.connect_async, socket.close_async
    return platform


OFFER = Offer("slack", 10, SlackSettings, build)
