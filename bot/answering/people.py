"""Who holds a post at a round-table, from its list of participants: 「東京都のCIOは誰？」 is
宮坂 学, whose role the record gives as 東京都CIO, though no sentence of the talk says so."""

from __future__ import annotations

import re

from hosakan.bot.answering import answer_types
from hosakan.bot.answering.case_answers import case_fact
from hosakan.bot.models import Fact
from hosakan.bot.sentences import officials

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def holders(records, question: str, places: set[str], post_asked: bool = False) -> list[Fact]:
    """The participants of the round-tables of ``places`` whose post (their role without their
    organisation's name and what brackets add: CIO of 「清瀬市CIO（清瀬市副市長）」) the question
    names, when it asks who, or asks about the post in other words (``post_asked``: 「清瀬市のCIOって
    どういう役職の人？」, 副市長 in the brackets; 「東京都のCIOは？」); none otherwise. A post named with
    more after it (CIO補佐官) is another."""
    kind = answer_types.expected(question)
    if not post_asked and (kind is None or kind.name not in ("person", "name")):
        return []
    facts = []
    for record in records:
        if record.kind != "roundtable" or not places & set(record.municipalities):
            continue
        for person in record.participants:
            if person.organisation not in places:
                continue
            post = _BRACKETS.sub("", person.role).removeprefix(person.organisation).strip()
            if post and re.search(rf"{re.escape(post)}(?!補佐|支援)", question):
                facts.append(case_fact(record, officials.participant(person.role, person.name)))
    return facts
