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

Slow and idle clients cannot hold the server: a connection with no request under way, one whose
request head has not arrived whole, is closed IDLE_TIMEOUT after it opened or after its last answer
(aiohttp's keepalive timeout, which runs from the moment a connection opens); a body that has not
arrived within the guard's BODY_TIMEOUT is refused (adapters/guard.py). `serve` raises its own
soft limit on open files to the hard one and says what it is; when the limit is reached anyway,
asyncio's "socket.accept() out of system resource" (logged on every attempt, thousands a second)
is said once a minute, with how many attempts failed meanwhile.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
import time

from aiohttp import web

from hosakan.adapters.guard import HostCheck, TrustedProxies, guard
from hosakan.adapters.platform import Platform, offers
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.settings import Settings, load_settings

try:
    import resource
except ImportError:  # not POSIX: no limit to raise
    resource = None

log = logging.getLogger("hosakan.server")

PURGE_EVERY = 3600.0  # seconds
MAX_REQUEST = 1024 * 1024  # bytes: the largest body aiohttp reads (Slack's and Teams' included)
IDLE_TIMEOUT = 15.0  # seconds a connection may stay open with no request under way (nginx's upstream keeps 10)
# bytes: the longest header field or request line aiohttp's parser takes (its default is 8,190), so
# that one longer than the guard allows (MAX_HEADER, MAX_TARGET) gets our JSON refusal, not aiohttp's
# plain text; past this, aiohttp still answers 400 in plain text
PARSED_HEAD = 32 * 1024
ACCEPT_FAILURE = "socket.accept() out of system resource"  # what asyncio's loop says on EMFILE, per attempt
SAY_ACCEPT_FAILURES_EVERY = 60.0  # seconds
FEW_OPEN_FILES = 4096  # below this, the start says the limit is low


def raise_open_files() -> tuple[int, int] | None:
    """Raise this process's soft limit on open files (every connection holds one) to its hard
    limit, as far as the system lets; return (soft, hard) as they now are, None where there is no
    such limit. systemd gives a service 1,024 unless its unit says LimitNOFILE (ours does)."""
    if resource is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)  # macOS: "unlimited" is not settable
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            pass  # the limit stays as it was, and is said as it is
    return resource.getrlimit(resource.RLIMIT_NOFILE)


class AcceptFailures:
    """The loop's exception handler while `serve` runs: asyncio logs a failed accept (no file
    descriptor left: EMFILE, ENFILE; no memory: ENOBUFS, ENOMEM) once per attempt, with its
    traceback, thousands of times a second while clients wait; this says it at most once every
    ``every`` seconds, with the count since. Everything else goes to the handler it replaces."""

    def __init__(self, previous=None, every: float = SAY_ACCEPT_FAILURES_EVERY, clock=time.monotonic):
        self.previous, self.every, self.clock = previous, every, clock
        self.said_at: float | None = None
        self.since = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        if context.get("message") != ACCEPT_FAILURE:
            if self.previous is not None:
                self.previous(loop, context)
            else:
                loop.default_exception_handler(context)
            return
        self.since += 1
        now = self.clock()
        if self.said_at is not None and now - self.said_at < self.every:
            return
        error = context.get("exception")
        why = errno.errorcode.get(getattr(error, "errno", None) or 0, type(error).__name__)
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0] if resource is not None else None
        since = f"; {self.since} failed attempts since this was last said" if self.said_at is not None else ""
        log.error("cannot accept new connections (%s, open-file limit %s): new clients wait until others close%s "
                  "(said at most once a minute)", why, limit, since)
        self.said_at, self.since = now, 0


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
        app = web.Application(client_max_size=MAX_REQUEST,
                              middlewares=[guard(hosts, TrustedProxies(self.settings.trusted_proxies), MAX_REQUEST)])
        app.router.add_get("/healthz", self.healthz)
        for platform in self.platforms:
            if platform.on:
                platform.routes(app)
        return app

    async def start(self) -> None:
        self._purging = asyncio.create_task(self._purge_hourly())
        self._site_runner = web.AppRunner(self.web_app(), access_log=None, keepalive_timeout=IDLE_TIMEOUT,
                                          max_line_size=PARSED_HEAD, max_field_size=PARSED_HEAD)
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
        recorded is written, connections are closed. Open files: as many as the hard limit allows;
        failed accepts said once a minute."""
        limits = raise_open_files()
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(AcceptFailures(loop.get_exception_handler()))
        await self.start()
        if limits is not None:  # said once listening: a port that is taken gets its one line alone
            soft, hard = limits
            few = soft < FEW_OPEN_FILES
            log.log(logging.WARNING if few else logging.INFO,
                    "open-file limit %d (hard limit %d)%s; idle connections close after %.0f s", soft, hard,
                    "; many clients at once can exhaust it: set LimitNOFILE= (docs/operations.md)" if few else "",
                    IDLE_TIMEOUT)
        on_listening(self.port)
        stopping = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
        try:
            await stopping.wait()
        finally:
            await self.stop()
