"""The hand-maintained glossary: canonical roles and appointment forms, synonyms, intents."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: dict[str, list[str]]
    appointment_forms: dict[str, list[str]]
    synonyms: list[list[str]]
    attributes: dict[str, list[str]]
    kinds: dict[str, list[str]]
    listing: list[str] = []

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        with path.open(encoding="utf-8") as handle:
            return cls.model_validate(yaml.safe_load(handle))

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.roles)

    @cached_property
    def form_names(self) -> frozenset[str]:
        return frozenset(self.appointment_forms)
