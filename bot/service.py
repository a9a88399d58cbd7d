"""The live index: opened, watched for a newly published generation, warmed and swapped in
between questions. Conversations (bot/chat/conversation.py) ask it."""

from __future__ import annotations

import gc
import logging
import threading
from contextlib import contextmanager

from hosakan.bot.answering.pipeline import Retriever
from hosakan.bot.models import Answer, Topic
from hosakan.bot.sentences import maintainers
from hosakan.bot.sentences.officials import EXAMPLES
from hosakan.bot.settings import Settings
from hosakan.bot.workers import Workers
from hosakan.indexer.embeddings import load_embedder
from hosakan.indexer.store import OpenIndex, current_generation, open_current

log = logging.getLogger("hosakan.bot")

REFRESH_EVERY = 0.5  # seconds between the watcher's looks at the CURRENT pointer
RETIRE_AFTER = 60.0  # seconds an old index stays open for the questions still using it


@contextmanager
def collection_paused():
    """Python's cyclic garbage collector paused while an index opens: opening one makes hundreds
    of thousands of objects, and every full collection meanwhile walks all of the index in use too
    (at 100,000 passages that doubled a reload). Questions answered meanwhile are unaffected."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class LiveIndex:
    """The opened index and its retriever. A watcher thread opens a newly published index, warms
    it and swaps it in between questions: no question waits for an index to open."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._swap = threading.Lock()
        self._stopped = threading.Event()
        self._last_failure = ""
        self.workers: Workers | None = None
        self.index, self.retriever = self._open()
        self._watcher = threading.Thread(target=self._watch, name="hosakan-index-watcher", daemon=True)
        self._watcher.start()

    def _open(self) -> tuple[OpenIndex, Retriever]:
        index = open_current(self.settings.index_dir)
        return index, Retriever(index, max_chars=self.settings.max_question_chars, hits=self.settings.hits)

    def _watch(self) -> None:
        while not self._stopped.wait(REFRESH_EVERY):
            try:
                self.refresh()
            except Exception as error:  # a published index that cannot be opened: keep serving
                if repr(error) != self._last_failure:  # said once, not every half second
                    self._last_failure = repr(error)
                    log.exception("cannot open the published index; still serving %s", self.index.path.name)

    def refresh(self) -> bool:
        """Open the published index if it is not the one in use, read into it what questions read
        from the old one, then swap. Questions already running keep the retriever they started
        with; the next ones get the new one."""
        live = current_generation(self.settings.index_dir)
        if live is None or live == self.index.path:
            return False
        with self._swap:
            if live == self.index.path:
                return False
            with collection_paused():
                index, retriever = self._open()
                retriever.warm(self.retriever, EXAMPLES[0])
            old, (self.index, self.retriever) = self.retriever, (index, retriever)
            log.info("now serving index %s", index.path.name)
            # questions still running on the old index finish first; then its files are let go
            closer = threading.Timer(RETIRE_AFTER, old.close)
            closer.daemon = True
            closer.start()
        return True

    def use_workers(self, count: int) -> None:
        """Answer in ``count`` worker processes from now on (1: in this process, as before)."""
        if count > 1 and self.workers is None:
            workers = Workers(self.settings, count, LiveIndex)
            try:
                workers.start()
            except Exception as error:  # noqa: BLE001 - the workers cannot start: this process answers
                log.error("could not start %d worker processes (%s); answering in the serving process",
                          count, type(error).__name__)
                workers.close()
                return
            self.workers = workers

    def ask(self, text: str, previous: Topic | None = None, page: int = 0) -> Answer:
        here = lambda: self.retriever.ask(text, previous, page)  # noqa: E731
        return self.workers.ask(text, previous, page, here) if self.workers else here()

    def search(self, query: str, limit: int, nothing: str):
        """Passages for a query with no answer decided (Retriever.search), in this process: a
        lookup is quick, and the workers only answer."""
        return self.retriever.search(query, limit, nothing)

    def fetch(self, wanted: str):
        """A passage, record or source document by its id (Retriever.fetch), in this process."""
        return self.retriever.fetch(wanted)

    def semantic_state(self) -> str:
        """Whether answers use the dense ranking too, and if not, why (for `serve` and /healthz)."""
        if self.retriever.semantic is not None:
            return maintainers.semantic_on(*self.retriever.semantic)
        if load_embedder() is None:
            return maintainers.SEMANTIC_NOT_INSTALLED
        return maintainers.SEMANTIC_NO_VECTORS

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
        self._stopped.set()
        with self._swap:  # not while the watcher is opening an index
            self.retriever.close()
