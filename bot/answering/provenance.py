"""Where a record is from, asked for itself: 「この記事を書いたのは誰？」, 「出典は？」,
「どこに載っていた？」. The answer is the record's source (title, author, publisher and its address),
dated as the record is; which record is the one named (a case by its place), the one the
conversation is on, or the one the question's own words find first."""

from __future__ import annotations

import re

from hosakan.bot.answering.case_answers import case_fact
from hosakan.bot.models import Fact
from hosakan.bot.sentences import officials

# what asks for the source itself, not what it says (「…って書いてある？」, 「記事に載っている報酬は？」)
ASKED = re.compile(r"出典|執筆|著者|筆者|書き手|書いた(?:の|人|者)|誰が書|書いて(?:い)?る人"
                   r"|(?:どこ|どの[^、。？?]{0,6})に(?:載|掲載)|掲載(?:元|先)|どの(?:資料|サイト|媒体|記事)|(?:サイト|媒体)(?:は|って)(?:どこ|何)"
                   r"|who wrote|\bauthor\b|which (?:site|website)", re.IGNORECASE)


def asked(text: str, attributes: list[str]) -> bool:
    """Whether a question asks where a record is from (not one of its facts: 「出典の報酬は？」 asks the pay)."""
    return bool(ASKED.search(text)) and not attributes


def fact(record) -> Fact:
    """The record's source as the answer's one fact, dated as the record is."""
    return case_fact(record, officials.source_of(record.source.label(), record.source.url))
