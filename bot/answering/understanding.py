"""Understanding a question before searching: the places, roles, forms and people it names (the
gazetteer), the structured facts it asks for (報酬, 任期 … from the glossary, and a word the index
does not know read by the kanji it shares with one), the kind of record it points at, its content
words, the words typed by sound, and the terms to mark. ``Reader.understand`` returns a typed
``Understanding`` that the search, the answer policy and the conversation import.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from hosakan.bot.answering import answer_types, compare
from hosakan.indexer.analysis import bigrams, is_romaji, loose, morphemes, reading_grams, spoken, spoken_parts, terms
from hosakan.indexer.gazetteer import Resolution
from hosakan.indexer.normalize import fold
from hosakan.indexer.store import OpenIndex

TEXT_FIELDS = {"context": 0.8, "body": 1.0}  # context holds the title, section and speaker
SYNONYM_WEIGHT = 0.4  # a glossary synonym's weight, as a clause and as evidence
FREQUENCIES_KEPT = 200_000  # terms whose passage counts are remembered
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")


MAX_TERMS = 48  # terms (and runs typed by sound) of a question looked at, in order: a question's cost is bounded


@dataclass
class Understanding:
    """What the retriever made of a question before searching."""

    text: str
    resolution: Resolution
    terms: dict[str, float]
    expansions: dict[str, float]
    attributes: list[str]
    kinds: list[str]
    # the words that asked for them as the glossary spells them (任期, 勤務日数, いくら): never a folded
    # form or a reading, since a follow-up's context line shows them to officials
    attribute_words: list[str] = field(default_factory=list)
    comparing: bool = False  # 比べて, 違いは
    ranking: tuple | None = None  # (attribute, descending, bound, bound as typed): 一番高い, 2年以上
    content: list[str] = field(default_factory=list)  # the asked words no entity covers
    unknown: list[str] = field(default_factory=list)  # content words neither the index nor the glossary knows
    glossary_words: list[str] = field(default_factory=list)
    listing: bool = False  # asks for a list of cases
    leftover: list[str] = field(default_factory=list)  # content terms the glossary does not know
    translated: list[str] = field(default_factory=list)  # terms an English question asks through the glossary
    grams: list[str] = field(default_factory=list)  # bigrams of words the index does not know
    readings: list[str] = field(default_factory=list)  # reading trigrams of the words typed by sound
    by_sound: set[str] = field(default_factory=set)  # terms of words typed in kana or romaji
    highlight: dict[str, float] = field(default_factory=dict)
    dense: bool = True  # whether the dense ranking may be asked (False: its time budget ran out)
    kind: answer_types.AnswerType | None = None  # the kind of answer it asks for (answer_types.expected)


class Reader:
    """Reads questions against one index's vocabulary (its glossary, gazetteer and terms)."""

    def __init__(self, index: OpenIndex, reader):
        self.index = index
        self.reader = reader  # Whoosh's reader of the index: how often each term occurs
        self._frequencies: dict[str, int] = {}

    @cached_property
    def _glossary_words(self) -> dict[str, list[str]]:
        """Folded glossary word -> the words of its synonym group. An attribute's question words are
        a group too, but only those that are one word: the parts of 応募期間 and 募集期間 (応募, 募集,
        期間) would make 応募 mean 募集, and 「応募資格」 read 「…を募集した事例」 as stating it."""
        words: dict[str, list[str]] = {}
        glossary = self.index.glossary
        groups = list(glossary.synonyms) + [[w for w in ws if len(terms(w)) == 1]
                                            for ws in glossary.attributes.values()]
        for group in groups:
            for word in group:
                words.setdefault(fold(word), []).extend(group)
        return words

    @cached_property
    def folded(self) -> dict[str, dict[str, list[str]]]:
        """The glossary's question words, folded once."""
        glossary = self.index.glossary
        return {
            "attributes": {name: [fold(w) for w in words] for name, words in glossary.attributes.items()},
            "kinds": {name: [fold(w) for w in words] for name, words in glossary.kinds.items()},
            "listing": {"": [fold(w) for w in glossary.listing]},
        }

    @cached_property
    def _spellings(self) -> dict[str, str]:
        """Folded attribute word -> the word as the glossary spells it (いくら, not its folded
        イクラ): what a follow-up's 「（…について）」 shows an official."""
        spellings: dict[str, str] = {}
        for words in self.index.glossary.attributes.values():
            for word in words:
                spellings.setdefault(fold(word), word)
        return spellings

    @cached_property
    def _glossary_terms(self) -> set[str]:
        glossary = self.index.glossary
        words = list(self._glossary_words)
        words += [w for name, aliases in glossary.roles.items() for w in (name, *aliases)]
        words += [w for name, aliases in glossary.appointment_forms.items() for w in (name, *aliases)]
        words += [w for ws in glossary.kinds.values() for w in ws] + list(glossary.listing)
        return {term for word in words for term in terms(word)}

    @cached_property
    def _attribute_bigrams(self) -> dict[str, set[str]]:
        """Kanji bigrams of the glossary's attribute words -> the attributes they ask for."""
        found: dict[str, set[str]] = {}
        for attribute, words in self.index.glossary.attributes.items():
            for word in words:
                for gram in bigrams(word):
                    if len(gram) == 2 and all(_KANJI.match(c) for c in gram):
                        found.setdefault(gram, set()).add(attribute)
        return found

    def _attributes_sharing(self, unknown: list[str]) -> list[str]:
        """The attributes a word neither the index nor the glossary knows asks for, read from the
        kanji bigrams it shares with an attribute word: 出勤日数 asks what 勤務日数 asks, 委託費 what
        委託料 asks. No list to grow by hand."""
        found: list[str] = []
        for word in unknown:
            for gram in bigrams(word):
                for attribute in sorted(self._attribute_bigrams.get(gram, ())):
                    if attribute not in found:
                        found.append(attribute)
        return found

    @cached_property
    def _asking_terms(self) -> set[str]:
        """The terms of the words that ask to compare or rank (比べて, 一番高い): how, not what."""
        return {term for word in compare.ASKING for term in terms(word)}

    def _frequency(self, term: str) -> int:
        """In how many passages a term occurs (either text field); remembered, since an index
        never changes and every question asks again for the common terms."""
        found = self._frequencies.get(term)
        if found is None:
            found = max(self.reader.doc_frequency(name, term) for name in TEXT_FIELDS)
            if len(self._frequencies) < FREQUENCIES_KEPT:
                self._frequencies[term] = found
        return found

    def idf(self, term: str) -> float:
        return math.log(1 + self.reader.doc_count() / (1 + self._frequency(term)))

    def written(self, term: str) -> bool:
        """Whether some passage holds the term itself (DX, KPI: English the records write too)."""
        return self._frequency(term) > 0

    def known(self, term: str) -> bool:
        return term in self._glossary_terms or self._frequency(term) > 0

    @cached_property
    def synonym_terms(self) -> dict[str, set[str]]:
        """Index term of a glossary word -> the index terms of its synonyms."""
        found: dict[str, set[str]] = {}
        for group in self._glossary_words.values():
            group_terms = {t for word in group for t in terms(word)}
            for word in group:
                for term in terms(word):
                    found.setdefault(term, set()).update(group_terms - {term})
        return found

    @cached_property
    def _said_words(self) -> dict[str, list[tuple[str, str]]]:
        """Loose readings (3+ kana) of the glossary's question words -> (group, word): 報酬 is
        ホシュ, so ほうしゅう and houshuu ask for it too."""
        said: dict[str, list[tuple[str, str]]] = {}
        for group, words in [*self.folded["attributes"].items(),
                             *(("kind:" + k, ws) for k, ws in self.folded["kinds"].items()),
                             *(("synonym", [w]) for w in self._glossary_words)]:
            for word in words:
                if _KANJI.search(word):
                    reading = spoken(word)
                    if len(reading) >= 3:
                        said.setdefault(reading, []).append((group, word))
        return said

    def _spoken_runs(self, text: str) -> list[str]:
        """The loose readings of the runs of words typed by sound: kana, romaji, and words the
        index does not know (a wrong kanji: 印材)."""
        text = unicodedata.normalize("NFKC", text)
        runs, current = [], []
        for start, end, said in spoken_parts(text):
            surface = text[start:end]
            found = terms(surface)
            if said and (not _KANJI.search(surface) or (found and not any(self.known(t) for t in found))):
                current.append(said)
            elif current:
                runs.append(current)
                current = []
        runs.append(current)
        return [reading for reading in (loose("".join(run)) for run in runs) if reading]

    def understand(self, text: str) -> Understanding:
        resolution = self.index.gazetteer.resolve(text)
        folded = fold(text)
        asked = dict(list(terms(text).items())[:MAX_TERMS])
        runs = self._spoken_runs(text)[:MAX_TERMS]
        by_sound = [(group, word) for reading, found in self._said_words.items()
                    if any(reading in run for run in runs) for group, word in found]
        expansions: dict[str, float] = {}
        present = []
        english, translated = _mostly_english(text), []
        for word, group in self._glossary_words.items():
            if _contains_word(folded, word) or ("synonym", word) in by_sound:
                present.append(word)
                head = next((w for w in group if not w.isascii()), None) if english and word.isascii() else None
                if head:  # an English question asks with the head word of the group (salary: 報酬)
                    for term in terms(head):
                        if term not in asked:
                            asked[term] = 1.0
                            translated.append(term)
                for synonym in group:
                    for term in terms(synonym):
                        if term not in asked:
                            expansions[term] = max(expansions.get(term, 0.0), SYNONYM_WEIGHT)
        # an asked-for attribute is a word of its own: 任期 in 任期付職員 (a form's name) asks for no term
        unnamed = list(text)
        for mention in resolution.mentions:
            if mention.start >= 0:
                unnamed[mention.start:mention.end] = " " * (mention.end - mention.start)
        unnamed_folded = fold("".join(unnamed))
        written = [w for ws in self.folded["attributes"].values() for w in ws if _contains_word(unnamed_folded, w)]
        said = [w for a, ws in self.folded["attributes"].items() for w in ws if (a, w) in by_sound]
        # a word asked only inside a longer one asks for that one's attribute: 期間 (a term) of 募集期間
        attribute_words = [w for w in written
                           if _contains_word(_without(unnamed_folded, [v for v in written if w in v and v != w]), w)]
        attribute_words += [w for w in said  # (締切 and 〆切 are both シメキリ: neither is inside the other)
                            if not any(spoken(w) in spoken(v) and spoken(w) != spoken(v) for v in said)]
        attributes = [a for a, ws in self.folded["attributes"].items() if any(w in attribute_words for w in ws)]
        kinds = [k for k, ws in self.folded["kinds"].items()
                 if any(_contains_word(folded, w) or ("kind:" + k, w) in by_sound for w in ws)]
        # the terms of the names mentioned, unless asked outside them too (任期 of 任期付の任期は？)
        covered = {t for m in resolution.mentions if m.start >= 0 for t in terms(text[m.start:m.end])} \
            - set(terms("".join(unnamed)))
        content = [t for t, weight in asked.items()
                   if weight >= 1.0 and t not in covered and t not in self._asking_terms
                   and not t.isdigit() and not (len(t) == 1 and t.isascii())]
        unknown = [t for t in content if not self.known(t)]
        for attribute in self._attributes_sharing(unknown):  # 出勤日数 (unknown) shares 日数 with 勤務日数
            if attribute not in attributes:
                attributes.append(attribute)
        kind = answer_types.expected(text)
        if kind is not None and kind.name in self.folded["attributes"] and kind.name not in attributes:
            # how someone is chosen, in the asker's words (どういうやり方で選ぶ): asked first, before the
            # 仕事 of 「補佐の仕事、事業者はどういうやり方で選ぶ？」
            attributes.insert(0, kind.name)
        wanted = {t: w for t, w in asked.items() if len(t) > 1 or not _is_kana_or_symbol(t)}
        # synonyms are marked too, but the words the asker typed choose the sentences
        wanted |= {t: 0.15 for t in expansions if len(t) > 1 and t not in wanted}
        for entity in resolution.entities:
            wanted |= {t: w for t, w in terms(entity.name).items() if t not in wanted}
        highlight = {t: self.idf(t) * weight for t, weight in wanted.items()}
        return Understanding(
            text=text, resolution=resolution, terms=asked, expansions=expansions,
            attributes=attributes, kinds=kinds,
            attribute_words=[self._spellings.get(w, w) for w in _longest(attribute_words)],
            comparing=compare.wants_comparison(text), ranking=compare.ranking_of(text, attributes), content=content,
            unknown=unknown, glossary_words=present,
            listing=any(_contains_word(folded, w) for w in self.folded["listing"][""]),
            leftover=[t for t in content if t not in self._glossary_terms], translated=translated,
            grams=[g for t in unknown for g in bigrams(t)],
            readings=list(dict.fromkeys(g for run in runs for g in reading_grams(run))),
            by_sound={fold(t) for surface, normalized, *_ in morphemes(text) if not _KANJI.search(surface)
                       and (not surface.isascii() or is_romaji(surface)) for t in (surface.lower(), normalized)},
            highlight=highlight, kind=kind,
        )


