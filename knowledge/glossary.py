"""The hand-maintained glossary: canonical roles and appointment forms, synonyms, intents."""

from __future__ import annotations

import unicodedata
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict


def name_key(text: str) -> str:
    """Two spellings of one name compare equal: NFKC (ＣＩＯ is CIO), case folded (cio), every space
    dropped (ＣＩＯ　補佐官)."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


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

    def _names(self, field: str) -> dict[str, list[str]]:
        return {"roles": self.roles, "appointment_forms": self.appointment_forms}[field]

    @cached_property
    def _canonical_keys(self) -> dict[str, dict[str, str]]:
        return {field: {name_key(name): name for name in self._names(field)}
                for field in ("roles", "appointment_forms")}

    @cached_property
    def _variant_keys(self) -> dict[str, dict[str, list[str]]]:
        found: dict[str, dict[str, list[str]]] = {}
        for field in ("roles", "appointment_forms"):
            keys: dict[str, list[str]] = {}
            for name, variants in self._names(field).items():
                for variant in variants:
                    keys.setdefault(name_key(variant), []).append(name)
            found[field] = keys
        return found

    def canonical(self, field: str, value: str) -> str | None:
        """The canonical name (``roles`` or ``appointment_forms``) that ``value`` spells, width,
        case and spaces aside: ＣＩＯ　補佐官 and cio補佐官 are CIO補佐官. A variant is not a name
        (records use the canonical names; variants are the words of questions)."""
        return self._canonical_keys[field].get(name_key(value))

    def variant_of(self, field: str, value: str) -> list[str]:
        """The canonical names that list ``value`` among their variants (CIO補佐 -> [CIO補佐官])."""
        return list(dict.fromkeys(self._variant_keys[field].get(name_key(value), [])))
