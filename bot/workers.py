"""Answering on every core: `serve` hands questions to N worker processes (HOSAKAN_WORKERS), each
with the index opened (and watched for new generations) on its own. Everything else stays in
the serving process — the platforms, rate limits, conversations and their contexts, the
recorder and its database, the delivery and sign-out checks — so it is as correct with N
workers as with one. A worker that dies is replaced, and meanwhile the serving process answers
the question itself: no official loses an answer to a crashed worker.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from hosakan.bot.models import Answer, Topic
from hosakan.bot.settings import Settings

log = logging.getLogger("hosakan.workers")

_service = None  # the worker process's own opened index


def _start(settings: Settings, opened: Callable[[Settings], object]) -> None:
    """A worker's start: one thread for the embedding engine (the workers share the cores), the
    index opened (``opened(settings)``, a function of the serving module, passed by name) and
    warmed with the first example question, and a watch on the serving process (a worker
    outlives no parent, however it ended)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from hosakan.bot import logs

    logs.configure(logging.INFO)  # the same JSON lines as the serving process's, on the same stderr
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), name="hosakan-parent-watch", daemon=True).start()
    from hosakan.bot.sentences.officials import EXAMPLES

    global _service
    _service = opened(settings)
    _service.ask(EXAMPLES[0])


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _ask(text: str, previous: Topic | None, page: int) -> Answer:
    return _service.ask(text, previous, page)


def _ready() -> bool:
    return _service is not None


class Workers:
    def __init__(self, settings: Settings, count: int, opened: Callable[[Settings], object]):
        """``count`` worker processes, each answering from ``opened(settings)``: a top-level function
        (pickled by name into each new interpreter) that opens the index the way the caller does."""
        self.settings, self.count, self.opened = settings, count, opened
        self._pool = self._new_pool()
        self._replacing = threading.Lock()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: a fresh interpreter, not a fork of a process that already runs threads
        return ProcessPoolExecutor(self.count, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start, initargs=(self.settings, self.opened))

    def start(self, timeout: float = 300.0) -> None:
        """Start the workers, and wait until (at least one of) them has the index open."""
        for job in [self._pool.submit(_ready) for _ in range(self.count)]:
            job.result(timeout=timeout)

    def ask(self, text: str, previous: Topic | None, page: int, here) -> Answer:
        """A worker's answer; ``here()`` (the serving process's own) when the pool is broken."""
        pool = self._pool
        try:
            return pool.submit(_ask, text, previous, page).result()
        except BrokenProcessPool:
            with self._replacing:  # questions running together find it broken together: replaced once
                if self._pool is pool:
                    log.error("a worker process died; starting new ones, answering here meanwhile")
                    self._pool = self._new_pool()
                    pool.shutdown(wait=False, cancel_futures=True)
            return here()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
