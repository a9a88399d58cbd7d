"""The web chat on `hosakan serve`: the page at / (and /a/<id>, an answer's permalink), its
assets, sign-in, and the JSON it talks to (/web/ask, /web/act, /web/answers/<id>).

Who may use it (adapters/web/settings.py): anyone at this machine when `serve` listens on
loopback; else the user a single-sign-on proxy names in HOSAKAN_WEB_USER_HEADER, or whoever signed
in with HOSAKAN_WEB_ACCESS_CODE (a signed, HttpOnly, SameSite cookie; attempts rate-limited per
address). Every page forbids inline scripts and anything from another origin
(Content-Security-Policy); the script shows records and questions as text only. The JSON
endpoints take only same-origin application/json posts, so another site cannot post a question
in an official's name; anything else gets 400 with a Japanese message, never a 500.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import re
import secrets
import time
from datetime import timedelta
from importlib.resources import files
from urllib.parse import urlsplit

from aiohttp import web

from hosakan.adapters.http import Buckets, Refused, is_number, json_body, kept_answer, reply_json
from hosakan.adapters.turns import in_turn
from hosakan.adapters.web import inbound, render
from hosakan.adapters.web.settings import WebSettings
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Forward, Shown
from hosakan.bot.sentences import http_replies, officials
from hosakan.bot.storage.history import now

log = logging.getLogger("hosakan.web")

COOKIE = "hosakan_session"
ASSETS = {"hosakan.js": "text/javascript", "hosakan.css": "text/css", "icon.svg": "image/svg+xml"}
PROXIED = ("Forwarded", "X-Forwarded-For", "X-Real-IP")  # what a reverse proxy adds to what it passes on
BACK = re.compile(r"/(a/[A-Za-z0-9_-]{1,64})?")  # where sign-in may send the user back to


class Sessions:
    """Sign-ins as signed cookies (``id.expiry.mac``): any replica sharing the salt can read them,
    and changing the access code signs everyone out."""

    def __init__(self, key: bytes, hours: int):
        self.key, self.seconds = key, hours * 3600

    def _mac(self, sid: str, expires: int) -> str:
        return hmac.new(self.key, f"{sid}.{expires}".encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        sid, expires = secrets.token_urlsafe(16), int(time.time()) + self.seconds
        return f"{sid}.{expires}.{self._mac(sid, expires)}"

    def read(self, value: str | None) -> str | None:
        """The session id of a cookie that this server signed and that has not expired."""
        sid, _, rest = (value or "").partition(".")
        expires, _, mac = rest.partition(".")
        if not (sid and is_number(expires) and len(expires) < 12 and int(expires) > time.time()):
            return None
        return sid if hmac.compare_digest(mac.encode(), self._mac(sid, int(expires)).encode()) else None


class WebEndpoint:
    def __init__(self, conversation: Conversation, settings: WebSettings, mode: str):
        self.conversation = conversation
        self.history = conversation.history
        self.mode = mode
        self.header = settings.web_user_header
        self.code = settings.web_access_code.get_secret_value().strip() if settings.web_access_code else ""
        salt = self.history.salt if self.history is not None else secrets.token_hex(32)
        self.sessions = Sessions(hashlib.sha256(f"{salt}\0web-session\0{self.code}".encode()).digest(),
                                 settings.web_session_hours)
        self.sign_ins = Buckets(settings.web_sign_ins_per_minute)
        folder = files(__package__) / "static"
        self.assets = {name: (folder / name).read_bytes() for name in ASSETS}
        self.etags = {name: '"' + hashlib.sha256(data).hexdigest()[:16] + '"' for name, data in self.assets.items()}

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/", self.page)
        app.router.add_get("/a/{answer_id}", self.page)
        app.router.add_get("/static/{name}", self.asset)
        app.router.add_get("/signin", self.sign_in_form)
        app.router.add_post("/signin", self.sign_in)
        app.router.add_post("/signout", self.sign_out)
        app.router.add_post("/web/ask", self.ask)
        app.router.add_post("/web/act", self.act)
        app.router.add_get("/web/answers/{answer_id}", self.answer)

    # -- who is asking -------------------------------------------------------------------
    def _user(self, request: web.Request) -> str | None:
        """The user: the proxy's header, a signed-in session, or (on loopback) this browser."""
        if self.mode == "header":
            values = request.headers.getall(self.header or "", [])
            if len(values) > 1:  # a proxy that appends rather than replaces: which one is the user?
                raise Refused(400, "duplicate_header", http_replies.HTTP_DUPLICATE_HEADER)
            value = values[0].strip() if values else ""
            return value[:200] or None
        if self.mode == "local" and any(name in request.headers for name in PROXIED):
            # loopback behind a reverse proxy is no longer this machine alone; the official is told
            # to ask IT, the log tells IT what to set
            log.warning("refused a proxied request to the loopback web page: set HOSAKAN_WEB_USER_HEADER "
                        "(single sign-on) or HOSAKAN_WEB_ACCESS_CODE to open it behind the proxy")
            return None
        sid = self._session(request)
        return sid or ("local" if self.mode == "local" else None)

    def _session(self, request: web.Request) -> str | None:
        """The signed-in session of the request's cookie, unless it was signed out (on any replica)."""
        sid = self.sessions.read(request.cookies.get(COOKIE))
        if sid and self.history is not None and self.history.signed_out(sid):
            return None
        return sid

    @staticmethod
    def _same_origin(request: web.Request) -> bool:
        """Whether a post comes from this server's own page (the browser says so in
        Sec-Fetch-Site, or at least in Origin)."""
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None:
            return site in ("same-origin", "none")
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc in (request.host, request.headers.get("X-Forwarded-Host"))

    def _json_user(self, request: web.Request) -> str:
        if not self._same_origin(request):
            raise Refused(403, "cross_site", http_replies.WEB_CROSS_SITE)
        user = self._user(request)
        if user is None:
            raise Refused(401, "signed_out", self._refusal())
        return user

    def _refusal(self) -> str:
        return {"header": http_replies.WEB_NO_USER,
                "local": http_replies.WEB_LOCAL_ONLY}.get(self.mode, http_replies.WEB_SIGNED_OUT)

    def _cookie(self, request: web.Request, response: web.StreamResponse, value: str) -> None:
        https = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
        response.set_cookie(COOKIE, value, max_age=self.sessions.seconds, path="/", httponly=True,
                            samesite="Lax", secure=https)

    # -- responses: nothing cached but the assets (the security headers: adapters/guard.py) ---
    @staticmethod
    def _secured(response: web.StreamResponse, cache: str = "no-store") -> web.StreamResponse:
        response.headers.setdefault("Cache-Control", cache)
        return response

    def _html(self, text: str, status: int = 200, headers: dict | None = None) -> web.Response:
        return self._secured(web.Response(text=text, status=status, headers=headers, content_type="text/html",
                                          charset="utf-8"))

    def _redirect(self, location: str) -> web.Response:
        return self._secured(web.Response(status=303, headers={"Location": location}))

    async def _json(self, request: web.Request, work) -> web.StreamResponse:
        """A JSON endpoint: same-origin application/json posts (or gets) from a known user."""
        user = self._json_user(request)
        if request.method == "POST" and request.content_type != "application/json":
            raise Refused(400, "not_json", http_replies.API_NOT_JSON)
        return reply_json(await work(user))

    # -- pages -----------------------------------------------------------------------------
    async def page(self, request: web.Request) -> web.Response:
        user = self._user(request)
        if user is None and self.mode == "code":
            back = request.path if BACK.fullmatch(request.path) else "/"
            return self._redirect("/signin" + (f"?next={back}" if back != "/" else ""))
        if user is None:
            return self._html(render.message_page(self._refusal()), 401)
        response = self._html(render.chat_page(officials.EXAMPLES, signed_in=self.mode == "code"))
        if self.mode == "local" and user == "local":  # this browser's own id, so its questions count as one user's
            self._cookie(request, response, self.sessions.issue())
        return response

    async def asset(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in ASSETS:
            return self._html(render.message_page(http_replies.WEB_NOT_FOUND), 404)
        headers = {"ETag": self.etags[name]}
        if request.headers.get("If-None-Match") == self.etags[name]:
            return self._secured(web.Response(status=304, headers=headers), "no-cache")
        return self._secured(web.Response(body=self.assets[name], headers=headers, content_type=ASSETS[name],
                                          charset="utf-8" if name != "icon.svg" else None), "no-cache")

    # -- sign-in with the shared access code ----------------------------------------------
    async def sign_in_form(self, request: web.Request) -> web.Response:
        if self.mode != "code":
            return self._redirect("/")
        return self._html(render.sign_in_page(back=self._back(request)))

    @staticmethod
    def _back(request: web.Request) -> str:
        back = request.query.get("next", "/")
        return back if BACK.fullmatch(back) else "/"

    async def sign_in(self, request: web.Request) -> web.Response:
        if self.mode != "code":
            return self._redirect("/")
        back = self._back(request)
        if not self._same_origin(request):
            return self._html(render.sign_in_page(http_replies.WEB_CROSS_SITE, back=back), 403)
        wait = self.sign_ins.wait(request.remote or "?")
        if wait:
            seconds = max(1, math.ceil(wait))
            return self._html(render.sign_in_page(http_replies.api_rate_limited(seconds), back=back), 429,
                              {"Retry-After": str(seconds)})
        try:
            code = (await request.post()).get("code")
        except (ValueError, UnicodeDecodeError, web.HTTPException):
            code = None
        if not (isinstance(code, str) and hmac.compare_digest(code.strip().encode(), self.code.encode())):
            return self._html(render.sign_in_page(http_replies.WEB_WRONG_CODE, back=back), 401)
        response = self._redirect(back)
        self._cookie(request, response, self.sessions.issue())
        return response

    async def sign_out(self, request: web.Request) -> web.Response:
        """The cookie is deleted, and its session ended on the server: a copy of it no longer works."""
        response = self._redirect("/signin" if self.mode == "code" else "/")
        if self._same_origin(request):
            sid = self.sessions.read(request.cookies.get(COOKIE))
            if sid and self.history is not None:
                until = now() + timedelta(seconds=self.sessions.seconds)
                await asyncio.to_thread(self.history.sign_out, sid, until)
            response.del_cookie(COOKIE, path="/")
        return response

    # -- what the page asks ----------------------------------------------------------------
    async def ask(self, request: web.Request) -> web.StreamResponse:
        async def work(user: str) -> dict:
            question = inbound.question(await json_body(request), user)
            reply = await in_turn(question.asker, self.conversation.ask, question)
            return await self._reply(reply, question.text)
        return await self._json(request, work)

    async def act(self, request: web.Request) -> web.StreamResponse:
        async def work(user: str) -> dict:
            answer_id, kind = inbound.pressed(await json_body(request))
            kept = await kept_answer(self.history, answer_id)
            action = self.conversation.action_on(kept, kind)
            asker = inbound.asker(user)
            reply = await in_turn(asker, self.conversation.act, action, asker, "")
            if isinstance(reply, Forward):  # the maintainers read web questions in `hosakan report`
                forward = reply

                def record() -> Forward:
                    forward.record("web")
                    return forward
                reply = await asyncio.to_thread(self.conversation.guarded, record)
            return await self._reply(reply, action.question)
        return await self._json(request, work)

    async def answer(self, request: web.Request) -> web.StreamResponse:
        async def work(user: str) -> dict:
            return render.answer_data(await kept_answer(self.history, request.match_info["answer_id"]))
        return await self._json(request, work)

    async def _reply(self, reply, question: str) -> dict:
        kept = await asyncio.to_thread(self.conversation.keep, reply, question) if isinstance(reply, Shown) else {}
        return render.reply_data(reply, kept, self.conversation.settings.escalation_contact)
