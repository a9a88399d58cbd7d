"""Read the record files, check them, and report every problem at once in plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from hosakan.knowledge import dates, front_matter, sentences, todos
from hosakan.knowledge.files import Refused, listing, read_bytes
from hosakan.knowledge.glossary import Glossary
from hosakan.knowledge.problems import Problem, describe
from hosakan.knowledge.schema import FOLDERS, Record

DEFAULT_DIR = Path(__file__).resolve().parent
MAX_RECORD_BYTES = 1_000_000  # a record is an article's facts, not the article: HOSAKAN_MAX_RECORD_BYTES
_RECORD = TypeAdapter(Record)
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_SPEAKER = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)

_NO_LINE = {"body", "(file)", "(front matter)"}  # problems no front-matter line is to blame for
_YAML = front_matter.LOADER  # the parser front matter is read with, looked up per file (a test swaps it)

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


def record_listing(root: Path) -> tuple[list[Path], list[Problem]]:
    """The record files (``*.md`` in each kind's folder), and a problem for each one that is not
    read: a link, not a plain file, a name that is not UTF-8."""
    files, problems = [], []
    for folder in FOLDERS.values():
        found, refused = listing(root / folder, lambda path, top=root / folder: path.suffix == ".md"
                                 and path.parent == top)
        files += found
        problems += refused
    return sorted(files), problems


def record_files(root: Path) -> list[Path]:
    return record_listing(root)[0]


def _field_name(location: tuple) -> str:
    parts = [str(part) for part in location if part not in ("case", "roundtable", "reference")]
    return ".".join(parts) or "(front matter)"


def parse_file(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> tuple[front_matter.Reading | None, str, list[Problem]]:
    """Front matter (as read: its data, where each field is written, what was left unread) and
    body of one file, and the problems found reading it. The reading is None when a problem stops
    the front matter being read; it may come with problems that did not."""
    try:
        text = read_bytes(path, max_bytes, lambda size: sentences.record_too_large(size, max_bytes)).decode("utf-8")
    except Refused as refused:
        return None, "", [Problem(path, "(file)", refused.reason)]
    except UnicodeDecodeError:
        return None, "", [Problem(path, "(file)", sentences.NOT_UTF8)]
    match = _FRONT.match(text.lstrip("\ufeff"))
    if not match:
        return None, "", [Problem(path, "(file)", sentences.NO_FRONT_MATTER)]
    reading = front_matter.read(path, match.group(1), _YAML)
    if reading.data is None:
        return None, "", reading.problems
    if not isinstance(reading.data, dict):
        return None, "", reading.problems + [Problem(path, "(front matter)", sentences.NOT_ITEMS)]
    return reading, match.group(2), reading.problems


def _location(field_name: str) -> tuple:
    """``compensation.0.amount_yen`` as a location in the front matter: ("compensation", 0, "amount_yen")."""
    return tuple(int(part) if part.isdigit() else part for part in field_name.split("."))


def _validated(data: dict, body: str, path: Path, reading: front_matter.Reading) -> tuple[object, list[Problem]]:
    """The record, or the schema's problems with it. A top-level item left unread for a YAML
    mistake is not reported again (as missing, say); without its kind a record is not checked."""
    if "kind" in reading.skipped:
        return None, []
    try:
        return _RECORD.validate_python({**data, "body": body, "path": path}, context={"today": dates.today()}), []
    except ValidationError as exc:
        errors = [err for err in exc.errors()
                  if _field_name(err["loc"]).split(".")[0] not in reading.skipped]
        return None, [Problem(path, _field_name(err["loc"]), describe(err)) for err in errors]


def _check_vocabulary(data: dict, body: str, glossary: Glossary, path: Path) -> list[Problem]:
    """Checks against the glossary and the body, run on the raw front matter so that they are
    reported together with any schema problem."""
    problems = []
    for field_name, known in (("roles", glossary.role_names), ("appointment_forms", glossary.form_names)):
        what = sentences.GLOSSARY_FIELDS[field_name]
        values = data.get(field_name) if data.get("kind") == "case" else None
        for index, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str) and value not in known:
                named = glossary.variant_of(field_name, value)
                if named:
                    problems.append(Problem(path, f"{field_name}.{index}",
                                            sentences.glossary_variant(what, value, named)))
                else:
                    problems.append(Problem(path, f"{field_name}.{index}",
                                            sentences.not_in_glossary(what, value, sorted(known))))
    participants = data.get("participants") if data.get("kind") == "roundtable" else None
    if isinstance(participants, list):
        keys = {p.get("key") for p in participants if isinstance(p, dict)}
        for speaker in _SPEAKER.findall(body):
            if speaker not in keys:
                problems.append(Problem(path, "body", sentences.speaker_not_participant(
                    speaker, sorted(str(k) for k in keys))))
    if not body.strip():
        problems.append(Problem(path, "body", sentences.EMPTY_BODY))
    return problems


def _canonical_names(data: dict, glossary: Glossary) -> None:
    """A case's roles and appointment forms as the glossary names them, width, case and spaces
    aside: ＣＩＯ補佐官, cio補佐官 and ＣＩＯ　補佐官 are stored as CIO補佐官 (the same name, as search
    reads it). A glossary variant is not folded: it is reported with the name to write."""
    if data.get("kind") != "case":
        return
    for field_name in ("roles", "appointment_forms"):
        values = data.get(field_name)
        if isinstance(values, list):
            named = [glossary.canonical(field_name, v) or v if isinstance(v, str) else v for v in values]
            data[field_name] = list(dict.fromkeys(named)) if all(isinstance(v, str) for v in named) else named


def load_record(path: Path, glossary: Glossary, max_bytes: int = MAX_RECORD_BYTES):
    """One record, or the problems that stop it loading (a field's with the line it is written on)."""
    reading, body, problems = parse_file(path, max_bytes)
    if reading is None:
        return None, problems
    problems = list(problems)
    data = reading.data
    _canonical_names(data, glossary)
    for name in ("body", "path"):
        if name in data:
            problems.append(Problem(path, name, sentences.FILLED_BY_HOSAKAN))
            data.pop(name)
    record, invalid = _validated(data, body, path, reading)
    problems.extend(invalid)
    problems.extend(_check_vocabulary(data, body, glossary, path))
    problems.extend(Problem(path, where, sentences.todo_left(what), line)  # a draft's TODOs (hosakan draft)
                    for line, where, what in todos.leftover(path.read_text(encoding="utf-8")))
    expected = FOLDERS.get(str(data.get("kind")))
    if expected and path.parent.name != expected:
        problems.append(Problem(path, "kind", sentences.wrong_folder(data["kind"], expected)))
    problems = [replace(p, line=reading.line_of(_location(p.field)))
                if p.line is None and p.field not in _NO_LINE else p
                for p in problems]
    return (None if problems else record), problems


def load(root: Path | None = None, max_bytes: int = MAX_RECORD_BYTES) -> KnowledgeBase:
    """Load every record under ``root``; problems are collected, never raised."""
    root = Path(root or DEFAULT_DIR)
    glossary_path = root / "glossary.yaml"
    if not (glossary_path.exists() or glossary_path.is_symlink()):
        glossary_path = DEFAULT_DIR / "glossary.yaml"
    glossary, problems = Glossary.read(glossary_path)
    if glossary is None:
        base = KnowledgeBase(root=root, glossary=Glossary.load(DEFAULT_DIR / "glossary.yaml"))
        base.problems.extend(problems)
        return base
    base = KnowledgeBase(root=root, glossary=glossary)
    seen: dict[str, Path] = {}
    paths, base.problems = record_listing(root)
    for path in paths:
        record, problems = load_record(path, glossary, max_bytes)
        base.problems.extend(problems)
        if record is None:
            continue
        if record.id in seen:
            base.problems.append(Problem(path, "id", sentences.duplicate_id(record.id, seen[record.id])))
            continue
        seen[record.id] = path
        base.records.append(record)
    if not seen and not base.problems:
        base.problems.append(Problem(root, "(folder)", sentences.NO_RECORDS))
    return base
