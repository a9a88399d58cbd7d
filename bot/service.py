"""The platform-free front door every adapter uses: open the live index once, answer questions,
and route the few words that are commands rather than questions."""

from __future__ import annotations

from bot.models import Answer
from bot.retriever import Retriever
from bot.settings import Settings
from indexer.normalize import clean_question, fold
from indexer.store import open_current

HELP_WORDS = frozenset({"help", "ヘルプ", "使い方", "つかいかた", "?", "？", "usage"})
EXAMPLES = (
    "大阪府のCIO補佐官の任期は？",
    "業務委託でCIO補佐官を置いた例は？",
    "座談会で東京都CIOは研修について何と言っていた？",
    "市町村アンケートで人材をみつけられない割合は？",
)


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


class Hosakan:
    """One opened index and its retriever."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.index = open_current(settings.index_dir)
        self.retriever = Retriever(self.index, max_chars=settings.max_question_chars, hits=settings.hits)

    def ask(self, text: str) -> Answer:
        return self.retriever.ask(text)

    def close(self) -> None:
        self.retriever.close()
