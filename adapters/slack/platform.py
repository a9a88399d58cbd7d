"""Slack as a platform of `serve`: over HTTP on /slack/events, or over Socket Mode (no public URL)."""

from __future__ import annotations

import asyncio
import itertools
import logging

from hosakan.adapters.platform import Offer, Platform
from hosakan.adapters.slack.settings import SlackSettings

log = logging.getLogger("hosakan.slack")

RETRY_SECONDS = (5, 15, 60, 300)  # between tries to open the Socket Mode connection, the last repeated


class SocketMode:
    """The Socket Mode connection, opened once serve's loop runs (slack-bolt's handler needs the
    running loop) and in the background: Slack unreachable or the token refused is logged and tried
    again later, while the web page, the API and Teams keep serving."""

    def __init__(self, app, app_token: str):
        self.app, self.app_token = app, app_token
        self.handler = None
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self.handler = AsyncSocketModeHandler(self.app, self.app_token)
        self.task = asyncio.create_task(self._connect())

    async def _connect(self) -> None:
        for attempt in itertools.count():
            try:
                await self.handler.connect_async()
                log.info("Slack Socket Mode connected")
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the network or Slack: said, then tried again
                wait = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                log.warning("Slack Socket Mode could not connect (%s); trying again in %d s",
                            type(error).__name__, wait)
                await asyncio.sleep(wait)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.handler is not None:
            await self.handler.close_async()


def build(conversation, settings: SlackSettings, server_settings) -> Platform:
    mode, why = settings.mode()
    platform = Platform("Slack", mode, why)
    if mode == "off":
        return platform
    from hosakan.adapters.slack.app import SlackEndpoint, create_app

    app = create_app(conversation, settings)
    if mode == "http":
        endpoint = SlackEndpoint(app, settings.slack_signing_secret)
        platform.routes = lambda web_app: web_app.router.add_post("/slack/events", endpoint.events)
        return platform
    socket = SocketMode(app, settings.slack_app_token)
    platform.start, platform.stop = socket.start, socket.stop
    return platform

OFFER = Offer("slack", 10, SlackSettings, build)
