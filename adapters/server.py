"""`hosakan serve`: one aiohttp server for the chat platforms, plus /healthz.

Slack runs over HTTP on /slack/events (SLACK_SIGNING_SECRET) or over Socket Mode
(SLACK_APP_TOKEN, no public URL needed); Teams on /api/messages (Bot Framework tokens checked when
MicrosoftAppId/MicrosoftAppPassword are set, else the Emulator's local mode on 127.0.0.1 only).
A platform without settings is off, and says why.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from adapters.slack.app import create_app as create_slack_app
from adapters.teams.app import TeamsEndpoint, teams_mode
from bot.service import Hosakan
from bot.settings import Settings

log = logging.getLogger("hosakan.server")


@dataclass
class Platform:
    name: str
    mode: str            # "http", "socket" or "off"
    why: str = ""
    runner: object = field(default=None, repr=False)


def slack_mode(settings: Settings) -> tuple[str, str]:
    if not settings.slack_bot_token:
        return "off", "SLACK_BOT_TOKEN is not set"
    if settings.slack_app_token:
        return "socket", "Socket Mode (SLACK_APP_TOKEN)"
    if settings.slack_signing_secret:
        return "http", "HTTP mode on /slack/events"
    return "off", "set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)"


class Server:
    def __init__(self, settings: Settings, bot: Hosakan):
        self.settings = settings
        self.bot = bot
        mode, why = slack_mode(settings)
        self.slack = Platform("Slack", mode, why)
        if mode != "off":
            self.slack.runner = create_slack_app(
                bot, token=settings.slack_bot_token,
                signing_secret=settings.slack_signing_secret if mode == "http" else None,
                api_url=settings.slack_api_url,
            )
        mode, why = teams_mode(settings)
        self.teams = Platform("Teams", mode, why)
        if mode != "off":
            self.teams.runner = TeamsEndpoint(settings, bot, mode)
        self._site_runner: web.AppRunner | None = None
        self._socket = None

    @property
    def platforms(self) -> list[Platform]:
        return [self.slack, self.teams]

    async def healthz(self, request: web.Request) -> web.Response:
        manifest = self.bot.index.manifest
        return web.json_response({
            "status": "ok",
            "index": {"generation": self.bot.index.path.name, "records": manifest["records"],
                      "passages": manifest["passages"]},
            "platforms": {p.name.lower(): p.mode for p in self.platforms},
            "semantic": self.bot.retriever.semantic is not None,
        })

    async def slack_events(self, request: web.Request) -> web.Response:
        response = await self.slack.runner.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_get("/healthz", self.healthz)
        if self.slack.mode == "http":
            app.router.add_post("/slack/events", self.slack_events)
        if self.teams.mode != "off":
            app.router.add_post("/api/messages", self.teams.runner.messages)
        return app

    async def start(self) -> None:
        self._site_runner = web.AppRunner(self.web_app(), access_log=None)
        await self._site_runner.setup()
        await web.TCPSite(self._site_runner, self.settings.host, self.settings.port).start()
        self.port = self._site_runner.addresses[0][1]
        if self.slack.mode == "socket":
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.slack.runner, self.settings.slack_app_token)
            await self._socket.connect_async()

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
        if self._site_runner is not None:
            await self._site_runner.cleanup()

    async def run_forever(self) -> None:
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
