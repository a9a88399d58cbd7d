"""A conversation's context: what its last question was about, so that a follow-up can leave it
unsaid. 「勤務日数は？」 after 「印西市のCIO補佐官の募集について」 asks about 印西市's CIO補佐官;
「奈良市は？」 then keeps the role and the 勤務日数 and switches the place.

Contexts are stored (bot/storage/contexts.py) in the database every ``serve`` process shares, keyed
by a salted hash of the conversation (a Slack thread or DM, a Teams reply chain or chat, a console
session, a CLI name). They expire after some minutes of silence; the question text kept for
paging goes with them.
"""

from __future__ import annotations

import re

from hosakan.bot.answering import answer_types
from hosakan.bot.models import Topic
from hosakan.bot.sentences import officials
from hosakan.indexer.analysis import morphemes
from hosakan.indexer.normalize import fold

SHORT = 16  # a follow-up is short: at most this many characters besides punctuation and spaces
CONNECTIVES = ("では", "じゃあ", "じゃ", "それでは", "それなら", "ちなみに", "あと", "なら", "and ", "what about")
# a follow-up that points back at the last answer stays on its case, whatever words it uses
POINTING = ("それ", "その", "これ", "この", "そこ", "あれ", "で、", "で,", "じゃあ", "なお")
# a follow-up that asks about the fact just answered (「それ税込？」): it keeps the asked words too
REFERRING = ("それ", "その", "これ", "この", "あれ", "あの", "そっち", "そちら")
# words that point at a side or row already in view and ask nothing of their own (市町村の側は？)
POINTERS = frozenset("側 方 ほう 方面 場合 分".split())
# a follow-up about the sentence just quoted: who said it (言ったのは誰？), what was said back or
# likened to (宮坂さんはそれにどう返した？); not 「鈴木さんは何と言った？」, which asks someone else
REPLY = re.compile(r"返し|応じ|答え|respond|repl")  # what was said back: another turn than the one quoted
ABOUT_SAID = re.compile(r"(?:誰|だれ|どなた).{0,6}(?:言っ|話し|発言|述べ)"
                        r"|(?:言っ|話し|発言|述べ).{0,6}(?:誰|だれ|どなた)"
                        rf"|{REPLY.pattern}|例え|たとえ|who said")
_BARE = re.compile(r"[\s、。,.!?！？「」『』（）()・]+")


def topic_of(u, general: frozenset[str] = frozenset(), asking: frozenset[str] = frozenset()) -> Topic:
    """What an understood question is about: its places, roles and forms, the attribute words it
    asked, the ``general`` words it named (都道府県 of a survey question: its side) and the other
    words it asked (as the dictionary spells them), but for the ``asking`` ones (何, 割合) and
    those the knowledge base does not know."""
    kinds = lambda kind: list(dict.fromkeys(e.name for e in u.resolution.of_kind(kind)))  # noqa: E731
    content = set(u.content) - set(u.unknown)
    named = {fold(w) for w in u.attribute_words}
    sides, terms = [], []
    for surface, normalized, *_ in morphemes(u.text):
        term = next((t for t in (fold(normalized), fold(surface)) if t in content), None)
        if term is None or term in asking or term.startswith("何") or term in POINTERS or fold(surface) in named:
            continue
        (sides if term in general else terms).append(surface if term in general else normalized)
    return Topic(places=kinds("municipality") + kinds("region"), roles=kinds("role"), forms=kinds("form"),
                 words=list(dict.fromkeys(u.attribute_words)), sides=list(dict.fromkeys(sides)),
                 terms=list(dict.fromkeys(terms)), asks=_kind_asked(u.text),
                 most=bool(answer_types.SUPERLATIVE.search(u.text)) and not answer_types.FEWEST.search(u.text))


def _asks_otherwise(mine: Topic, previous: Topic) -> bool:
    """Whether a follow-up asks for another kind of answer than the question before (その格は？
    after the pay): then it does not ask about the fact just answered."""
    return bool(mine.asks and previous.asks) and mine.asks != previous.asks


def _kind_asked(text: str) -> str:
    """The kind of answer a question wants (person of 誰が務める, amount of いくら) when a follow-up
    could carry it, else ''."""
    kind = answer_types.expected(text)
    return kind.name if kind is not None and kind.word else ""


def _short(text: str) -> bool:
    """Short, or opened with a connective (じゃあ, what about): how a follow-up reads."""
    return len(_BARE.sub("", text)) <= SHORT or text.lower().startswith(CONNECTIVES)


def elliptical(u) -> bool:
    """Whether a question leaves its subject to the conversation: short (or opened with じゃあ,
    それ …), naming no place and no kind of record of its own."""
    text = u.text.strip()
    places = u.resolution.of_kind("municipality") or u.resolution.of_kind("region") or u.resolution.unknown_places
    return (_short(text) or text.startswith(POINTING)) and not (u.kinds or places)


