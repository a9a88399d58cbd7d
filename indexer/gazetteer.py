"""Entity resolution: find the municipalities, roles, appointment forms and people a text names.

The gazetteer is built from the records and the glossary: every name with its kana reading and
romaji, every role and form with its variants. ``resolve`` finds them in a question however it is
typed (hiragana, half-width kana, one wrong kanji, romaji, English) with rapidfuzz, and also says
which places a question names that the knowledge base does not know.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from cachetools import LRUCache, cachedmethod
from rapidfuzz import fuzz, process

from hosakan.indexer.analysis import loose, pos_detail, reading, spoken, spoken_parts
from hosakan.indexer.near_names import MIN_SCORE, NearNames
from hosakan.indexer.normalize import fold, romaji
from hosakan.knowledge.places import all_places, kana_of
from hosakan.knowledge.schema import Case, Roundtable

# What ``tag`` found, by vocabulary and the text's digest, shared by every gazetteer of this process:
# records repeat their sentences, and the next generation's gazetteer (same glossary) tags the same
# texts again (every case's text, for the case book: 85,000 of them at a million passages).
_TAGGED: LRUCache = LRUCache(maxsize=500_000)
_TAGGED_LOCK = threading.Lock()
_LATIN = re.compile(r"[a-z0-9 .\-]+")
_KATAKANA = re.compile(r"[\u30a0-\u30ff]+")
PLACE_SUFFIXES = ("都", "道", "府", "県", "市", "区", "町", "村")
_LATIN_SUFFIX = {
    "都": ["to", "metropolis", "metropolitan"], "道": ["do"],
    "府": ["fu", "prefecture", "pref"], "県": ["ken", "prefecture", "pref"],
    "市": ["shi", "city"], "区": ["ku", "ward", "city"], "町": ["cho", "machi", "town"],
    "村": ["mura", "son", "village"],
}
# Words tagged as place names that do not name one municipality.
GENERIC_PLACES = frozenset(
    "日本 全国 国内 海外 関西 関東 近畿 東北 九州 四国 中部 東海 北陸 山陰 山陽 首都圏 都内 県内 市内 "
    "地方 地域 国 世界 米国 アメリカ 欧州 霞が関 永田町".split()
)
# Nouns that form a generic word, not a place, before 市/県/区 (一般市, 政令市, 各市 ...).
_NOT_PLACE_STEMS = frozenset(("一般 政令 指定 中核 特別 各 本 当 同 全 他 近隣 都 県 市 区 町 村 "
                              "同一 周辺 小規模 大規模").split())


@dataclass(frozen=True)
class Entity:
    key: str            # "municipality:大洲市", "role:CIO補佐官", "person:宮坂" ...
    kind: str           # municipality | region | role | form | person
    name: str
    records: tuple[str, ...] = ()

    @cached_property
    def term(self) -> str:
        return entity_term(self.key)


def speaker_term(organisation: str, role: str) -> str:
    """The keyword of a round-table speaker by office: (東京都, CIO) -> speaker:東京都/cio."""
    return entity_term(f"speaker:{organisation}/{role}")


def entity_term(key: str) -> str:
    """The keyword under which passages about an entity are indexed: role:CIO補佐官 -> role:cio補佐官."""
    return fold(key).replace(" ", "_")


@dataclass(frozen=True)
class Mention:
    entity: Entity
    alias: str
    start: int
    end: int
    score: float

    @property
    def exact(self) -> bool:
        return self.score >= 100


@dataclass
class Resolution:
    mentions: list[Mention] = field(default_factory=list)
    unknown_places: list[str] = field(default_factory=list)
    text: str = ""  # the question as resolved (NFKC, single spaces): the mentions' spans index it

    def typed(self, mention: Mention) -> str:
        """What the asker typed for a mention (大須市 for 大洲市)."""
        return self.text[mention.start:mention.end] if mention.start >= 0 else mention.alias

    def of_kind(self, *kinds: str) -> list[Entity]:
        seen: dict[str, Entity] = {}
        for mention in self.mentions:
            if mention.entity.kind in kinds:
                seen.setdefault(mention.entity.key, mention.entity)
        return list(seen.values())

    @property
    def entities(self) -> list[Entity]:
        return self.of_kind("municipality", "region", "role", "form", "person")


def _is_latin(text: str) -> bool:
    return bool(_LATIN.fullmatch(text))


def _latin_names(stem_kana: str, suffix: str, curated: str | None) -> set[str]:
    """Romaji spellings for a place: 'nara', 'naraken', 'nara-ken', 'nara prefecture' ..."""
    names: set[str] = set()
    for stem in romaji(stem_kana):
        names.add(stem)
        for word in _LATIN_SUFFIX.get(suffix, []):
            names.update({f"{stem} {word}", f"{stem}-{word}", f"{stem}{word}"})
    if curated:
        names.add(fold(curated))
        names.add(fold(curated).split(" ")[0])
    return names


class Gazetteer:
    """Aliases (folded) of every entity the knowledge base knows."""

    def __init__(self) -> None:
        self.aliases: dict[str, set[str]] = defaultdict(set)    # folded alias -> entity keys
        self.readings: dict[str, set[str]] = defaultdict(set)   # folded kana reading -> entity keys
        self.entities: dict[str, Entity] = {}
        self._records: dict[str, dict[str, None]] = {}  # entity key -> its records (to add one in constant time)
        self.place_names: set[str] = set()
        self._places: set[tuple] = set()  # (kind, name, kana, romaji) already added
        self._unsettled: set[str] = set()  # entity keys given records their Entity does not list yet

    def settle(self) -> None:
        """Every entity with all the records it was added with."""
        for key in self._unsettled:
            known = self.entities[key]
            self.entities[key] = Entity(known.key, known.kind, known.name, tuple(self._records[key]))
        self._unsettled.clear()

    # -- building -------------------------------------------------------------------------
    def add(self, entity: Entity, *aliases: str) -> Entity:
        """The entity with these aliases; one already known gets the entity's records too (its
        ``records`` are brought up to date once, by ``settle``: a prefecture named by thousands of
        cases would otherwise be copied once for each)."""
        known = self.entities.get(entity.key)
        if known is not None:
            held = self._records[entity.key]
            if any(record not in held for record in entity.records):
                held.update(dict.fromkeys(entity.records))
                self._unsettled.add(entity.key)
            entity = known
        else:
            self._records[entity.key] = dict.fromkeys(entity.records)
            self.entities[entity.key] = entity
        for alias in aliases:
            folded = fold(alias)
            if len(folded) >= 2 and not (_is_latin(folded) and len(folded) < 3):
                self.aliases[folded].add(entity.key)
        return entity

    def add_reading(self, entity: Entity, kana: str) -> None:
        folded = fold(kana).replace(" ", "")
        if len(folded) >= 3:
            self.readings[folded].add(entity.key)
            self.aliases[folded].add(entity.key)

    def add_place(self, kind: str, name: str, kana: str | None, curated_romaji: str | None,
                  records: tuple[str, ...]) -> None:
        spelled = (kind, name, kana, curated_romaji)
        if spelled in self._places:  # the same place in another record: its aliases are known
            self.add(Entity(f"{kind}:{name}", kind, name, records))
            return
        self._places.add(spelled)
        # the reading as curated, else Japan Post's, else the analyser's (which may misread a place name)
        kana = fold(kana or kana_of(name) or reading(name)).replace(" ", "")
        suffix = name[-1] if name.endswith(PLACE_SUFFIXES) else ""
        stem = name[:-1] if suffix and len(name) > 2 else name
        endings = [k for k in _SUFFIX_KANA.get(suffix, ()) if kana.endswith(k)]
        stem_kana = kana[:-len(endings[0])] if endings else kana
        entity = self.add(Entity(f"{kind}:{name}", kind, name, records), name, stem,
                          *_latin_names(stem_kana, suffix, curated_romaji))
        self.add_reading(entity, kana)
        self.add_reading(entity, stem_kana)
        if endings and len(stem_kana) >= 3:
            # 町 read either way: みなみいず町 is said ミナミイズマチ, the place ミナミイズチョウ (not for a
            # short stem: 綾町 said アヤマチ would be the 過ち of 「過ちを防ぐには？」)
            for ending in _SUFFIX_KANA.get(suffix, ()):
                self.add_reading(entity, stem_kana + ending)
        self.place_names.update({fold(name), fold(stem)})

    @classmethod
    def build(cls, records, glossary, sources=()) -> "Gazetteer":
        gazetteer = cls()
        for role, aliases in glossary.roles.items():
            gazetteer.add(Entity(f"role:{role}", "role", role), role, *aliases)
        for form, aliases in glossary.appointment_forms.items():
            gazetteer.add(Entity(f"form:{form}", "form", form), form, *aliases)
        for record in records:
            if isinstance(record, Case):
                gazetteer.add_place("municipality", record.municipality, record.reading, record.romaji, (record.id,))
                if record.prefecture != record.municipality:
                    gazetteer.add_place("region", record.prefecture, None, None, (record.id,))
            if isinstance(record, Roundtable):
                for name in record.municipalities:
                    gazetteer.add_place("municipality", name, None, None, (record.id,))
                for person in record.participants:
                    full = person.name.replace(" ", "")
                    entity = gazetteer.add(Entity(f"person:{person.key}", "person", person.name, (record.id,)),
                                           person.key, full, *( [fold(person.romaji)] if person.romaji else []))
                    if person.reading:
                        gazetteer.add_reading(entity, person.reading.split(" ")[0])
                        gazetteer.add_reading(entity, person.reading)
                        gazetteer.add(entity, *romaji(person.reading.split(" ")[0]))
        for source in sources:  # the place a source document is about is known too (not its prefecture:
            if source.municipality:  # 香川県's cases are not 丸亀市's notice)
                gazetteer.add_place("municipality", source.municipality, None, None, (source.id,))
        gazetteer.settle()
        return gazetteer

    # -- resolving ------------------------------------------------------------------------
    @cached_property
    def _real_places(self) -> tuple[dict[str, set[str]], list[int]]:
        """Every real prefecture and municipality by its folded spellings: the name, a prefecture
        without 都/府/県, the kana reading, romaji (a bare romaji stem only from 5 letters, since
        shorter ones are English words: date, ise, mine) -> place names; and the spellings' lengths."""
        spellings: dict[str, set[str]] = defaultdict(set)
        for place in all_places():
            suffix = place.name[-1] if place.name.endswith(PLACE_SUFFIXES) else ""
            kana = fold(place.kana)
            endings = [k for k in _SUFFIX_KANA.get(suffix, ()) if kana.endswith(k)]
            stem_kana = kana[:-len(endings[0])] if endings else kana
            names = {fold(place.name), kana}
            if place.is_prefecture and place.name != "北海道":
                names.add(fold(place.name[:-1]))
            for name in _latin_names(stem_kana, suffix, None):
                if " " in name or "-" in name or len(name) >= 5:
                    names.add(name)
            for name in names:
                if len(name) >= 2:
                    spellings[name].add(place.name)
        return spellings, sorted({len(name) for name in spellings}, reverse=True)

    def _real_mentions(self, text: str) -> list[tuple[str, int, int, set[str]]]:
        """Spans of ``text`` (folded) that spell a real place, longest first and not overlapping:
        (surface, start, end, place names). Kana spellings count only inside a run of kana."""
        spellings, lengths = self._real_places
        found, taken = [], [False] * len(text)
        for size in lengths:
            for start in range(len(text) - size + 1):
                end = start + size
                names = spellings.get(text[start:end])
                if not names or any(taken[start:end]):
                    continue
                surface = text[start:end]
                if _is_latin(surface) and not _word_bounded(text, start, end):
                    continue
                if _is_kana(surface) and not _kana_bounded(text, start, end):
                    continue
                found.append((surface, start, end, names))
                taken[start:end] = [True] * size
        return found

    @staticmethod
    def _lengths_by_first(aliases) -> dict[str, list[int]]:
        """Each first character of an alias -> the lengths of the aliases it begins, shortest first."""
        lengths: dict[str, set[int]] = defaultdict(set)
        for alias in aliases:
            lengths[alias[0]].add(len(alias))
        return {char: sorted(sizes) for char, sizes in lengths.items()}

    @cached_property
    def _alias_lengths(self) -> dict[str, list[int]]:
        return self._lengths_by_first(self.aliases)

    @cached_property
    def _vocabulary_lengths(self) -> dict[str, list[int]]:
        return self._lengths_by_first(self._vocabulary)

    def _mentions(self, keys: set[str], alias: str, start: int, end: int, score: float) -> list[Mention]:
        return [Mention(self.entities[key], alias, start, end, score) for key in keys]

    def _exact(self, text: str, vocabulary_only: bool = False) -> list[Mention]:
        """Every alias occurring in ``text``: at each character that begins an alias, each
        substring of such an alias's length is looked up, which costs the same for 300 aliases as
        for 30,000."""
        aliases, by_first = ((self._vocabulary, self._vocabulary_lengths) if vocabulary_only
                             else (self.aliases, self._alias_lengths))
        found = []
        for start, char in enumerate(text):
            for size in by_first.get(char, ()):
                end = start + size
                if end > len(text):
                    break
                keys = aliases.get(text[start:end])
                if keys and (not _is_latin(text[start:end]) or _word_bounded(text, start, end)):
                    found.extend(self._mentions(keys, text[start:end], start, end, 100.0))
        return found

    def _fuzzy(self, text: str) -> list[Mention]:
        found = []
        # rapidfuzz's C loop picks the candidates; the exact rules then run on those few only.
        near = process.extract(text, self._near.candidates(text), scorer=fuzz.partial_ratio, score_cutoff=MIN_SCORE,
                               limit=None)
        for alias, _, _ in near:
            keys = self.aliases[alias]
            latin = _is_latin(alias)
            size = len(alias)
            kana = _is_kana(alias)  # candidates are long enough and no longer than the text (_near)
            need = 85 if latin else 80 if kana else (66 if size == 3 else 75 if size <= 5 else 80)
            match = fuzz.partial_ratio_alignment(alias, text, score_cutoff=need)
            if match is None or match.score >= 100:
                continue
            window = text[match.dest_start:match.dest_end]
            if len(window) != size and size <= 3:
                continue
            if not latin and size == 3 and window[-1] != alias[-1]:
                continue  # one wrong character, but the suffix (市, 県, 官 ...) must agree
            if latin and not _word_bounded(text, match.dest_start, match.dest_end):
                continue
            found.extend(self._mentions(keys, alias, match.dest_start, match.dest_end, match.score))
        return found

    @cached_property
    def _loose_readings(self) -> tuple[dict[str, set[str]], dict[str, set[str]], list[int]]:
        """Loose readings (analysis.loose) of places, people, roles and forms -> entity keys; the
        same for places with the voicing marks dropped; and the readings' lengths. A role's or
        form's reading comes from its Japanese and acronym spellings (CIO補佐官 -> シアイオホサカン);
        English aliases have none."""
        found: dict[str, set[str]] = defaultdict(set)
        for kana, keys in self.readings.items():
            found[loose(kana)] |= keys
        for alias, keys in self.aliases.items():
            if any(self.entities[k].kind in ("role", "form") for k in keys) and _reads_aloud(alias):
                found[spoken(alias)] |= {k for k in keys if self.entities[k].kind in ("role", "form")}
        found = {said: keys for said, keys in found.items() if len(said) >= 4}
        voiceless: dict[str, set[str]] = defaultdict(set)
        for said, keys in found.items():
            places = {k for k in keys if self.entities[k].kind in ("municipality", "region")}
            if places:
                voiceless[_voiceless(said)] |= places
        return found, dict(voiceless), sorted({len(said) for said in found}, reverse=True)

    def _by_reading(self, text: str) -> list[Mention]:
        """Names typed by sound: in kana or romaji (いんざいし, hosakan), or with a wrong kanji that
        reads the same (印材市 is read インザイシ, as 印西市; 大須市 オオスシ, as 大洲市 but for the
        voicing, which only place names are forgiven)."""
        exact, voiceless, lengths = self._loose_readings
        parts = [(start, end, loose(said)) for start, end, said in spoken_parts(text)]
        said = "".join(reading for _, _, reading in parts)
        owner = [i for i, (_, _, reading) in enumerate(parts) for _ in reading]  # reading char -> its word
        # a Latin word is read whole or not at all (コマツシマ + the シ of CIO is no place)
        latin = [_is_latin(fold(text[start:end])) for start, end, _ in parts]  # once a word, not once a character
        cut = [i == 0 or owner[i] != owner[i - 1] or not latin[owner[i]] for i in range(len(said))] + [True]
        unvoiced = _voiceless(said)
        found = []
        for size in lengths:
            for at in range(len(said) - size + 1):
                if not (cut[at] and cut[at + size]):
                    continue
                keys, score = exact.get(said[at:at + size]), 95.0
                if not keys:
                    keys, score = voiceless.get(unvoiced[at:at + size]), 85.0
                if keys:
                    first, last = parts[owner[at]], parts[owner[at + size - 1]]
                    found.extend(self._mentions(keys, said[at:at + size], first[0], last[1], score))
        return found

    @staticmethod
    def _select(candidates: list[Mention]) -> list[Mention]:
        """Non-overlapping mentions, best first; one span may name several entities (奈良)."""
        # Prefer the mention that explains more of the question: a long near-match (CDO補差官)
        # beats the short exact match inside it (CDO); at equal length the better score wins.
        candidates.sort(key=lambda m: (-(m.end - m.start) * m.score, -m.score))
        chosen: list[Mention] = []
        taken: list[tuple[int, int, float]] = []
        for mention in candidates:
            clash = [t for t in taken if mention.start < t[1] and t[0] < mention.end]
            if clash and not all(t[:2] == (mention.start, mention.end) and t[2] == mention.score for t in clash):
                continue
            chosen.append(mention)
            taken.append((mention.start, mention.end, mention.score))
        return chosen

    @cached_property
    def _near(self) -> NearNames:
        """Aliases long enough to be matched approximately (short ones must match exactly: short
        kana readings would match ordinary words, サカタ ~ サレタ)."""
        choices = [alias for alias in self.aliases if len(alias) >= (5 if _is_latin(alias) or _is_kana(alias) else 3)]
        return NearNames([alias for alias in choices if not _is_latin(alias)],
                         [alias for alias in choices if _is_latin(alias) and " " not in alias and "-" not in alias])

    @cached_property
    def _vocabulary(self) -> dict[str, set[str]]:
        """The aliases of roles and appointment forms only."""
        return {alias: keys for alias, keys in self.aliases.items()
                if any(self.entities[k].kind in ("role", "form") for k in keys)}

    @cached_property
    def _vocabulary_key(self) -> str:
        """A digest of the vocabulary ``tag`` looks for: what its remembered results are valid for."""
        return hashlib.sha1(repr(sorted((alias, sorted(keys))
                                        for alias, keys in self._vocabulary.items())).encode()).hexdigest()

    def tag(self, text: str) -> list[Entity]:
        """The roles and appointment forms a record's text names exactly (to tag its passages)."""
        return [self.entities[key] for key in self._tagged(text)]

    @cachedmethod(lambda self: _TAGGED, key=lambda self, text: (self._vocabulary_key,
                                                                hashlib.sha1(text.encode()).digest()),
                  lock=lambda self: _TAGGED_LOCK)
    def _tagged(self, text: str) -> tuple[str, ...]:
        folded = fold(" ".join(unicodedata.normalize("NFKC", text).split()))
        return tuple(m.entity.key for m in self._select(self._exact(folded, vocabulary_only=True)))

    @cached_property
    def _place_names(self) -> frozenset[str]:
        """The names of our municipalities and regions."""
        return frozenset(e.name for e in self.entities.values() if e.kind in ("municipality", "region"))

    def resolve(self, question: str) -> Resolution:
        """Entities a question names, however typed, and the places it names that we do not know."""
        question = " ".join(unicodedata.normalize("NFKC", question).split())
        text = fold(question)
        chosen = self._select(self._exact(text) + self._fuzzy(text) + self._by_reading(question))
        ours = self._place_names
        unknown, decided = [], []
        people = [(m.start, m.end) for m in chosen if m.entity.kind == "person" and m.exact]
        for surface, start, end, names in self._real_mentions(text):
            decided.append((start, end))
            if any(s <= start and end <= e for s, e in people):
                continue  # a person of ours whose name is also a place's (瀬谷 of 清瀬の瀬谷副市長)
            over = [m for m in chosen
                    if m.entity.kind in ("municipality", "region") and m.start < end and start < m.end]
            if names & ours or any(m.exact and m.start <= start and end <= m.end and m.end - m.start > end - start
                                   for m in over):
                continue  # one of ours (奈良 of 奈良県), or inside a longer name of ours (京都 of 東京都)
            chosen = [m for m in chosen if m not in over]  # 大阪市 is not 大阪府, 大津市 is not 大洲市
            unknown.append(question[start:end] if not (_is_latin(surface) or _is_kana(surface))
                           else min(names, key=lambda name: PLACE_SUFFIXES.index(name[-1])
                                    if name.endswith(PLACE_SUFFIXES) else 9))
        places = [p for p in _place_mentions(question)
                  if not any(p[1] < e and s < p[2] for s, e in decided) and not any(s <= p[1] and p[2] <= e
                                                                                    for s, e in people)]
        for surface, start, end, _ in places:  # place-like words outside the list (ソウル市): ours only by spelling
            if not any(m.entity.kind in ("municipality", "region") and m.start < end and start < m.end for m in chosen):
                unknown.append(surface)
        named = {m.entity.name for m in chosen if m.entity.kind == "municipality"}
        unique: dict[str, Mention] = {}
        for mention in chosen:
            if mention.entity.kind == "region" and mention.entity.name in named:
                continue  # 奈良県 the municipality, not "cases in 奈良県"
            if mention.entity.key not in unique or unique[mention.entity.key].score < mention.score:
                unique[mention.entity.key] = mention
        return Resolution(mentions=list(unique.values()), unknown_places=unknown, text=question)


