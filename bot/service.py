"""The platform-free front door every adapter uses: the live index (re-opened when a new one is
published), answers, the chat commands, and the record of what was asked."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Literal

from bot.history import History
from bot.models import Answer
from bot.report import build_report
from bot.retriever import Retriever
from bot.settings import Settings
from indexer.build import BuildFailed, build
from indexer.embeddings import load_embedder
from indexer.normalize import clean_question, fold
from indexer.store import OpenIndex, current_generation, open_current

log = logging.getLogger("hosakan.bot")

HELP_WORDS = frozenset({"help", "ヘルプ", "使い方", "つかいかた", "?", "？", "usage"})
COMMANDS = {
    "reindex": {"reindex", "再インデックス", "インデックス更新", "再構築"},
    "stats": {"stats", "統計", "利用状況"},
    "gaps": {"gaps", "未回答", "答えられなかった質問"},
}
EXAMPLES = (
    "大阪府のCIO補佐官の任期は？",
    "業務委託でCIO補佐官を置いた例は？",
    "座談会で東京都CIOは研修について何と言っていた？",
    "市町村アンケートで人材をみつけられない割合は？",
)
REFRESH_EVERY = 0.5  # seconds between the watcher's looks at the CURRENT pointer
RETIRE_AFTER = 60.0  # seconds an old index stays open for the questions still using it


def help_text() -> str:
    examples = "\n".join(f"・{q}" for q in EXAMPLES)
    return (
        "Hosakan（補佐官）は、自治体のCIO・CDO・CIO補佐官などの任用事例、CIOフォーラムの座談会、"
        "総務省資料のデジタル人材に関する調査について、出典つきでお答えします。\n"
        f"質問の例：\n{examples}\n"
        "ひらがな・カタカナ・ローマ字・英語でも質問できます。答えには出典と「いつ時点の情報か」を添えます。"
    )


def is_help(text: str) -> bool:
    cleaned = fold(clean_question(text or ""))
    return not cleaned or cleaned in {fold(w) for w in HELP_WORDS}


def command_of(text: str) -> str | None:
    cleaned = fold(clean_question(text or ""))
    return next((name for name, words in COMMANDS.items() if cleaned in {fold(w) for w in words}), None)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Asker:
    platform: str   # slack | teams | console
    user_id: str
    is_admin: bool = False


@dataclass
class Reply:
    kind: Literal["answer", "help", "notice"]
    answer: Answer | None = None
    text: str = ""


class Hosakan:
    """The opened index and its retriever. A watcher thread opens a newly published index, warms
    it and swaps it in between questions: no question waits for an index to open."""

    def __init__(self, settings: Settings, history: History | None = None):
        self.settings = settings
        self.history = history
        self._swap = threading.Lock()
        self._stopped = threading.Event()
        self._purged = 0.0
        self._last_failure = ""
        self.index, self.retriever = self._open()
        self._watcher = threading.Thread(target=self._watch, name="hosakan-index-watcher", daemon=True)
        self._watcher.start()

    def _open(self) -> tuple[OpenIndex, Retriever]:
        index = open_current(self.settings.index_dir)
        return index, Retriever(index, max_chars=self.settings.max_question_chars, hits=self.settings.hits)

    def _watch(self) -> None:
        while not self._stopped.wait(REFRESH_EVERY):
            try:
                self.refresh()
            except Exception as error:  # noqa: BLE001 - a published index that cannot be opened: keep serving
                if repr(error) != self._last_failure:  # said once, not every half second
                    self._last_failure = repr(error)
                    log.exception("cannot open the published index; still serving %s", self.index.path.name)

    def refresh(self) -> bool:
        """Open the published index if it is not the one in use, read into it what questions read
        from the old one, then swap. Questions already running keep the retriever they started
        with; the next ones get the new one."""
        live = current_generation(self.settings.index_dir)
        if live is None or live == self.index.path:
            return False
        with self._swap:
            if live == self.index.path:
                return False
            index, retriever = self._open()
            retriever.warm(self.retriever, EXAMPLES[0])
            old, (self.index, self.retriever) = self.retriever, (index, retriever)
            log.info("now serving index %s", index.path.name)
            # questions still running on the old index finish first; then its files are let go
            closer = threading.Timer(RETIRE_AFTER, old.close)
            closer.daemon = True
            closer.start()
        return True

    def ask(self, text: str) -> Answer:
        return self.retriever.ask(text)

    # -- chat front door ------------------------------------------------------------------
    def asker(self, platform: str, user_id: str) -> Asker:
        admins = {"slack": self.settings.slack_admins, "teams": self.settings.teams_admins}.get(platform)
        return Asker(platform, user_id, is_admin=platform == "console" or user_id in (admins or []))

    def handle(self, text: str, asker: Asker) -> Reply:
        """What to say to ``asker`` who wrote ``text``: help, a command's result, or an answer."""
        if is_help(text):
            return Reply("help", text=help_text())
        command = command_of(text)
        if command:
            if not asker.is_admin:
                log.warning("refused admin command %r from %s user %s", command, asker.platform,
                            self.history.user_hash(asker.platform, asker.user_id) if self.history else "?")
                return Reply("notice", text="申し訳ありません。このコマンドは管理者のみ実行できます。")
            return Reply("notice", text=getattr(self, f"_command_{command}")())
        answer = self.ask(text)
        if self.history is not None:
            self.history.record_answer(asker.platform, asker.user_id, answer)
            if time.monotonic() - self._purged > 24 * 3600:
                self._purged = time.monotonic()
                self.history.purge()
        return Reply("answer", answer=answer)

    def feedback(self, asker: Asker, question: str, hit_ids: list[str], helpful: bool) -> None:
        if self.history is not None:
            self.history.record_feedback(asker.platform, asker.user_id, question, hit_ids, helpful)

    # -- admin commands -------------------------------------------------------------------
    def semantic_state(self) -> str:
        """Whether answers use the dense ranking too, and if not, why (for `serve` and /healthz)."""
        if self.retriever.semantic is not None:
            return f"on ({self.retriever.semantic[0].model}, {len(self.retriever.semantic[1]):,} passages)"
        if load_embedder() is None:
            return "off — the semantic extra is not installed (pip install 'hosakan[semantic]'); answers are lexical"
        return "off — the index holds no passage vectors (HOSAKAN_SEMANTIC=false, or run `hosakan index`)"

    def _command_reindex(self) -> str:
        try:
            summary = build(self.settings.knowledge_dir, self.settings.index_dir, semantic=self.settings.semantic)
        except BuildFailed as failure:
            lines = "\n".join(f"・{p.path.name}：{p.field}：{p.message}" for p in failure.problems[:10])
            return (f"記録に問題があるため、インデックスを更新しませんでした（{len(failure.problems)}件）。"
                    f"現在のインデックスで回答を続けます。\n{lines}")
        if summary.mode == "unchanged":
            return (f"記録に変更はありませんでした。{summary.generation.name}（記録{summary.records}件、"
                    f"節{summary.passages}件）で回答を続けます。")
        self.refresh()
        return (f"インデックスを更新しました（{summary.generation.name}）：記録{summary.records}件、"
                f"節{summary.passages}件、{summary.seconds:.1f}秒。{summary.changes}")

    def _command_stats(self) -> str:
        manifest = self.index.manifest
        text = (f"インデックス：{self.index.path.name}（記録{manifest['records']}件、節{manifest['passages']}件、"
                f"作成 {manifest['built_at']}）")
        if self.history is not None:
            report = build_report(self.history, self.index.records, days=30)
            text += (f"\n直近30日：質問{report.asked}件、回答できた割合{report.answered_share:.0%}、"
                     f"回答できなかった質問{report.asked - report.answered}件。")
        return text

    def _command_gaps(self) -> str:
        if self.history is None:
            return "質問の記録が有効になっていません。"
        groups = build_report(self.history, self.index.records, days=30).unanswered
        if not groups:
            return "直近30日に回答できなかった質問はありません。"
        lines = "\n".join(f"{i}. {_short(g.question)}（{g.count}件）" for i, g in enumerate(groups, 1))
        return f"直近30日に回答できなかった質問（似た質問はまとめています）：\n{lines}"

    def close(self) -> None:
        self._stopped.set()
        with self._swap:  # not while the watcher is opening an index
            self.retriever.close()
