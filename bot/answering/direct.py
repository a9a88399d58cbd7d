"""The direct answer when no structured fact matches: the sentence that states the asked fact, or
an honest "the record does not say".

For a question about named cases, the asked words are those the cases' own names (title,
municipality, prefecture, roles, forms) do not already hold: 「奈良市のDXマネジメント人材の募集、締切は？」 asks about
締切. When no passage of those cases holds an asked word (nor a word of its synonym group, nor a
glossary synonym), the answer is that the record does not state it. Without named cases, the
answer policy (bot/answering/policy.py) decides whether the best sentence answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hosakan.bot.answering import answer_types
from hosakan.bot.answering.extraction import Extract, Focus, best_sentence, coverage
from hosakan.bot.sentences import officials
from hosakan.indexer.analysis import chunks, morphemes, sudachi, synonym_groups, terms
from hosakan.indexer.normalize import fold

# Nouns that ask how, not what: satisfied by the kind of answer, never "not stated".
QUESTION_NOUNS = frozenset(
    "頻度 割合 比率 時期 金額 名前 お名前 御名前 氏名 名称 数 理由 人 人たち 方 感じ くらい 位 程度 具体 具体的 "
    "結局 場合 話 件 そもそも 一言 全部 全て 一番 最も 多い 少ない 何 誰 どこ いつ ok 日本語 英語 和訳 中身 ".split())
# an English word no passage writes and the glossary gives no Japanese for (what's, bid): no
# Japanese sentence can hold it, so it weighs this share, not the most of all (an unknown word's idf)
UNREAD_WEIGHT = 0.1
VERB_WEIGHT = 0.4  # a verb of the question weighs less than a noun: officials paraphrase verbs freely
FALLBACK_COVER = 0.4  # a named case's sentence that holds no asked word but the asked kind of answer
NAME_WEIGHT = 0.3  # a source document's title words, as a share of their weight in the focus


@lru_cache(maxsize=1)
def question_terms() -> frozenset[str]:
    """The index terms of the nouns that ask how, not what (and the nouns themselves, folded)."""
    return frozenset(t for word in QUESTION_NOUNS for t in terms(word)) | QUESTION_NOUNS


@dataclass(frozen=True)
class Unstated:
    """The named cases' records do not state the asked fact."""

    message: str


@dataclass(frozen=True)
class AskedWords:
    """The focus of a question, and the asked words as typed (for a "not stated" refusal)."""

    focus: Focus
    required: dict[str, str]  # index term -> the word as typed: what a passage must hold
    # the required words the knowledge base never uses (日当 for 日額): an official's own word, so a
    # sentence with the asked kind of answer may state the fact in other words (said as such)
    unknown: frozenset[str] = frozenset()
    # the required English words no passage writes, looked for through their Japanese synonyms (funding: 財源): they
    # choose the sentence, but a record without them is no record "without the asked fact"
    english: frozenset[str] = frozenset()

    @property
    def decisive(self) -> bool:
        """Whether a record without the asked words lacks the asked fact: some asked word is
        Japanese as the official wrote it (an English word is only looked for through its
        synonyms)."""
        return bool(set(self.required) - self.english)

    def on_required(self, kind: answer_types.AnswerType | None = None) -> Focus:
        """A focus of the asked words alone, each weighing the same."""
        return Focus({t: 1.0 for t in self.required}, self.focus.groups, self.focus.synonyms, kind, self.focus.question)

    def weighing_less(self, names: set[str], share: float = NAME_WEIGHT) -> "AskedWords":
        """The same question, the words of ``names`` (a document's title) weighing ``share`` of
        their weight in the focus: a sentence is chosen for what it says beyond the name."""
        words = {t: w * share if t in names else w for t, w in self.focus.words.items()}
        focus = Focus(words, self.focus.groups, self.focus.synonyms, self.focus.kind, self.focus.question)
        return AskedWords(focus, self.required, self.unknown, self.english)

    def naming(self, words: dict[str, float]) -> "AskedWords":
        """The same question with ``words`` (index term -> weight) in its focus too, never asked
        facts: the posts it names (CDO, CDO補佐官), which a rules document's sentences are about."""
        extra = {t: w for t, w in words.items() if t not in self.focus.words}
        if not extra:
            return self
        focus = Focus({**self.focus.words, **extra}, self.focus.groups, self.focus.synonyms, self.focus.kind,
                      self.focus.question)
        return AskedWords(focus, self.required, self.unknown, self.english)

    def unmatched(self, passages: list[tuple[str, str]], sentence: str) -> list[str]:
        """The asked words (as typed) that neither the sentence nor a passage holding it says:
        the sentence states a neighbouring fact. None when it holds one of them."""
        core = sentence.strip("…")
        if holds_required(self, sentence) or any(core in text and holds_required(self, f"{where}\n{text}")
                                                  for where, text in passages):
            return []
        return list(dict.fromkeys(self.required.values()))


