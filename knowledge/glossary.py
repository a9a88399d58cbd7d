"""The hand-maintained glossary: canonical roles and appointment forms, synonyms, intents."""

from __future__ import annotations

import unicodedata
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from hosakan.knowledge import front_matter, sentences
from hosakan.knowledge.files import Refused, read_bytes
from hosakan.knowledge.problems import Problem, describe

MAX_GLOSSARY_BYTES = 1_000_000  # the domain's words: a few KB today


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
    def read(cls, path: Path, max_bytes: int = MAX_GLOSSARY_BYTES) -> tuple["Glossary | None", list[Problem]]:
        """The glossary at ``path``, or None with every problem found (in Japanese, with its line):
        a link or not a plain file, unreadable, too large, not UTF-8, a YAML mistake, an alias, a
        field that does not fit. Never raises."""
        try:  # never through a link, never a FIFO
            text = read_bytes(path, max_bytes, lambda size: sentences.too_large(size, max_bytes)).decode("utf-8")
        except Refused as refused:
            return None, [Problem(path, "(glossary)", refused.reason)]
        except UnicodeDecodeError:
            return None, [Problem(path, "(glossary)", sentences.NOT_UTF8)]
        reading = front_matter.read(path, text.lstrip("\ufeff"), first_line=1, field="(glossary)")
        if reading.problems:  # a glossary is all or nothing: no part of it is used with a mistake
            return None, reading.problems
        if not isinstance(reading.data, dict):
            return None, [Problem(path, "(glossary)", sentences.NOT_ITEMS)]
        try:
            return cls.model_validate(reading.data), []
        except ValidationError as exc:
            return None, [Problem(path, ".".join(str(part) for part in err["loc"]) or "(glossary)", describe(err),
                                  reading.line_of(err["loc"])) for err in exc.errors()]

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        """The glossary at ``path``; raises ValueError with its problems (``read`` returns them)."""
        glossary, problems = cls.read(path)
        if glossary is None:
            raise ValueError("\n".join(str(problem) for problem in problems))
        return glossary

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
