"""New record files with every field and a comment on what belongs in it (`hosakan new`)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hosakan.knowledge import sentences
from hosakan.knowledge.schema import FOLDERS, RECORD_ID


def scaffold(knowledge_dir: Path, kind: str, record_id: str, today: date | None = None) -> Path:
    """Write a new record file; refuses an unknown kind, a bad id or an existing file."""
    if kind not in sentences.RECORD_TEMPLATES:
        raise ValueError(sentences.new_record_kinds(sentences.RECORD_TEMPLATES))
    if not re.match(RECORD_ID, record_id):
        raise ValueError(sentences.NEW_RECORD_ID)
    path = Path(knowledge_dir) / FOLDERS[kind] / f"{record_id}.md"
    if path.exists():
        raise FileExistsError(sentences.new_record_exists(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    template = sentences.RECORD_TEMPLATES[kind]
    path.write_text(template.format(id=record_id, kind=kind, today=(today or date.today()).isoformat()),
                    encoding="utf-8")
    return path
