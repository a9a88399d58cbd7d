"""A fitted model's file, beside the module that uses it: the names of its features, its
parameters and the figures of its fit, as JSON. The answer policy and the sentence scorer keep
theirs this way; a file fitted on other features is refused with the command that refits it."""

from __future__ import annotations

import json
from pathlib import Path


def write(path: Path, features: tuple[str, ...], parameters: dict, note: dict | None = None) -> None:
    data = {"features": list(features), **parameters, **(note or {})}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read(path: Path, features: tuple[str, ...], refit: str) -> dict:
    """The model's data; ValueError when it was fitted on other features than ``features``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != features:
        raise ValueError(f"{path}: fitted on other features; run python -m {refit}")
    return data