def _circumstances(text: str, in_corpus) -> set[str]:
    """The words of a question that name no fact it asks for, so that a record without them is no
    record "without the asked fact": words that are no noun (正式, 結局, どなた); nouns that are a
    circumstance of a verb after them (役所 of 役所に来る, 記事 of 記事で答えた); and a noun the
    knowledge base never uses after どの/どんな (へん of どのへん) or ending the question after a verb
    (決まり of 誰が務める決まり？), which is how one asks, not what."""
    tokens = [m for _, piece in chunks(text) for m in sudachi().tokenize(piece)]
    found: set[str] = set()
    for i, m in enumerate(tokens):
        pos = m.part_of_speech()
        names = {fold(m.normalized_form()), fold(m.surface())}
        if pos[0] != "名詞" or pos[1] in ("数詞",) or pos[2] == "副詞可能":
            found |= names
            continue
        before = tokens[i - 1].surface() if i else ""
        rest = [t for t in tokens[i + 1:] if t.part_of_speech()[0] not in ("補助記号", "助詞", "助動詞", "空白")]
        if _after_verb(tokens, i) and not rest and not any(in_corpus(n) for n in names):
            found |= names  # how the question ends (誰が務める決まり？, 来る予定？), a word no record uses
            continue
        if before in _ASKING_DETERMINERS and any(in_corpus(n) for n in names):
            continue  # どの端末から受ける: the asked thing itself, whatever particle follows
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after is not None and after.part_of_speech()[1] == "格助詞" and after.surface() in _CIRCUMSTANCE_PARTICLES:
            rest = tokens[i + 2:]
            clause = rest[: next((j for j, t in enumerate(rest) if t.surface() in "、，,。？?"), len(rest))]
            if clause and clause[0].part_of_speech()[0] == "動詞" and clause[0].normalized_form() not in _ABOUT_VERBS:
                found |= names
                continue
        if before in _ASKING_DETERMINERS:  # and the knowledge base never uses it: how one asks (どのへん)
            found |= names
    return found


def _after_verb(tokens, i: int) -> bool:
    """Whether the word at ``i`` follows a verb, or a verb's ending (務めた決まり; not 好きな食べ物)."""
    j = i - 1
    while j >= 0 and tokens[j].part_of_speech()[0] == "助動詞":
        j -= 1
    return j >= 0 and tokens[j].part_of_speech()[0] == "動詞"


_CIRCUMSTANCE_PARTICLES = frozenset("で に へ から より".split())
_ABOUT_VERBS = frozenset("付く 関する 就く 当たる 対する 基づく".split())  # 任期について, 報酬に関する: still the topic
_ASKING_DETERMINERS = frozenset("どの どんな どういう こんな そんな".split())


def asked(u, idf, synonyms: dict[str, set[str]], known: set[str] = frozenset(), in_corpus=None,
          written=None) -> AskedWords:
    """The focus of an understood question. ``known`` are the terms that identify the cases it
    names (their titles and names): they weigh in the focus but are never "the asked fact"; nor
    are the question's circumstances (``_circumstances``; ``in_corpus`` tells whether the
    knowledge base uses a term; ``written`` whether a passage holds it as written: an English word
    none holds is looked for through its Japanese synonyms only)."""
    content = set(u.content)
    typed: dict[str, str] = {}
    verbs: set[str] = set()
    for surface, normalized, pos, *_ in morphemes(u.text):
        for term in {fold(normalized), fold(surface)} & content:
            typed.setdefault(term, surface)
            if pos in ("動詞", "形容詞"):
                verbs.add(term)
    words = {}
    for term in u.content:
        if fold(term) in QUESTION_NOUNS or term in question_terms() or term.startswith("何"):
            continue
        weight = VERB_WEIGHT if term in verbs else 1.0
        if term.isascii() and not (written and written(term)) and not _japanese(synonyms.get(term, ())):
            weight = UNREAD_WEIGHT  # an English word no record writes and the glossary does not translate
        words[term] = idf(term) * weight
    groups = {t: g for t in words for g in [synonym_groups(typed.get(t, t)).get(t) or synonym_groups(t).get(t)] if g}
    kind = u.kind
    focus = Focus(words=words, groups=groups, synonyms={t: synonyms.get(t, set()) for t in words}, kind=kind,
                  question=u.text)
    # a single character (市 of ｲﾝｻﾞｲ市) names no fact, and an English word no record writes and the
    # glossary gives no Japanese synonym cannot be looked for in Japanese records: neither makes a fact
    # "not stated"; Latin letters a record writes (QoL, LGWAN) are asked like any word
    circumstances = _circumstances(u.text, in_corpus or (lambda _: True))
    required = {t: typed.get(t, t) for t in words
                if t not in known and t not in verbs and len(t) > 1 and t not in circumstances
                and (not t.isascii() or (written and written(t)) or _japanese(synonyms.get(t, ())))}
    unknown = frozenset(t for t in required if in_corpus is not None and not in_corpus(t) and not t.isascii())
    # and the Japanese an English question was read as (work: 業務内容): it may be a word's other sense
    english = frozenset(t for t in required if (t.isascii() and not (written and written(t)))
                        or t in u.translated)
    return AskedWords(focus, required, unknown, english)


