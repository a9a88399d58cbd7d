"""Feedback from the chat platforms (👍 / 👎), kept with the question, the answer and its hits."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path


class FeedbackLog:
    """Appends one JSON line per vote. User ids are stored hashed with a secret salt."""

    def __init__(self, path: Path, salt: str):
        self.path = Path(path)
        self.salt = salt
        self._lock = threading.Lock()

    def user_hash(self, platform: str, user_id: str) -> str:
        return hashlib.sha256(f"{self.salt}:{platform}:{user_id}".encode()).hexdigest()[:16]

    def record(self, *, platform: str, user_id: str, question: str, answered: bool,
               hit_ids: list[str], helpful: bool) -> dict:
        entry = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "platform": platform,
            "user": self.user_hash(platform, user_id), "question": question, "answered": answered,
            "hits": hit_ids, "helpful": helpful,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
