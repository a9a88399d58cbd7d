"""Problem: one thing wrong with one record file, shared by the loader and the front-matter reader."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record file, in words a maintainer understands."""

    path: Path
    field: str
    message: str
    line: int | None = None  # the line in the file (1 is the first ---), where one is to blame

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}"