def carried(u, previous: Topic | None, has_role=lambda place, roles: True, *, unknown_words: bool = False,
            general: frozenset[str] = frozenset(), role_words: frozenset[str] = frozenset()) -> Topic | None:
    """What a follow-up takes from the conversation: the place, role and asked words it leaves
    unsaid. None when the question stands alone: it is long, names a person or a kind of record,
    or (unless ``unknown_words``: the caller then weighs both readings) holds a word the knowledge
    base does not know (今日の天気は？ is not about 印西市). A role no place asked about has
    (「CDOは？」 after 印西市's CIO補佐官) asks about every case. The asked words are carried only
    to a question that asks about nothing of its own (「奈良市は？」; ``general`` words such as
    都道府県 ask about nothing): 「市役所にはどのくらい来るの？」 after the pay asks about coming in.
    With them go the other words asked, unless it names a role or form of its own (「都道府県は？」
    after the 市町村's share naming 財源 asks about 財源); and a side named before (都道府県) stays
    until another is named. A question word (誰, いつ) goes to a follow-up that only names another
    place, role (``role_words``: the terms of role names, 補佐官 of CDO補佐官) or side."""
    if not previous:
        return None
    text = u.text.strip()
    pointing = text.startswith(POINTING)
    about_said = bool(previous.said) and bool(ABOUT_SAID.search(text))
    if not _short(text) or u.kinds or (u.unknown and not pointing and not unknown_words) \
            or (u.resolution.of_kind("person") and not about_said) \
            or u.resolution.unknown_places:
        return None
    mine = topic_of(u, general)
    if u.ranking and mine.words:
        return None  # 「報酬が一番高い募集は？」 ranks every case; 「一番高いのは？」 ranks what was asked
    taken = Topic()
    if not mine.places and not u.listing and not u.ranking:
        if not mine.roles or any(has_role(place, set(mine.roles)) for place in previous.places):
            taken.places = previous.places
    elif u.comparing:  # 「奈良市と比べて」: the place asked before, beside the one named now
        taken.places = [p for p in previous.places if p not in mine.places]
    if not mine.roles and not mine.forms:
        # a new place keeps the asked role only where its case has it (酒田市 has a CDO補佐官, not a
        # CIO補佐官): elsewhere the question is about that place's own roles
        places = mine.places or taken.places
        if not previous.roles or not places or u.comparing or any(has_role(p, set(previous.roles)) for p in places):
            taken.roles = previous.roles
        taken.forms = previous.forms
    own = [t for t in u.content if t not in general and t not in POINTERS]
    if not mine.words and (not own or (text.startswith(REFERRING) and not _asks_otherwise(mine, previous))):
        taken.words = previous.words
        if not mine.roles and not mine.forms:
            # a side or a row of what was asked (「都道府県は？」 after the 市町村's top DX issue), or
            # another place: the rest of what was asked goes with it (not to 「CDOの事例は？」)
            taken.terms = previous.terms
    role_named = [t for t in mine.terms if fold(t) in role_words]
    if (mine.places or mine.roles or mine.sides or role_named) and not mine.words and not mine.asks \
            and len(role_named) == len(mine.terms):
        # only another place, role or side (「補佐官のほうは？」 after who the CDO is): asked the same way,
        # and the most again of another side of the table in view (「都道府県は？」 after 市町村's top issue)
        taken.asks = previous.asks
        taken.most = previous.most and bool(previous.record)
    if not mine.places and not mine.sides and not taken.places:
        taken.sides = previous.sides  # 「人が見つからないって回答は？」 stays on the 都道府県 side
    if about_said and not mine.words:
        # the sentence just quoted is what it is about: its words, not those of the question before it
        taken.terms = []
        taken.said = [t for t in previous.said if t not in mine.terms]
    return taken or None


def role_left(u, previous: Topic | None, taken: Topic | None) -> tuple[str, list[str]] | None:
    """(the new place, the roles asked before) when a follow-up that names a new place and no role
    left the previous roles behind, because that place's case has none of them."""
    if not (previous and previous.roles and taken is not None) or taken.roles:
        return None
    mine = topic_of(u)
    places = [p for p in mine.places if p not in previous.places]
    return (places[0], previous.roles) if places and not (set(mine.roles) - set(previous.roles)) else None


def spelled(taken: Topic) -> str:
    """The carried topic as words the retriever reads before the follow-up."""
    word = answer_types.BY_NAME[taken.asks].word if taken.asks in answer_types.BY_NAME else None
    return " ".join([*taken.places, *taken.sides, *taken.roles, *taken.forms, *taken.words, *taken.terms,
                     *taken.said, *([word] if word else []), *(["一番"] if taken.most else [])])


def label(taken: Topic) -> str:
    return "・".join(dict.fromkeys([*taken.places, *taken.sides, *taken.roles, *taken.forms, *taken.words,
                                   *taken.terms, *([officials.LAST_SAID] if taken.said else [])]))
