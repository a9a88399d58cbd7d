"""What every response of `hosakan serve` goes through, whichever endpoint (or none) answers:

- the peer check: with HOSAKAN_TRUSTED_PROXIES set, only those reverse proxies are answered (and
  loopback's /healthz), and the client's address is the one the proxy saw (X-Forwarded-For);
- the Host check: on a loopback address only loopback host names (and HOSAKAN_ALLOWED_HOSTS) are
  served, so a page on another site cannot reach this machine's Hosakan by DNS rebinding;
- refusals as Japanese JSON: a handler's Refused, aiohttp's own 404/405/413, a body it cannot decode (a bogus
  Content-Encoding), JSON nested too deep, and — logged with its traceback — anything unforeseen;
- the head's size: a header field (a 10 KB token included) or a URL longer than aiohttp's own limit
  of 8,190 bytes is refused here as JSON (the server's parser takes up to 32 KiB so that it reaches us);
- the body's time: one that has not arrived whole BODY_TIMEOUT after its head is refused (408), so a
  client trickling a body cannot hold a connection (a slow head is the server's idle timeout's);
- the security headers, on every response, errors included.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from hosakan.adapters.http import Refused, reply_json
from hosakan.bot.sentences import http_replies
from hosakan.bot.settings import is_loopback

log = logging.getLogger("hosakan.server")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
                    "Cross-Origin-Resource-Policy": "same-origin"}
MAX_HEADER = 8190  # bytes: a header field's name and value together, as aiohttp's parser allows by default
MAX_TARGET = 8190  # bytes: the URL (path and query)
BODY_TIMEOUT = 30.0  # seconds from a request's head to the end of its body (1 MiB at most)


def host_name(host: str) -> str | None:
    """The name in a Host header, lower-cased and without its port; None when it is no name."""
    try:
        name = urlsplit(f"//{host}").hostname
    except ValueError:
        return None
    return name.rstrip(".") if name else None


class HostCheck:
    """Which Host names a server answers: any when it listens beyond loopback (a reverse proxy or
    the platforms' own checks guard it), else loopback names and the configured ones."""

    def __init__(self, listening_on: str, allowed: list[str]):
        self.open = not is_loopback(listening_on)
        self.allowed = {name.strip().lower().rstrip(".") for name in allowed if name.strip()}

    def accepts(self, host: str) -> bool:
        if self.open:
            return True
        name = host_name(host)
        if name is None:
            return False
        return name in self.allowed or name == "localhost" or name.endswith(".localhost") or is_loopback(name)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


class TrustedProxies:
    """Which peers serve answers: any when no proxy is named; else the named reverse proxies only,
    so a connection that bypasses the proxy (and could send its own user header) is refused."""

    def __init__(self, networks: list[str]):
        self.networks = [ipaddress.ip_network(network, strict=False) for network in networks]

    def _trusted(self, address) -> bool:
        return address is not None and any(address in network for network in self.networks)

    def admits(self, request: web.Request) -> bool:
        if not self.networks:
            return True
        peer = _address(request.remote)
        return self._trusted(peer) or (request.path == "/healthz" and peer is not None and peer.is_loopback)

    def client(self, request: web.Request) -> str | None:
        """The address the nearest trusted proxy saw, when the request came through one: the
        right-most X-Forwarded-For entry that is not itself a trusted proxy."""
        if not self.networks or not self._trusted(_address(request.remote)):
            return None
        hops = [hop for value in request.headers.getall("X-Forwarded-For", []) for hop in value.split(",")]
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                return None
            if not self._trusted(address):
                return str(address)
        return None


def _refusal(status: int, code: str, message: str, headers=None) -> web.Response:
    return reply_json({"error": code, "message": message}, status, headers)


class BodyTooSlow(asyncio.TimeoutError):
    """Set on a request's body when it has not arrived in time: a handler reading it gets this.
    A TimeoutError, so that aiohttp, draining the rest after our answer, stops and closes."""


def _too_long(request: web.Request) -> web.Response | None:
    if len(request.raw_path) > MAX_TARGET:
        return _refusal(400, "url_too_long", http_replies.HTTP_URL_TOO_LONG)
    if any(len(name) + len(value) > MAX_HEADER for name, value in request.raw_headers):
        return _refusal(400, "header_too_large", http_replies.HTTP_HEADER_TOO_LARGE)
    return None


def _body_deadline(request: web.Request) -> asyncio.TimerHandle | None:
    """Cut the body off if it has not all arrived within BODY_TIMEOUT: its reader then raises
    BodyTooSlow. A body that has arrived whole is never cut, however long the answer takes."""
    content = request.content
    if not request.body_exists or content.is_eof():
        return None

    def cut() -> None:
        if not content.is_eof():
            content.set_exception(BodyTooSlow())

    return asyncio.get_running_loop().call_later(BODY_TIMEOUT, cut)


def guard(hosts: HostCheck, proxies: TrustedProxies, max_body: int):
    @web.middleware
    async def guarded(request: web.Request, handler) -> web.StreamResponse:
        deadline = None
        try:
            if (too_long := _too_long(request)) is not None:
                response = too_long
            elif not proxies.admits(request):
                response = _refusal(403, "not_through_proxy", http_replies.HTTP_NOT_PROXIED)
            elif not hosts.accepts(request.host):
                response = _refusal(421, "wrong_host", http_replies.HTTP_HOST)
            else:
                deadline = _body_deadline(request)
                client = proxies.client(request)
                response = await handler(request.clone(remote=client) if client else request)
        except Refused as refusal:
            response = refusal.response
        except BodyTooSlow:
            response = _refusal(408, "request_timeout", http_replies.HTTP_TOO_SLOW)
            response.force_close()
        except web.HTTPException as error:
            if error.status < 400:  # a redirect raised by a handler
                error.headers.update({k: v for k, v in SECURITY_HEADERS.items() if k not in error.headers})
                raise
            message = (http_replies.api_too_large(max_body) if error.status == 413
                       else http_replies.http_refused(error.status))
            allow = {"Allow": error.headers["Allow"]} if "Allow" in error.headers else None
            response = _refusal(error.status, error.reason.lower().replace(" ", "_"), message, allow)
        except (HttpProcessingError, web.RequestPayloadError):  # a body aiohttp cannot decode: bad gzip, broken chunks
            response = _refusal(400, "malformed", http_replies.HTTP_MALFORMED)
        except RecursionError:
            response = _refusal(400, "not_json", http_replies.HTTP_TOO_DEEP)
        except Exception as error:  # our fault: logged, and still a JSON answer with the headers
            log.error("unhandled error on a request (%s)", type(error).__name__, exc_info=error)
            response = _refusal(500, "internal", http_replies.HTTP_INTERNAL)
        finally:
            if deadline is not None:
                deadline.cancel()
        if not response.prepared:
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers["Server"] = "Hosakan"  # not aiohttp's name and version
        return response
    return guarded
