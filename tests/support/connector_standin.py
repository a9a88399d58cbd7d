"""A small stand-in for Microsoft's Bot Connector service and its token-signing keys, on
127.0.0.1. It records the replies the bot sends, answers each with a message id of its own (as
Teams does: the id a 👍/👎 on that message names later), and serves the members look-up and
OpenID keys."""

from __future__ import annotations

import itertools
import json
import time

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.local_server import LocalServer

KEY_ID = "stand-in-signing-key"
ISSUER = "https://api.botframework.com"


class ConnectorStandIn(LocalServer):
    def __init__(self) -> None:
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._ids = itertools.count(1)  # message ids never repeat, however often `calls` is cleared

    async def _activities(self, request: web.Request) -> web.Response:
        body = await request.json()
        message_id = str(1_800_000_000_000 + next(self._ids))  # Teams' message ids: epoch milliseconds
        self.calls.append({"kind": "reply", "conversation": request.match_info["conversation"],
                           "reply_to": request.match_info.get("reply_to"), "activity": body, "id": message_id,
                           "auth": request.headers.get("Authorization", ""), "at": time.monotonic()})
        return web.json_response({"id": message_id})

    async def _member(self, request: web.Request) -> web.Response:
        self.calls.append({"kind": "member", "member": request.match_info["member"]})
        return web.json_response({"id": request.match_info["member"], "name": "追加されたメンバー",
                                  "aadObjectId": "00000000-0000-4000-8000-0000000000m1"})

    async def _openid(self, request: web.Request) -> web.Response:
        self.calls.append({"kind": "openid"})
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.url}/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        self.calls.append({"kind": "keys"})
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return web.json_response({"keys": [{**public, "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]})

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._activities)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activities)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_get("/openid", self._openid)
        app.router.add_get("/keys", self._keys)

    def replies(self) -> list[dict]:
        return [c for c in self.calls if c["kind"] == "reply"]

    def signed_token(self, app_id: str, service_url: str, key=None) -> str:
        """A Bot Framework token signed with the key the stand-in publishes (as Microsoft's would be)."""
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": app_id, "serviceurl": service_url, "nbf": now - 60, "exp": now + 3600}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def forged_token(self, app_id: str, service_url: str) -> str:
        """A well-formed Bot Framework token, signed with a key the stand-in does not publish."""
        return self.signed_token(app_id, service_url, rsa.generate_private_key(public_exponent=65537, key_size=2048))
