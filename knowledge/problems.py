"""Problem: one thing wrong with one file (a record, the glossary, a sidecar), shared by the loader, the
front-matter reader and the sidecar reader; ``describe`` says a pydantic error in plain Japanese."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hosakan.knowledge import sentences


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


def describe(error: dict) -> str:
    """What is wrong with a value, from one of pydantic's errors: our validators' own Japanese, or
    the type of error said for a maintainer (never pydantic's English)."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    plain = sentences.PLAIN_ERRORS.get(error["type"])
    if plain is None:
        return sentences.PLAIN_FALLBACK  # never pydantic's English
    if error["type"] == "literal_error":
        return sentences.one_of(plain, error["ctx"]["expected"])
    if error["type"] in ("greater_than_equal", "less_than_equal"):
        bound = error["ctx"].get("ge", error["ctx"].get("le"))
        return sentences.within(plain, bound, at_least=error["type"] == "greater_than_equal")
    return plain