def _without(text: str, words: list[str]) -> str:
    for word in words:
        text = text.replace(word, " ")
    return text


def _mostly_english(text: str) -> bool:
    """Whether a question is written in English (most of its letters Latin): its glossary words
    then ask in Japanese too, as an official asking in Japanese would. Three words at least: a
    fragment of query syntax (* AND title:x) is no question."""
    latin = sum(c.isascii() and c.isalpha() for c in text)
    return latin > 2 * sum(bool(_JAPANESE.match(c)) for c in text) and len(_WORD.findall(text)) >= 3


_WORD = re.compile(r"[A-Za-z]{2,}")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々]")


def _longest(words: list[str]) -> list[str]:
    """The words not part of a longer one found with them: 勤務日数, not 何日 inside 週何日."""
    return [w for w in dict.fromkeys(words) if not any(w != other and w in other for other in words)]


def _contains_word(folded_text: str, folded_word: str) -> bool:
    """Whether the word occurs in the text; Latin words must stand alone (``cio`` is not in ``ciso``)."""
    if len(folded_word) < 2:
        return False
    start = folded_text.find(folded_word)
    while start != -1:
        end = start + len(folded_word)
        if not folded_word.isascii():
            return True
        before = folded_text[start - 1] if start else " "
        after = folded_text[end] if end < len(folded_text) else " "
        if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            return True
        start = folded_text.find(folded_word, start + 1)
    return False


def _is_kana_or_symbol(term: str) -> bool:
    return all(not ch.isalnum() or "\u3040" <= ch <= "\u30ff" for ch in term)
