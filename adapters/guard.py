"""What every response of `hosakan serve` goes through, whichever endpoint (or none) answers:

- the peer check: with HOSAKAN_TRUSTED_PROXIES set, only those reverse proxies are answered (and
  loopback's /healthz), and the client's address is the one the proxy saw (X-Forwarded-For);
- the Host check: on a loopback address only loopback host names (and HOSAKAN_ALLOWED_HOSTS) are
  served, so a page on another site cannot reach this machine's Hosakan by DNS rebinding;
- refusals as Japanese JSON: a handler's Refused, aiohttp's own 404/405/413, a body it cannot decode (a bogus
  Content-Encoding), JSON nested too deep, and — logged with its traceback — anything unforeseen;
- the security headers, on every response, errors included.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from hosakan.adapters.http import Refused, reply_json
from hosakan.bot import messages
from hosakan.bot.settings import is_loopback

log = logging.getLogger("hosakan.server")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
                    "Cross-Origin-Resource-Policy": "same-origin"}


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


def guard(hosts: HostCheck, proxies: TrustedProxies, max_body: int):
    @web.middleware
    async def guarded(request: web.Request, handler) -> web.StreamResponse:
        try:
            if not proxies.admits(request):
                response = _refusal(403, "not_through_proxy", messages.HTTP_NOT_PROXIED)
            elif not hosts.accepts(request.host):
                response = _refusal(421, "wrong_host", messages.HTTP_HOST)
            else:
                client = proxies.client(request)
                response = await handler(request.clone(remote=client) if client else request)
        except Refused as refusal:
            response = refusal.response
        except web.HTTPException as error:
            if error.status < 400:  # a redirect raised by a handler
                error.headers.update({k: v for k, v in SECURITY_HEADERS.items() if k not in error.headers})
                raise
            message = messages.api_too_large(max_body) if error.status == 413 else messages.http_refused(error.status)
            allow = {"Allow": error.headers["Allow"]} if "Allow" in error.headers else None
            response = _refusal(error.status, error.reason.lower().replace(" ", "_"), message, allow)
        except (HttpProcessingError, web.RequestPayloadError):  # a body aiohttp cannot decode: bad gzip, broken chunks
            response = _refusal(400, "malformed", messages.HTTP_MALFORMED)
        except RecursionError:
            response = _refusal(400, "not_json", messages.HTTP_TOO_DEEP)
        except Exception as error:  # noqa: BLE001 - our fault: logged, and still a JSON answer with the headers
            log.error("unhandled error on a request (%s)", type(error).__name__, exc_info=error)
            response = _refusal(500, "internal", messages.HTTP_INTERNAL)
        if not response.prepared:
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers["Server"] = "Hosakan"  # not aiohttp's name and version
        return response
    return guarded