def _is_kana(text: str) -> bool:
    return bool(_KATAKANA.fullmatch(text))


def _voiceless(kana: str) -> str:
    """Kana without voicing marks: オオズシ -> オオスシ."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", kana).replace("\u3099", "").replace("\u309a", ""))


def _reads_aloud(alias: str) -> bool:
    """Whether an alias has a reading worth matching: Japanese, with acronyms at most (not 'deputy CIO')."""
    return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", alias)) and all(
        len(word) <= 5 for word in re.findall(r"[a-z]+", alias))


_SUFFIX_KANA = {"都": ("ト",), "道": ("ドウ",), "府": ("フ",), "県": ("ケン",), "市": ("シ",), "区": ("ク",),
                "町": ("チョウ", "マチ"), "村": ("ムラ", "ソン")}


_PARTICLES = "ノハガデニヲトヘモヤ"


def _kana_bounded(text: str, start: int, end: int) -> bool:
    """A kana spelling of a place stands alone: 4 kana or more, no kana right before it, and after
    it nothing, a non-kana or a particle (よこはましの; not the シマシ of 採用しました)."""
    after = text[end] if end < len(text) else " "
    return (end - start >= 4 and not (start > 0 and _is_kana(text[start - 1]))
            and (not _is_kana(after) or after in _PARTICLES))


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


# the titles after a surname that a place never has (a place's own heads, 知事 or 市長, it has)
_TITLES = tuple("課長 部長 局長 室長 次長 係長 主査 主幹 参事 理事 さん 氏 様 先生 君 くん".split())


def _place_mentions(question: str):
    """Spans of ``question`` that name a place: (surface, start, end, a dictionary place name)."""
    morphs = list(pos_detail(question))
    text = fold(question)
    for index, (surface, pos, start, end, oov) in enumerate(morphs):
        is_place = pos[:3] == ("名詞", "固有名詞", "地名")
        following = morphs[index + 1] if index + 1 < len(morphs) else None
        if is_place and text[end:].startswith(_TITLES):
            continue  # a surname that is also a place (高浜課長, 横山部長): a person
        if is_place and surface not in GENERIC_PLACES:
            if index + 1 < len(morphs) and morphs[index + 1][0] in PLACE_SUFFIXES:
                end = morphs[index + 1][3]
            yield text[start:end], start, end, not oov
            continue
        if (
            following is not None and following[0] in PLACE_SUFFIXES and pos[0] == "名詞"
            and pos[1] in ("固有名詞", "普通名詞") and surface not in _NOT_PLACE_STEMS
            and not set(surface) <= set(PLACE_SUFFIXES)  # 区市|町|村 is 区市町村, not a place
            and not (index > 0 and morphs[index - 1][1][0] == "名詞" and morphs[index - 1][0] not in ("・",))
            and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", surface)
        ):
            yield text[start:following[3]], start, following[3], False
