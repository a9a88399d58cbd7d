"""A record file to write and break (``record``), its lines counted by hand, and the problems the loader finds in it."""

from __future__ import annotations

import re
from pathlib import Path

from hosakan.knowledge.glossary import Glossary
from hosakan.knowledge.loader import DEFAULT_DIR, load_record

GLOSSARY = Glossary.load(DEFAULT_DIR / "glossary.yaml")
ENGLISH = re.compile(r"could not find|expected|mapping|scanning|parsing|while|found|token|Input should|Value error",
                     re.IGNORECASE)

# The shape of a real case (knowledge/cases/inzai-city-cio-hosakan.md), small enough to count lines in.
RECORD = """---
id: {id}
kind: case
title: テスト市 CIO補佐官の募集
municipality: テスト市
prefecture: テスト県
reading: てすとし
roles: [CIO補佐官]
appointment_forms: [任期付職員]
term: 任期1年
compensation:
  - as_written: 月額 20万円
    amount_yen: 200000
    period: month
selection: 書類選考と面接
as_of: 2026-01
reviewed: 2026-01-20
source:
  title: テスト市 CIO補佐官の募集について
  publisher: テスト市
---
## 概要
テスト市は、月額20万円の CIO補佐官を任期付職員として募集した。
"""


def record(record_id: str = "test-city-cio-hosakan", **replace: str) -> str:
    text = RECORD.format(id=record_id)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, line: str) -> int:
    """The 1-based line of ``line`` in the file, counted by hand (the opening --- is line 1)."""
    return text.split("\n").index(line) + 1


def problems_of(tmp_path: Path, text: str, name: str = "test-city-cio-hosakan") -> tuple[object, list]:
    cases = tmp_path / "knowledge" / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    path = cases / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return load_record(path, GLOSSARY)
