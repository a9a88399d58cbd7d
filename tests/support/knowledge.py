"""The real records the tests read (``KNOWLEDGE``), writable copies of them, and conversations over such copies."""

from __future__ import annotations

import shutil
from pathlib import Path

from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from hosakan.indexer.build import build

ROOT = Path(__file__).resolve().parent.parent.parent
KNOWLEDGE = ROOT / "knowledge"


def copy_knowledge(target: Path, **extra_cases: str) -> Path:
    """A writable copy of the real records at ``target``, plus extra case files (name -> text)."""
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for name, text in extra_cases.items():
        (target / "cases" / f"{name}.md").write_text(text, encoding="utf-8")
    return target


def recording_conversation(root: Path, extra_cases: dict[str, str]) -> Conversation:
    """A conversation over the real records plus ``extra_cases``, indexed under ``root``, keeping
    its history and contexts in a SQLite file there."""
    knowledge = copy_knowledge(root / "knowledge", **extra_cases)
    build(knowledge, root / "index")
    config = Settings(knowledge_dir=knowledge, index_dir=root / "index", database_url=f"sqlite:///{root / 'h.db'}",
                      port=0, escalation_contact="CIOフォーラム事務局", user_id_salt="a-test-salt-of-32-characters-xyz")
    return Conversation.recording(LiveIndex(config))
