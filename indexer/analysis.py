"""Japanese analysis for Whoosh, built the way Whoosh builds its own: a tokenizer and small filters
joined with ``|``. The same analyzers run at index time and at query time, so a question and a
passage agree token for token.

- ``SudachiTokenizer``: SudachiPy (sudachidict-core, split mode C) morphemes; the token text is
  Sudachi's normalized form (spelling variants and numerals folded: 60万 -> 600000).
- ``PartOfSpeechFilter``: drops particles, auxiliaries, punctuation and a few empty words.
- ``EraYearFilter``: adds the Western year beside a Japanese era year (令和3年 -> 2021).
- ``FoldFilter``: lower-case Latin, katakana for hiragana.
- ``SubwordFilter``: adds Sudachi's short-unit (mode A) parts of a compound (非常勤職員 -> 常勤).
- ``CjkBigramTokenizer``: overlapping CJK character bigrams plus Latin/digit words, for recall
  on words the dictionary splits oddly.
- ``ReadingTokenizer``: trigrams of the text's loose reading (``spoken``), so that a question typed
  in hiragana, katakana, half-width kana or romaji, or with a wrong kanji of the right reading,
  meets the passages its kanji spelling would, however Sudachi cuts the kana.
- ``SynonymGroupTokenizer``: the synonym group ids of Sudachi's system dictionary (給与・給料・賃金
  share one, 兼務・掛け持ち one), so that any word of a group meets the others.

A text's morphemes are computed once and shared by every field that analyses it (``_analysed``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import jaconv
from sudachipy import Dictionary, SplitMode
from whoosh.analysis import Composable, Filter, Token, Tokenizer

MAX_CHUNK = 4000  # Sudachi refuses very long inputs; analyse long text in pieces
_local = threading.local()

DROP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "接続詞", "感動詞", "連体詞", "非自立"})
STOP_WORDS = frozenset(
    """する ある いる なる れる られる こと もの ため よう これ それ あれ どれ この その あの どの
    何 なに なん 誰 だれ いつ どこ どう どんな どのよう 教える 知る 言う いう くださる 下さる ください
    つく 居る 為る 有る 成る 付く 致す 頂く 御座る 出来る 言い 今日 明日 昨日 今 最近 思う 考える できる 出来る 等 など について 方 よい 良い いい ほしい 欲しい 的 さん 氏 様 私 我々
    the a an of in on for to is are was were what who how which do does did about me tell please
    say said says at with from by be have has there their any much many when where why it its this
    that these those can could would should i we you they our your my get give know and or not but if
    then than so as all some no yes""".split()
)
_STOP_KEYS = frozenset(jaconv.hira2kata(word.lower()) for word in STOP_WORDS)
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "r": 2018, "h": 1988}
_CJK = r"\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ"
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*")
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+")


@lru_cache(maxsize=1)
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def sudachi():
    """This thread's Sudachi tokenizer (Sudachi tokenizers are not thread-safe)."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
    return tokenizer


def chunks(text: str):
    """(offset, piece) pairs no longer than MAX_CHUNK, cut at line or sentence ends."""
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind("。", start, end))
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


@lru_cache(maxsize=256)
def _analysed(text: str) -> tuple:
    """Every Sudachi morpheme of ``text`` once: (surface, normalized, pos, start, end, parts, groups).
    Cached, so the fields that analyse one passage (body, synonym groups) share one Sudachi pass."""
    found = []
    for offset, piece in chunks(text):
        for m in sudachi().tokenize(piece):
            parts = [p.normalized_form() for p in m.split(SplitMode.A)]
            pos = m.part_of_speech()
            found.append((
                m.surface(), m.normalized_form(), "非自立" if pos[1] == "非自立可能" and pos[0] != "名詞" else pos[0],
                offset + m.begin(), offset + m.end(), parts if len(parts) > 1 else [], tuple(m.synonym_group_ids()),
            ))
    return tuple(found)


def morphemes(text: str):
    """Sudachi morphemes of ``text`` with offsets into ``text``: (surface, normalized, pos, start, end, parts).
    ``pos`` is the coarse part of speech, or "非自立" for dependent words (いる, こと as in ～ている)."""
    for surface, normalized, pos, start, end, parts, _ in _analysed(text):
        yield surface, normalized, pos, start, end, parts


def synonym_groups(text: str) -> dict[str, tuple[int, ...]]:
    """Index term -> Sudachi synonym group ids, for the content words of ``text`` that have any."""
    found: dict[str, tuple[int, ...]] = {}
    for surface, normalized, pos, *_, groups in _analysed(text):
        if groups and pos not in DROP_POS:
            key = jaconv.hira2kata((surface.lower() if _LATIN_WORD.fullmatch(surface) else normalized).lower())
            found[key] = groups
    return found


def group_term(group: int) -> str:
    return f"g{group}"