def _japanese(words) -> bool:
    """Whether a glossary group gives a word a Japanese synonym (funding: 財源): an English word
    with one can be looked for in a Japanese record, and found missing."""
    return any(not w.isascii() for w in words)


def holds_required(asked_: AskedWords, text: str) -> bool:
    """Whether a text holds one of the asked words (or a synonym of one), as a word or written
    inside a longer one (市役所 of 大洲市役所)."""
    if not asked_.required:
        return True
    folded = fold(text)
    return coverage(asked_.on_required(), text) > 0 or any(fold(w) in folded for w in asked_.required.values())


def from_cases(asked_: AskedWords, passages: list[tuple[str, str]]) -> Extract | None:
    """The sentence of a named case's passages ((section, text)) that answers, or None when they
    do not state it."""
    holding = [(where, text) for where, text in passages if holds_required(asked_, f"{where}\n{text}")]
    if not holding:
        # no passage spells an asked word; a sentence with the asked kind of answer that covers
        # much of the rest still answers (「委託費の上限は？」: the 上限額 of the record)
        found = best_sentence(asked_.focus, passages)
        if found is None or not found.typed:
            return None
        # an official's own word for the fact (every asked word unknown to the knowledge base)
        # may be said in other words: the sentence with the asked kind of answer, said as such
        return found if found.cover >= FALLBACK_COVER or set(asked_.required) <= asked_.unknown | asked_.english \
            else None
    found = best_sentence(asked_.focus, holding)
    kind = asked_.focus.kind
    if found is not None and kind and kind.seen and not found.typed:
        # the words are there but not the asked kind of answer: 「受託したのはどこ？」 is answered by
        # the sentence naming the company, wherever in the record it stands
        anywhere = best_sentence(asked_.focus, passages, typed_only=True)
        if anywhere is not None:
            return anywhere
    if found is None or not holds_required(asked_, found.text):
        # the passage holds an asked word, but its best sentence may be another: take one that holds
        # it, else a sentence of a passage whose heading holds it (知事 of 「知事のメッセージ」)
        found = best_sentence(asked_.on_required(asked_.focus.kind), holding) or found \
            or best_sentence(asked_.on_required(asked_.focus.kind), holding, around_only=True)
    return found


def lacks_kind(asked_: AskedWords, passages: list[tuple[str, str]]) -> str | None:
    """The plain name of the asked kind of answer (「頻度」 of 週何回) when no passage of a case
    holds an answer of that kind at all: the record does not state it, whichever of its
    sentences shares the question's other words. Only kinds whose look is a figure (an amount,
    a date, a count), a personal name or a company's (the winner of a call) are judged; a post or
    an organisation is named too many ways to tell."""
    kind = asked_.focus.kind
    name = officials.ASKED_KINDS.get(kind.name) if kind else None
    if name is None:
        return None
    # the asked words the knowledge base uses, when a case holds none of them, are what is named
    # (「応募」 of 何社応募); an official's own word (補佐役) names nothing the record could hold
    used = AskedWords(asked_.focus, {t: w for t, w in asked_.required.items()
                                     if t not in asked_.unknown and t not in asked_.english})
    if used.required and not any(holds_required(used, f"{where}\n{text}") for where, text in passages):
        return None
    if any(answer_types.holds(kind, f"{where}\n{text}", asked_.focus.question) for where, text in passages):
        return None
    if kind.name == "count" and (unit := answer_types.counter(asked_.focus.question)):
        # 何社応募 asks for 応募社数, 何人採用 for 採用人数: the count of what the record does mention
        return f"{next(iter(used.required.values()), '')}{unit}数"
    return name


def overview(asked_: AskedWords) -> bool:
    """Whether nothing is asked beyond the case itself (「奈良県のCIO」): its summary answers."""
    return not asked_.required and not (asked_.focus.kind and asked_.focus.kind.seen)


def asked_words(asked_: AskedWords) -> str:
    return "・".join(f"「{w}」" for w in dict.fromkeys(asked_.required.values()))


def not_stated(names: str, asked_: AskedWords, kinds: list[str] = ()) -> str:
    """「…の記録には「予算」の記載がありません」: the asked words, else the asked kind of answer."""
    said = asked_words(asked_) if asked_.required and not kinds else "・".join(f"「{k}」" for k in dict.fromkeys(kinds))
    return officials.unstated(names, [said], [])
