"""What a record is: the pydantic schema of the three record kinds.

Records are Markdown files with YAML front matter (see docs/maintainers.md). The front matter
holds the structured facts validated here; the Markdown body holds the citable prose, split into
sections by ``##`` headings (and, in round-tables, into speaker turns by ``###`` headings).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from hosakan.knowledge import sentences
from hosakan.knowledge.amounts import parse_yen
from hosakan.knowledge.dates import parse_date, parse_day, why_not

RECORD_ID = r"^[a-z0-9][a-z0-9-]*$"
_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\u30fc・\s]+$")
_AS_OF = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
HTTP_URL = re.compile(r"^https?://[^\s<>|]+$")


def _day(value: object) -> object:
    """A day as written (2026-01-15, 2026年1月15日, 令和8年1月15日 …) read to a date; a value that is
    neither text nor a number is left to pydantic."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return value
    day = parse_day(value) if not isinstance(value, float) else None
    if day is not None:
        return day
    if isinstance(value, str) and not value.strip():
        raise ValueError(sentences.DAY_EMPTY)
    if parse_date(value):
        raise ValueError(sentences.day_without_day(value))
    if why_not(value):  # 2026-02-30: YAML left it as the text written
        raise ValueError(sentences.correct_date(why_not(value)))
    raise ValueError(sentences.day_unreadable(value))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(_Strict):
    """Where the facts come from, as a reader would cite it."""

    title: str = Field(min_length=1)
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    seed: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not HTTP_URL.match(value):
            raise ValueError(sentences.HTTP_URL_SAID)
        return value

    def label(self) -> str:
        who = " / ".join(x for x in (self.author, self.publisher) if x)
        return f"「{self.title}」" + (f"（{who}）" if who else "")


class Compensation(_Strict):
    """Pay as the source writes it, plus a normalised yen amount where the source gives one."""

    role: str | None = None
    as_written: str = Field(min_length=1)
    amount_yen: int | None = None
    period: Literal["year", "month", "contract", "total"] | None = None

    @field_validator("amount_yen", mode="before")
    @classmethod
    def _yen(cls, value: object) -> int | None:
        if value is None or isinstance(value, int):
            return value
        amount = parse_yen(str(value))
        if amount is None:
            raise ValueError(sentences.yen_unreadable(value))
        return amount


class WorkStyle(_Strict):
    as_written: str = Field(min_length=1)
    onsite_days_per_week: float | None = Field(
        default=None, ge=0, le=7, description="days a week on site (月1回程度 is about 0.25), for comparisons")
    remote: bool | None = None


class _Record(_Strict):
    id: Annotated[str, Field(pattern=RECORD_ID)]
    title: str = Field(min_length=1)
    summary: str | None = None
    as_of: str | None = Field(
        default=None, description="when the facts were true: YYYY, YYYY-MM or YYYY-MM-DD (read from 和暦 and "
                                   "2026年1月 too, see knowledge/dates.py)"
    )
    as_of_note: str | None = None
    reviewed: date
    source: Source
    tags: list[str] = []
    # Filled by the loader, never written in front matter.
    body: str = Field(default="", exclude=True)
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, value: object) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float):  # YAML reads as_of: 2026.10 as the number 2026.1
            raise ValueError(sentences.as_of_dotted(value))
        text = parse_date(value)
        if text is None and why_not(value):
            raise ValueError(sentences.correct_date(why_not(value)))
        if text is None:
            raise ValueError(sentences.as_of_unreadable(value))
        return text

    @field_validator("reviewed", mode="before")
    @classmethod
    def _reviewed(cls, value: object) -> object:
        return _day(value)

    @field_validator("reviewed")
    @classmethod
    def _reviewed_by_now(cls, value: date, info: ValidationInfo) -> date:
        """A record is reviewed on a day that has come. Checked when the loader passes today (as
        ``context={"today": …}``), not when an index reads back what it stored."""
        today = (info.context or {}).get("today")
        if today is not None and value > today:
            raise ValueError(sentences.reviewed_in_future(value, today))
        return value

    @property
    def dated(self) -> bool:
        """Whether the record says when its facts were true (its as_of label gives a date)."""
        return self.as_of is not None

    def as_of_label(self) -> str:
        """The date the facts were true, as officials read it: 「2021年1月時点」."""
        if not self.as_of:
            return self.as_of_note or sentences.AS_OF_NOT_STATED
        year, month, day = _AS_OF.match(self.as_of).groups()
        label = f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")
        return sentences.as_of(label, self.as_of_note)


class Case(_Record):
    """One municipality's CIO/CDO (or assistant) appointment or procurement."""

    kind: Literal["case"]
    municipality: str = Field(min_length=1)
    prefecture: str = Field(min_length=1)
    reading: str = Field(min_length=1, description="kana reading of the municipality")
    romaji: str | None = None
    roles: list[str] = Field(min_length=1)
    appointment_forms: list[str] = []
    position: str | None = None
    department: str | None = None
    term: str | None = None
    compensation: list[Compensation] = []
    work_style: WorkStyle | None = None
    duties: list[str] = []
    selection: str | None = None
    recruitment_period: str | None = None

    @field_validator("reading")
    @classmethod
    def _kana(cls, value: str) -> str:
        if not _KANA.match(value):
            raise ValueError(sentences.READING_NOT_KANA)
        return value


class Participant(_Strict):
    key: str = Field(min_length=1, description="the name used as a speaker heading")
    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    organisation: str | None = None
    reading: str | None = None
    romaji: str | None = None


class Roundtable(_Record):
    """A forum round-table: who spoke, and each speaker's turns by topic."""

    kind: Literal["roundtable"]
    date: date
    forum: str = Field(min_length=1)
    municipalities: list[str] = []
    participants: list[Participant] = Field(min_length=1)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        return _day(value)

    def participant(self, key: str) -> Participant | None:
        return next((p for p in self.participants if p.key == key), None)


class Reference(_Record):
    """Report material: tables, survey figures, comparisons."""

    kind: Literal["reference"]
    publisher: str | None = None


Record = Annotated[Union[Case, Roundtable, Reference], Field(discriminator="kind")]
FOLDERS = {"case": "cases", "roundtable": "roundtables", "reference": "references"}