def reading(text: str) -> str:
    """The katakana reading of ``text`` as Sudachi reads it (大州市 -> オオズシ)."""
    return "".join(m.reading_form() for _, piece in chunks(text) for m in sudachi().tokenize(piece))


# -- readings -----------------------------------------------------------------------------------
_LETTER_KANA = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    "エー ビー シー ディー イー エフ ジー エイチ アイ ジェー ケー エル エム エヌ オー ピー キュー アール エス "
    "ティー ユー ブイ ダブリュー エックス ワイ ゼット").split()))
# Hepburn and kunrei syllables, a doubled consonant (sokuon), n before a consonant or at the end.
_ROMAJI = re.compile(
    r"(?:(?:[kgszjtdnhbpmrfvcwy]|ky|gy|sh|sy|ch|cy|ty|dy|zy|jy|ny|hy|by|py|my|ry|ts|dh)?[aiueo]"
    r"|n'(?=[aiueoy])|n(?![aiueoy])|([kgsztdhbpmrfjc])(?=\1|ch)|m(?=[bpm]))+"
)
# Acronyms officials type in lower case, read letter by letter like their upper-case spelling.
_ACRONYMS = frozenset("cio cdo ciso cto cfo dx gx it ict se ai rpa kpi iot pc os lg lgwan".split())
_LATIN_RUN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_VOWEL_ROWS = {
    "ア": "アカガサザタダナハバパマヤャラワァ", "イ": "イキギシジチヂニヒビピミリィ",
    "ウ": "ウクグスズツヅヌフブプムユュルゥ", "エ": "エケゲセゼテデネヘベペメレェ",
    "オ": "オコゴソゾトドノホボポモヨョロヲォ",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}
_LENGTHENERS = {"ア": "ア", "イ": "イ", "ウ": "ウ", "エ": "イエ", "オ": "ウオ"}
_KANA_VARIANTS = str.maketrans("ヂヅヲヮヴヵヶ", "ジズオワブカケ")
_NOT_READING = re.compile(r"[^\u30a1-\u30f6\u30fc0-9]")


def is_romaji(word: str) -> bool:
    """Whether a Latin word spells Japanese (ninki, hosakan, tiba), not English (salary, the)."""
    return bool(_ROMAJI.fullmatch(word.lower()))


def loose(kana: str) -> str:
    """A reading folded the way people mistype it: katakana only (digits kept), long vowels and
    the prolonged-sound mark dropped (オオサカ = オウサカ = オサカ), ヂ/ヅ/ヲ as ジ/ズ/オ."""
    text = _NOT_READING.sub("", jaconv.hira2kata(unicodedata.normalize("NFKC", kana))).translate(_KANA_VARIANTS)
    out: list[str] = []
    for char in text:
        if char == "ー":
            continue
        vowel = _VOWEL_OF.get(out[-1]) if out else None
        if vowel and char in _LENGTHENERS[vowel]:
            continue
        out.append(char)
    return "".join(out)


def _latin_reading(word: str) -> str:
    """An acronym letter by letter (CIO -> シーアイオー), romaji as kana, English as nothing."""
    lower = word.lower()
    if (word.isupper() and len(word) <= 6) or lower in _ACRONYMS:
        return "".join(_LETTER_KANA[c] for c in lower if c in _LETTER_KANA)
    if is_romaji(lower):  # after a vowel, ny is ん + y (ninyou is 任用), as people type it without n'
        return jaconv.hira2kata(jaconv.alphabet2kana(re.sub(r"(?<=[aiueo])ny", "n'y", lower)))
    return ""


def spoken_parts(text: str):
    """(start, end, reading) for each word of ``text``: Sudachi's reading of Japanese, a number as
    written, ``_latin_reading`` for each Latin word."""
    text = unicodedata.normalize("NFKC", text)
    last = 0
    for match in list(_LATIN_RUN.finditer(text)) + [None]:
        stop = match.start() if match else len(text)
        if stop > last:
            for offset, piece in chunks(text[last:stop]):
                for m in sudachi().tokenize(piece):
                    if m.part_of_speech()[0] in ("補助記号", "空白"):
                        continue
                    surface = m.surface()
                    said = surface if any(c.isdigit() for c in surface) else (m.reading_form() or surface)
                    begin = last + offset + m.begin()
                    yield begin, begin + len(surface), said
        if match:
            yield match.start(), match.end(), _latin_reading(match.group())
            last = match.end()


def spoken(text: str) -> str:
    """The loose reading of the whole text (see ``loose``): 大阪府のCIO補佐官 -> オサカフノシアイオホサカン."""
    return loose("".join(said for _, _, said in spoken_parts(text)))


def pos_detail(text: str):
    """(surface, part-of-speech tuple, start, end, out-of-vocabulary) for each morpheme of ``text``."""
    for offset, piece in chunks(text):
        for m in sudachi().tokenize(piece):
            yield m.surface(), tuple(m.part_of_speech()), offset + m.begin(), offset + m.end(), m.is_oov()


