"""`hosakan serve`: one aiohttp server for the chat platforms, plus /healthz.

Slack runs over HTTP on /slack/events (SLACK_SIGNING_SECRET) or over Socket Mode
(SLACK_APP_TOKEN, no public URL needed); Teams on /api/messages (Bot Framework tokens checked when
MicrosoftAppId/MicrosoftAppPassword are set; the Emulator's local mode only when
HOSAKAN_TEAMS_LOCAL=true, on 127.0.0.1); the HTTP API on /api/v1 (HOSAKAN_API_TOKENS); the web
chat on / (open on loopback, else behind a single-sign-on header or an access code). A platform
without settings is off, and says why. The platforms are what the adapter folders offer
(adapters/platform.py): the server loops over them and names none.

Question text past its time is purged at start and every hour; /healthz shows whether the history
database is taking writes, and how many wait or were dropped.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from hosakan.adapters.guard import HostCheck, TrustedProxies, guard
from hosakan.adapters.platform import Platform, offers
from hosakan.bot.conversation import Conversation
from hosakan.bot.settings import Settings, load_settings

log = logging.getLogger("hosakan.server")

PURGE_EVERY = 3600.0  # seconds
MAX_REQUEST = 1024 * 1024  # bytes: the largest body aiohttp reads (Slack's and Teams' included)


class Server:
    def __init__(self, settings: Settings, conversation: Conversation, **given):
        """``given``: a platform's settings by its key (slack=SlackSettings(...)); the others are
        read from the environment."""
        self.settings = settings
        self.conversation = conversation
        self.bot = conversation.service
        known = offers()
        unknown = set(given) - {offer.key for offer in known}
        if unknown:
            raise TypeError(f"no such platform: {', '.join(sorted(unknown))}")
        self.given = {offer.key: given.get(offer.key) or load_settings(offer.settings) for offer in known}
        self._platforms = {offer.key: offer.build(conversation, self.given[offer.key], settings) for offer in known}
        self._site_runner: web.AppRunner | None = None
        self._purging: asyncio.Task | None = None

    @property
    def platforms(self) -> list[Platform]:
        return list(self._platforms.values())

    def platform(self, key: str) -> Platform:
        return self._platforms[key]

    async def healthz(self, request: web.Request) -> web.Response:
        manifest = self.bot.index.manifest
        return web.json_response({
            "status": "ok",
            "index": {"generation": self.bot.index.path.name, "records": manifest["records"],
                      "passages": manifest["passages"]},
            "platforms": {key: p.mode for key, p in self._platforms.items()},
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
        app = web.Application(client_max_size=MAX_REQUEST, middlewares=[guard(hosts, TrustedProxies(self.settings.trusted_proxies), MAX_REQUEST)])
        app.router.add_get("/healthz", self.healthz)
        for platform in self.platforms:
            if platform.on:
                platform.routes(app)
        return app

    async def start(self) -> None:
        self._purging = asyncio.create_task(self._purge_hourly())
        self._site_runner = web.AppRunner(self.web_app(), access_log=None)
        await self._site_runner.setup()
        await web.TCPSite(self._site_runner, self.settings.host, self.settings.port).start()
        self.port = self._site_runner.addresses[0][1]
        for platform in self.platforms:
            if platform.on:
                await platform.start()

    async def stop(self) -> None:
        if self._purging is not None:
            self._purging.cancel()
        for platform in self.platforms:
            if platform.on:
                await platform.stop()
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
