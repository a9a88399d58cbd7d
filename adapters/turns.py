"""Each asker's fair share of the answering: at most AT_ONCE of one asker's questions (or button
presses) are being answered at a time — twice as many as the machine has cores, so that one
portal asking for many officials through one API token keeps every worker busy while answers
travel back — and the rest wait
their turn in the event loop, holding no thread. A client that sends a burst of questions within
its rate limit thus delays another's question by at most AT_ONCE answers, not by its whole burst.
Every surface goes through ``in_turn``; the core's answering itself stays synchronous (bot/)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import weakref
from typing import Callable, TypeVar

from hosakan.bot.events import Asker

AT_ONCE = 2 * (os.cpu_count() or 1)
T = TypeVar("T")


class Turns:
    def __init__(self, at_once: int = AT_ONCE):
        self.at_once = at_once
        self._lines: dict[str, list] = {}  # asker -> [its semaphore, how many hold or wait for it]

    @contextlib.asynccontextmanager
    async def of(self, key: str):
        line = self._lines.setdefault(key, [asyncio.Semaphore(self.at_once), 0])
        line[1] += 1
        try:
            async with line[0]:
                yield
        finally:
            line[1] -= 1
            if not line[1]:
                del self._lines[key]


_TURNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # one Turns per event loop (per server)


async def in_turn(asker: Asker, work: Callable[..., T], *args) -> T:
    """``work(*args)`` in a thread, when it is this asker's turn."""
    turns = _TURNS.setdefault(asyncio.get_running_loop(), Turns())
    async with turns.of(f"{asker.platform}:{asker.user_id}"):
        return await asyncio.to_thread(work, *args)
