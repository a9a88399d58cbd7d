"""`hosakan serve`: one aiohttp server for the chat platforms, plus /healthz.

Slack runs over HTTP on /slack/events (SLACK_SIGNING_SECRET) or over Socket Mode
(SLACK_APP_TOKEN, no public URL needed); Teams on /api/messages (Bot Framework tokens checked when
MicrosoftAppId/MicrosoftAppPassword are set; the Emulator's local mode only when
HOSAKAN_TEAMS_LOCAL=true, on 127.0.0.1); the HTTP API on /api/v1 (HOSAKAN_API_TOKENS); the web
chat on / (open on loopback, else behind a single-sign-on header or an access code). A platform
without settings is off, and says why.

Question text past its time is purged at start and every hour; /healthz shows whether the history
database is taking writes, and how many wait or were dropped.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field

from aiohttp import web

from adapters.api.app import ApiEndpoint
from adapters.api.settings import ApiSettings
from adapters.guard import HostCheck, guard
from adapters.slack.app import SlackEndpoint, create_app as create_slack_app
from adapters.slack.settings import SlackSettings
from adapters.teams.app import TeamsEndpoint
from adapters.teams.settings import TeamsSettings
from adapters.web.app import WebEndpoint
from adapters.web.settings import WebSettings
from bot.conversation import Conversation
from bot.settings import Settings, load_settings

log = logging.getLogger("hosakan.server")

PURGE_EVERY = 3600.0  # seconds
MAX_REQUEST = 1024 * 1024  # bytes: the largest body aiohttp reads (Slack's and Teams' included)


@dataclass
class Platform:
    name: str
    mode: str            # "off", or how it runs: "http", "socket", "auth", "local", "on", "header", "code"
    why: str = ""
    runner: object = field(default=None, repr=False)


class Server:
    def __init__(self, settings: Settings, conversation: Conversation, slack: SlackSettings | None = None,
                 teams: TeamsSettings | None = None, api: ApiSettings | None = None, web: WebSettings | None = None):
        self.settings = settings
        self.conversation = conversation
        self.bot = conversation.service
        self.slack_settings = slack or load_settings(SlackSettings)
        teams = teams or load_settings(TeamsSettings)
        mode, why = self.slack_settings.mode()
        self.slack = Platform("Slack", mode, why)
        if mode != "off":
            self.slack.runner = create_slack_app(conversation, self.slack_settings)
        if mode == "http":
            self.slack_endpoint = SlackEndpoint(self.slack.runner, self.slack_settings.slack_signing_secret)
        mode, why = teams.mode(settings.host)
        self.teams = Platform("Teams", mode, why)
        if mode != "off":
            self.teams.runner = TeamsEndpoint(conversation, teams, mode)
        api = api or load_settings(ApiSettings)
        mode, why = api.mode()
        self.api = Platform("API", mode, why)
        if mode != "off":
            self.api.runner = ApiEndpoint(conversation, api)
        web = web or load_settings(WebSettings)
        mode, why = web.mode(settings.host)
        self.web = Platform("Web", mode, why)
        if mode != "off":
            self.web.runner = WebEndpoint(conversation, web, mode)
        self._site_runner: web.AppRunner | None = None
        self._socket = None
        self._purging: asyncio.Task | None = None

    @property
    def platforms(self) -> list[Platform]:
        return [self.slack, self.teams, self.api, self.web]

    async def healthz(self, request: web.Request) -> web.Response:
        manifest = self.bot.index.manifest
        return web.json_response({
            "status": "ok",
            "index": {"generation": self.bot.index.path.name, "records": manifest["records"],
                      "passages": manifest["passages"]},
            "platforms": {p.name.lower(): p.mode for p in self.platforms},
            "semantic": self.bot.retriever.semantic is not None,
            "workers": self.bot.workers.count if self.bot.workers else 1,
            "history": self.conversation.history.recorder.state() if self.conversation.history else None,
        })

    async def _purge_hourly(self) -> None:
        while True:
            await asyncio.to_thread(self.conversation.purge)
            await asyncio.sleep(PURGE_EVERY)

    def web_app(self) -> web.Application:
        hosts = HostCheck(self.settings.host, self.settings.allowed_hosts)
        app = web.Application(client_max_size=MAX_REQUEST, middlewares=[guard(hosts, MAX_REQUEST)])
        app.router.add_get("/healthz", self.healthz)
        if self.slack.mode == "http":
            app.router.add_post("/slack/events", self.slack_endpoint.events)
        if self.teams.mode != "off":
            app.router.add_post("/api/messages", self.teams.runner.messages)
        if self.api.mode != "off":
            self.api.runner.routes(app)
        if self.web.mode != "off":
            self.web.runner.routes(app)
        return app

    async def start(self) -> None:
        self._purging = asyncio.create_task(self._purge_hourly())
        self._site_runner = web.AppRunner(self.web_app(), access_log=None)
        await self._site_runner.setup()
        await web.TCPSite(self._site_runner, self.settings.host, self.settings.port).start()
        self.port = self._site_runner.addresses[0][1]
        if self.slack.mode == "socket":
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.slack.runner, self.slack_settings.slack_app_token)
            await self._socket.connect_async()

    async def stop(self) -> None:
        if self._purging is not None:
            self._purging.cancel()
        if self._socket is not None:
            await self._socket.close_async()
        if self._site_runner is not None:
            await self._site_runner.cleanup()
        await asyncio.to_thread(self.conversation.close)

    async def run_forever(self, on_listening=lambda port: None) -> None:
        """Serve until SIGTERM (systemd's stop) or SIGINT; then stop cleanly: what waits to be
        recorded is written, connections are closed."""
        await self.start()
        on_listening(self.port)
        stopping = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
        try:
            await stopping.wait()
        finally:
            await self.stop()
