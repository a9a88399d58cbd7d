"""What `hosakan serve` loops over: the platforms its adapter folders offer.

An adapter folder that serves over HTTP (adapters/slack, teams, api, web) names in its
``platform.py`` one ``OFFER``: its key (the keyword ``Server`` takes its settings by, and its name
in /healthz), its settings class, and how to build its ``Platform`` from them. The server finds
the folders itself, so a new platform is one new folder; nothing else names it.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from aiohttp import web
from pydantic_settings import BaseSettings

from hosakan import adapters


async def _nothing() -> None:
    return None


@dataclass
class Platform:
    name: str            # as the start-up lines show it: Slack, Teams, API, Web
    mode: str            # "off", or how it runs: "http", "socket", "auth", "local", "on", "header", "code"
    why: str = ""
    routes: Callable[[web.Application], None] = field(default=lambda app: None, repr=False)
    start: Callable[[], Awaitable[None]] = field(default=_nothing, repr=False)   # after the port is open
    stop: Callable[[], Awaitable[None]] = field(default=_nothing, repr=False)
    note: str = ""       # said once listening (the web chat's address)

    @property
    def on(self) -> bool:
        return self.mode != "off"


@dataclass(frozen=True)
class Offer:
    key: str
    order: int           # where it stands in the start-up lines and /healthz
    settings: type[BaseSettings]
    build: Callable[..., Platform]   # (conversation, its settings, the server's Settings) -> Platform


def offers() -> list[Offer]:
    """Every platform an adapter folder offers, in their order."""
    found = []
    for module in pkgutil.iter_modules(adapters.__path__):
        if module.ispkg and importlib.util.find_spec(f"{adapters.__name__}.{module.name}.platform") is not None:
            found.append(importlib.import_module(f"{adapters.__name__}.{module.name}.platform").OFFER)
    return sorted(found, key=lambda offer: offer.order)
