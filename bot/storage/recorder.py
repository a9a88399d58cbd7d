"""Writes to the history database after the answer, from one background thread.

Recording a question, feedback, an escalation or a conversation's context never delays or
replaces an answer: a write is queued and the answer goes out. A write that fails (the database
down, locked or read-only) stays queued and is retried with a growing pause; at most ``bound``
writes wait, and beyond that the oldest are dropped and counted. The outage is logged once when
it starts and once when it ends, never with the question text; the connection pool is emptied
after every failure, so connections opened while the database was read-only do not outlive it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

log = logging.getLogger("hosakan.recorder")

Write = Callable[[Session], None]
BATCH = 200


def _outage(error: BaseException) -> bool:
    """A failure of the database (retry later), not of the write itself (retrying cannot help)."""
    return isinstance(error, (OperationalError, InterfaceError)) or getattr(error, "connection_invalidated", False)


class Recorder:
    def __init__(self, engine, bound: int = 10_000, pause: tuple[float, float] = (0.2, 5.0),
                 prepare: Callable[[], None] | None = None):
        self.engine = engine
        self.prepare = prepare  # run before the first write and after an outage: creates missing tables
        self._prepared = False
        self.bound = bound
        self.pause = pause
        self._waiting: deque[Write] = deque()
        self._busy = 0  # writes taken from the queue and not yet settled
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False
        self.written = 0
        self.dropped = 0
        self.failing_since: datetime | None = None
        self.last_error = ""

    # -- what callers use -----------------------------------------------------------------
    def submit(self, write: Write) -> None:
        """Queue one write (a function given a session in a transaction); returns at once."""
        with self._changed:
            if len(self._waiting) >= self.bound:
                self._waiting.popleft()
                self.dropped += 1
            self._waiting.append(write)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="hosakan-recorder", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    @property
    def pending(self) -> int:
        with self._changed:
            return len(self._waiting) + self._busy

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued write is written (or dropped); False when ``timeout`` ran out first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._waiting or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (for at most ``timeout``), then stop; what could not be written is counted."""
        self.flush(timeout)
        with self._changed:
            self._closing = True
            lost = len(self._waiting)
            self.dropped += lost
            self._waiting.clear()
            self._changed.notify_all()
        if lost:
            log.warning("stopped with %d writes not recorded (the history database was unavailable)", lost)

    def state(self) -> dict:
        """For /healthz: ok or failing, with the counts."""
        with self._changed:
            return {
                "status": "failing" if self.failing_since else "ok",
                "failing_since": self.failing_since.isoformat(timespec="seconds") if self.failing_since else None,
                "pending": len(self._waiting) + self._busy, "written": self.written, "dropped": self.dropped,
                "last_error": self.last_error or None,
            }

    def ready(self) -> None:
        """Prepare now (at start), so the first write need not; a failure is an outage like any other."""
        try:
            if self.prepare is not None:
                self.prepare()
            self._prepared = True
        except Exception as error:  # noqa: BLE001 - a database down at start costs no answer either
            self.failed(error, "preparing the tables")

    # -- health, shared with the readers (a failed context read is the same outage) --------
    def failed(self, error: BaseException, doing: str) -> None:
        self.last_error = type(error).__name__
        if self.failing_since is None:
            self.failing_since = datetime.now(timezone.utc)
            log.warning("the history database is unavailable (%s while %s); answers go on, writes wait "
                        "and are retried", type(error).__name__, doing)
        self.engine.dispose()  # connections opened read-only or to a dead server must not be reused

    def succeeded(self, written: int = 0) -> None:
        """The database took a write (``written`` of them still counted as waiting)."""
        if self.failing_since is not None:
            seconds = (datetime.now(timezone.utc) - self.failing_since).total_seconds()
            self.failing_since = None
            log.warning("the history database is back after %.0f s; %d writes waiting, %d dropped so far",
                        seconds, self.pending - written, self.dropped)

    # -- the writer thread ----------------------------------------------------------------
    def _take(self, size: int) -> list[Write]:
        with self._changed:
            while not self._waiting and not self._closing:
                self._changed.wait()
            batch = [self._waiting.popleft() for _ in range(min(size, len(self._waiting)))]
            self._busy = len(batch)
            return batch

    def _settle(self, written: int, dropped: int, back: list[Write]) -> None:
        with self._changed:
            self.written += written
            self.dropped += dropped
            self._waiting.extendleft(reversed(back))
            while len(self._waiting) > self.bound:
                self._waiting.popleft()
                self.dropped += 1
            self._busy = 0
            self._changed.notify_all()

    def _run(self) -> None:
        pause = self.pause[0]
        size = BATCH
        while True:
            batch = self._take(size)
            if not batch:
                return  # closing
            try:
                if self.prepare is not None and not self._prepared:
                    self.prepare()
                    self._prepared = True
                with Session(self.engine) as session, session.begin():
                    for write in batch:
                        write(session)
            except Exception as error:  # noqa: BLE001 - kept and retried, or dropped and counted
                if _outage(error):
                    self.failed(error, "writing")
                    self._prepared = False
                    self._settle(0, 0, batch)
                    time.sleep(pause)
                    pause = min(pause * 2, self.pause[1])
                elif len(batch) > 1:
                    self._settle(0, 0, batch)
                    size = 1  # find the one write that cannot succeed
                else:
                    log.error("dropped a write the database refused (%s)", type(error).__name__)
                    self._settle(0, 1, [])
                continue
            self.succeeded(len(batch))  # said before flush() can return: whoever waited sees it
            self._settle(len(batch), 0, [])
            pause, size = self.pause[0], BATCH
