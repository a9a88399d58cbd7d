"""Read the record files, check them, and report every problem at once in plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from knowledge.glossary import Glossary
from knowledge.schema import FOLDERS, Record

DEFAULT_DIR = Path(__file__).resolve().parent
MAX_RECORD_BYTES = 1_000_000  # a record is an article's facts, not the article: HOSAKAN_MAX_RECORD_BYTES
_RECORD = TypeAdapter(Record)
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_SPEAKER = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)

_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster

_PLAIN = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field (check the spelling)",
    "string_too_short": "must not be empty",
    "too_short": "must list at least one item",
    "string_pattern_mismatch": "may hold only lower-case letters, digits and hyphens",
    "literal_error": "must be one of the allowed values",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD",
    "date_parsing": "must be a date written as YYYY-MM-DD",
    "date_type": "must be a date written as YYYY-MM-DD",
    "int_parsing": "must be a whole number",
    "float_parsing": "must be a number",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (one '- item' per line)",
    "string_type": "must be text",
    "union_tag_invalid": "must be one of: case, roundtable, reference",
    "union_tag_not_found": "is required but missing (case, roundtable or reference)",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record file, in words a maintainer understands."""

    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


@dataclass
class KnowledgeBase:
    """Every record that loaded, the glossary, and every problem found on the way."""

    root: Path
    glossary: Glossary
    records: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_id(self) -> dict:
        return {record.id: record for record in self.records}


def record_files(root: Path) -> list[Path]:
    return sorted(path for folder in FOLDERS.values() for path in (root / folder).glob("*.md"))


def _field_name(location: tuple) -> str:
    parts = [str(part) for part in location if part not in ("case", "roundtable", "reference")]
    return ".".join(parts) or "(front matter)"


def _describe(error: dict) -> str:
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    plain = _PLAIN.get(error["type"])
    if plain is None:
        return error["msg"]
    if error["type"] == "literal_error":
        return f"{plain}: {error['ctx']['expected']}"
    return plain


def parse_file(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> tuple[dict | None, str, list[Problem]]:
    """Front matter and body of one file, or the problem that stops it being read."""
    size = path.stat().st_size
    if size > max_bytes:
        return None, "", [Problem(path, "(file)", f"is {size:,} bytes, over the limit of {max_bytes:,} "
                                                  "(HOSAKAN_MAX_RECORD_BYTES); keep the facts, not the whole article")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, "", [Problem(path, "(file)", "is not UTF-8 text; save it as UTF-8")]
    match = _FRONT.match(text.lstrip("\ufeff"))
    if not match:
        return None, "", [
            Problem(path, "(file)", "must start with front matter between two '---' lines")
        ]
    try:
        data = yaml.load(match.group(1), Loader=_YAML)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark else ""
        return None, "", [Problem(path, "(front matter)", f"is not valid YAML{where}: {exc.problem if hasattr(exc, 'problem') else exc}")]
    if not isinstance(data, dict):
        return None, "", [Problem(path, "(front matter)", "must be a set of 'field: value' lines")]
    return data, match.group(2), []


def _check_vocabulary(data: dict, body: str, glossary: Glossary, path: Path) -> list[Problem]:
    """Checks against the glossary and the body, run on the raw front matter so that they are
    reported together with any schema problem."""
    problems = []
    for field_name, known, what in (("roles", glossary.role_names, "role"),
                                     ("appointment_forms", glossary.form_names, "appointment form")):
        values = data.get(field_name) if data.get("kind") == "case" else None
        for index, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str) and value not in known:
                problems.append(Problem(path, f"{field_name}.{index}", f"unknown {what} {value!r}; use one of {', '.join(sorted(known))} (or add it to glossary.yaml)"))
    participants = data.get("participants") if data.get("kind") == "roundtable" else None
    if isinstance(participants, list):
        keys = {p.get("key") for p in participants if isinstance(p, dict)}
        for speaker in _SPEAKER.findall(body):
            if speaker not in keys:
                problems.append(Problem(path, "body", f"speaker heading '### {speaker}' names nobody in participants (keys: {', '.join(sorted(str(k) for k in keys))})"))
    if not body.strip():
        problems.append(Problem(path, "body", "is empty; write the facts below the front matter"))
    return problems


def load_record(path: Path, glossary: Glossary, max_bytes: int = MAX_RECORD_BYTES):
    """One record, or the problems that stop it loading."""
    data, body, problems = parse_file(path, max_bytes)
    if data is None:
        return None, problems
    for name in ("body", "path"):
        if name in data:
            problems.append(Problem(path, name, "is filled in by Hosakan; remove it from the front matter"))
            data.pop(name)
    try:
        record = _RECORD.validate_python({**data, "body": body, "path": path})
    except ValidationError as exc:
        record = None
        problems.extend(Problem(path, _field_name(err["loc"]), _describe(err)) for err in exc.errors())
    problems.extend(_check_vocabulary(data, body, glossary, path))
    expected = FOLDERS.get(str(data.get("kind")))
    if expected and path.parent.name != expected:
        problems.append(Problem(path, "kind", f"a {data['kind']} record belongs in {expected}/"))
    return (None if problems else record), problems


def load(root: Path | None = None, max_bytes: int = MAX_RECORD_BYTES) -> KnowledgeBase:
    """Load every record under ``root``; problems are collected, never raised."""
    root = Path(root or DEFAULT_DIR)
    glossary_path = root / "glossary.yaml"
    if not glossary_path.exists():
        glossary_path = DEFAULT_DIR / "glossary.yaml"
    try:
        glossary = Glossary.load(glossary_path)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc).splitlines()[0]
        base = KnowledgeBase(root=root, glossary=Glossary.load(DEFAULT_DIR / "glossary.yaml"))
        base.problems.append(Problem(glossary_path, "(glossary)", f"cannot be read: {detail}"))
        return base
    base = KnowledgeBase(root=root, glossary=glossary)
    seen: dict[str, Path] = {}
    for path in record_files(root):
        record, problems = load_record(path, glossary, max_bytes)
        base.problems.extend(problems)
        if record is None:
            continue
        if record.id in seen:
            base.problems.append(Problem(path, "id", f"duplicate id {record.id!r}, also used by {seen[record.id]}"))
            continue
        seen[record.id] = path
        base.records.append(record)
    if not seen and not base.problems:
        base.problems.append(Problem(root, "(folder)", "holds no records (expected cases/, roundtables/, references/ with .md files)"))
    return base