def _emit(token: Token, text: str, position: int, start: int, end: int) -> Token:
    """Fill the reused Whoosh token (positions and offsets only when asked for)."""
    token.text, token.stopped, token.boost = text, False, 1.0
    if token.positions:
        token.pos = position
    if token.chars:
        token.startchar, token.endchar = start, end
    return token


class SudachiTokenizer(Tokenizer):
    """Sudachi morphemes as Whoosh tokens; ``token.pos_tag`` and ``token.parts`` ride along."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for index, (surface, normalized, pos, start, end, parts) in enumerate(morphemes(value)):
            text = surface.lower() if _LATIN_WORD.fullmatch(surface) else normalized
            _emit(token, text, start_pos + index, start_char + start, start_char + end)
            token.pos_tag, token.parts = pos, parts
            if keeporiginal:
                token.original = surface
            yield token


class PartOfSpeechFilter(Filter):
    """Drops particles, auxiliaries, punctuation, whitespace and empty words."""

    def __call__(self, tokens):
        for token in tokens:
            if getattr(token, "pos_tag", None) in DROP_POS or jaconv.hira2kata(token.text.lower()) in _STOP_KEYS:
                continue
            if len(token.text) == 1 and not token.text.isalnum() and not _is_cjk(token.text):
                continue
            yield token


class EraYearFilter(Filter):
    """令和3年 -> 令和, 3, 2021, 年: the Western year joins the tokens so both spellings match."""

    def __call__(self, tokens):
        era = None
        for token in tokens:
            text = token.text.lower()
            if era is not None and (text.isdecimal() or text == "元"):  # int() takes any decimal digit
                year = era + (1 if text == "元" else int(text))
                yield token
                token.text = str(year)
                yield token
                era = None
                continue
            era = _ERAS.get(text)
            yield token


class FoldFilter(Filter):
    """Lower-case Latin letters and write kana as katakana."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = jaconv.hira2kata(token.text.lower())
            yield token


class SubwordFilter(Filter):
    """After a compound, its short-unit parts (2+ characters) as extra tokens at the same position."""

    def __call__(self, tokens):
        for token in tokens:
            parts = getattr(token, "parts", None) or []
            yield token
            if parts:
                whole, boost = token.text, token.boost
                for part in parts:
                    part = jaconv.hira2kata(part.lower())
                    if len(part) >= 2 and part != whole and part not in _STOP_KEYS:
                        token.text, token.boost = part, boost * 0.5
                        yield token
                token.boost = boost


class CjkBigramTokenizer(Tokenizer):
    """Overlapping bigrams of each CJK run (a run of one character stays whole) and Latin/digit words."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = unicodedata.normalize("NFKC", value).lower()
        position = start_pos
        for run in _RUNS.finditer(text):
            word = run.group()
            grams = [word] if not _is_cjk(word[0]) or len(word) == 1 else [
                word[i:i + 2] for i in range(len(word) - 1)
            ]
            for offset, gram in enumerate(grams):
                begin = start_char + run.start() + offset
                yield _emit(token, gram, position, begin, begin + len(gram))
                position += 1


class ReadingTokenizer(Tokenizer):
    """Overlapping trigrams of the text's loose reading (a shorter reading stays whole)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, gram in enumerate(reading_grams(spoken(value)), start_pos):
            yield _emit(token, gram, position, start_char, start_char)


class SynonymGroupTokenizer(Tokenizer):
    """One token per synonym group id of the text's content words (``g312`` for 給与, 給料, 賃金)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for groups in synonym_groups(value).values():
            for group in groups:
                yield _emit(token, group_term(group), position, start_char, start_char)
                position += 1


def reading_grams(said: str) -> list[str]:
    return [said] if 0 < len(said) < 3 else [said[i:i + 3] for i in range(len(said) - 2)]


def _is_cjk(char: str) -> bool:
    return bool(re.match(f"[{_CJK}]", char))


def japanese_analyzer() -> Composable:
    return SudachiTokenizer() | PartOfSpeechFilter() | EraYearFilter() | FoldFilter() | SubwordFilter()


def bigram_analyzer() -> Composable:
    return CjkBigramTokenizer()


def reading_analyzer() -> Composable:
    return ReadingTokenizer()


def synonym_analyzer() -> Composable:
    return SynonymGroupTokenizer()


_JA = japanese_analyzer()
_BIGRAM = bigram_analyzer()


def terms(text: str) -> dict[str, float]:
    """The distinct index terms of ``text`` in order, each with its weight (compound parts weigh less)."""
    seen: dict[str, float] = {}
    for token in _JA(text, mode="query"):
        seen[token.text] = max(seen.get(token.text, 0.0), token.boost)
    return seen


def bigrams(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for token in _BIGRAM(text):
        seen.setdefault(token.text, None)
    return list(seen)
