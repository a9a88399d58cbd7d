"""Shared fixtures: the real records, indexed once per test session into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from hosakan.indexer.build import build
from tests.support.chat import ChatBot
from tests.support.knowledge import KNOWLEDGE, copy_knowledge
from tests.support.loop_thread import LoopThread


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("index")
    build(KNOWLEDGE, path)
    return path


@pytest.fixture(scope="session")
def hosakan(index_dir) -> LiveIndex:
    bot = LiveIndex(Settings(knowledge_dir=KNOWLEDGE, index_dir=index_dir))
    yield bot
    bot.close()


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> LiveIndex:
    """A bot over 2,500 generated passages (bench/generate.py), built on two processes (two
    segments), then with its first case changed from ブロックチェーン to メタバース: the incremental
    build adds a third segment and leaves the case's old passages deleted in the first two."""
    from bench.generate import generate

    root = tmp_path_factory.mktemp("generated")
    knowledge = generate(2_500, root / "knowledge")
    record = sorted((knowledge / "cases").glob("*.md"))[0]
    record.write_text(record.read_text(encoding="utf-8") + "\n## 実証\nブロックチェーンの実証実験を行った。\n",
                      encoding="utf-8")
    build(knowledge, root / "index", full=True, processes=2, semantic=False)
    record.write_text(record.read_text(encoding="utf-8").replace("ブロックチェーン", "メタバース"), encoding="utf-8")
    assert build(knowledge, root / "index", semantic=False).mode == "incremental"
    bot = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=root / "index"))
    yield bot
    bot.close()


@pytest.fixture
def bot(hosakan: LiveIndex, tmp_path) -> ChatBot:
    """A conversation over the session's index of the real records (tests/support/chat.py), with a
    database of this test's own: ``bot.ask("大阪府のCIO補佐官の任期は？").text``."""
    chat = ChatBot.over(hosakan, tmp_path / "conversation.db")
    yield chat
    chat.close()


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """A writable copy of the real knowledge base, for tests that break or change records."""
    return copy_knowledge(tmp_path / "knowledge")


@pytest.fixture(scope="module")
def loop():
    """An event loop in a background thread, for the servers a test module runs."""
    thread = LoopThread()
    yield thread
    thread.close()
