"""A source document's sidecar (``募集要項.pdf.yaml`` beside ``募集要項.pdf``): what a maintainer says
about the document, read with the bounded YAML reader and checked, every problem named in one run.

    title: 令和8年度 CIO補佐官の募集
    publisher: 丸亀市 デジタル推進課
    url: https://www.city.marugame.lg.jp/dx/cio.html
    published: 2026-01-15
    municipality: 丸亀市

``read_sidecar(path)`` returns ``(fields, problems)``:

- ``fields``: the fields written and valid, each as text: ``title``, ``publisher``,
  ``municipality`` as written (whitespace stripped; a YAML number or date, ``title: 2026``, is the
  text written, "2026"); ``url`` one http(s) address; ``published`` in the canonical form of
  ``dates.parse_date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; 令和8年1月15日 is read). A field
  left empty (``publisher:``) is not in it. No sidecar file: ``({}, [])``.
- ``problems``: one ``Problem`` per mistake, all of them at once, in Japanese, each with the
  sidecar's path, the field (``url``; ``(説明ファイル)`` for the file as a whole), the line where
  one is to blame, what is wrong and how to write it: the file too large (``MAX_SIDECAR_BYTES``),
  not UTF-8, a YAML mistake (as in a record's front matter, with the line quoted), an alias, not
  「項目: 値」 lines, an unknown field (a typo), a value that is a list or a number where text
  belongs, more than one URL, a date that cannot be read or never was (2026-02-30).

A caller (the indexer) leaves the document out of the index when there are problems, names them
as it names a record's, and indexes the rest. Nothing here raises for what the file holds; an
OSError (a file that cannot be opened) is the caller's, like the document's own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator

from hosakan.knowledge import front_matter, sentences
from hosakan.knowledge.dates import parse_date, why_not
from hosakan.knowledge.problems import Problem, describe
from hosakan.knowledge.schema import HTTP_URL

SUFFIX = ".yaml"
MAX_SIDECAR_BYTES = 64 * 1024  # five short fields; anything larger is not a sidecar
FIELDS = ("title", "publisher", "url", "published", "municipality")
WHOLE = sentences.SIDECAR_FIELD  # the field named for a problem with the file as a whole


def sidecar_of(document: Path) -> Path:
    """Where the sidecar of ``document`` is: ``募集要項.pdf`` -> ``募集要項.pdf.yaml``."""
    return document.with_name(document.name + SUFFIX)


def _text(value: object) -> str | None:
    """Text as a maintainer means it: a YAML integer or date is the text written (title: 2026);
    a decimal, true/false, a list or a mapping are named, since what was written is lost or is
    not one text."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(sentences.read_as_boolean(str(value).lower()))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        raise ValueError(sentences.read_as_number(value))
    if isinstance(value, (list, dict)):
        raise ValueError(sentences.ONE_TEXT)
    if not isinstance(value, str):
        raise ValueError(sentences.WRITE_TEXT)
    return value.strip() or None


Text = Annotated[str | None, BeforeValidator(_text)]


class Sidecar(BaseModel):
    """What a sidecar may say about its document; every field optional."""

    model_config = ConfigDict(extra="forbid")

    title: Text = None
    publisher: Text = None
    municipality: Text = None
    url: str | None = None
    published: str | None = None

    @field_validator("url", mode="before")
    @classmethod
    def _one_url(cls, value: object) -> str | None:
        if isinstance(value, list):
            raise ValueError(sentences.one_url(len(value)))
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not HTTP_URL.match(value.strip()):
            raise ValueError(sentences.HTTP_URL_SAID + sentences.SIDECAR_URL_EXAMPLE)
        return value.strip()

    @field_validator("published", mode="before")
    @classmethod
    def _date(cls, value: object) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float):  # YAML reads published: 2026.10 as the number 2026.1
            raise ValueError(sentences.published_dotted(value))
        text = parse_date(value)
        if text:
            return text
        if why_not(value):
            raise ValueError(sentences.published_never_was(why_not(value)))
        raise ValueError(sentences.date_unreadable(value))


def _said(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return sentences.sidecar_unknown_field(FIELDS)
    return describe(error)


def read_sidecar(path: Path, max_bytes: int = MAX_SIDECAR_BYTES) -> tuple[dict[str, str], list[Problem]]:
    """The fields of the sidecar at ``path`` (the ``.yaml`` file itself; see ``sidecar_of``) that
    are written and valid, and every problem with it, in Japanese with its field and line. See the
    module's docstring for both; ``({}, [])`` when there is no sidecar."""
    path = Path(path)
    if not path.is_file():
        return {}, []
    size = path.stat().st_size
    if size > max_bytes:
        return {}, [Problem(path, WHOLE, sentences.sidecar_too_large(size, max_bytes, FIELDS))]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return {}, [Problem(path, WHOLE, sentences.NOT_UTF8)]
    reading = front_matter.read(path, text.lstrip("\ufeff"), first_line=1, field=WHOLE)
    problems = list(reading.problems)
    data = reading.data
    written = any(line.strip() and not line.strip().startswith("#") for line in text.splitlines())
    if problems and data is None or not written:
        return {}, problems  # a YAML mistake, named; or an empty sidecar (comments only), which says nothing
    if not isinstance(data, dict):
        return {}, problems + [Problem(path, WHOLE, sentences.SIDECAR_NOT_ITEMS)]
    fields: dict[str, str] = {}
    for name, value in data.items():  # field by field, so that each mistake is named and the rest kept
        key = str(name)
        try:
            checked = Sidecar.model_validate({key: value})
        except ValidationError as exc:
            problems.extend(Problem(path, key, _said(err), reading.line_of((name,))) for err in exc.errors())
            continue
        if getattr(checked, key, None) is not None:
            fields[key] = getattr(checked, key)
    return fields, problems
