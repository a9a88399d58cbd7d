"""Japanese analysis: what a question and a passage are reduced to before they meet. The same
functions run at index time (through ``indexer.fields``) and at query time, so a question and a
passage agree term for term.

- ``word_terms``: SudachiPy (sudachidict-core, split mode C) morphemes as their normalized forms
  (spelling variants and numerals folded: 60万 -> 600000), particles, auxiliaries, punctuation and
  a few empty words dropped, Latin lower-cased and kana as katakana, the Western year beside a
  Japanese era year (令和3年 -> 2021), and a compound's short-unit (mode A) parts (非常勤職員 -> 常勤).
- ``gram_terms``: overlapping CJK character bigrams plus Latin/digit words, for recall on words
  the dictionary splits oddly.
- ``reading_terms``: trigrams of the text's loose reading (``spoken``), so that a question typed
  in hiragana, katakana, half-width kana or romaji, or with a wrong kanji of the right reading,
  meets the passages its kanji spelling would, however Sudachi cuts the kana.
- ``group_terms``: the synonym group ids of Sudachi's system dictionary (給与・給料・賃金 share
  one, 兼務・掛け持ち one), so that any word of a group meets the others.

A text's morphemes are computed once and shared by every field that analyses it (``_analysed``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import jaconv
from sudachipy import Dictionary, SplitMode

MAX_CHUNK = 4000  # Sudachi refuses very long inputs; analyse long text in pieces
_local = threading.local()

DROP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "接続詞", "感動詞", "連体詞", "非自立"})
STOP_WORDS = frozenset(
    """する ある いる なる れる られる こと もの ため よう これ それ あれ どれ この その あの どの
    何 なに なん 誰 だれ いつ どこ どう どんな どのよう 教える 知る 言う いう くださる 下さる ください
    つく 居る 為る 有る 成る 付く 致す 頂く 御座る 出来る 言い 今日 明日 昨日 今 最近 思う 考える できる 出来る
    等 など について 方 よい 良い いい ほしい 欲しい 的 さん 氏 様 私 我々
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
_CJK_CHAR = re.compile(f"[{_CJK}]")


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
    """Every Sudachi morpheme of ``text`` once: (surface, normalized, pos, start, end, parts, groups,
    reading). Cached, so the fields that analyse one text (words, synonym groups, readings) share
    one Sudachi pass."""
    found = []
    for offset, piece in chunks(text):
        for m in sudachi().tokenize(piece):
            parts = [p.normalized_form() for p in m.split(SplitMode.A)]
            pos = m.part_of_speech()
            found.append((
                m.surface(), m.normalized_form(), "非自立" if pos[1] == "非自立可能" and pos[0] != "名詞" else pos[0],
                offset + m.begin(), offset + m.end(), parts if len(parts) > 1 else [], tuple(m.synonym_group_ids()),
                m.reading_form(),
            ))
    return tuple(found)


def morphemes(text: str):
    """Sudachi morphemes of ``text`` with offsets into ``text``: (surface, normalized, pos, start, end, parts).
    ``pos`` is the coarse part of speech, or "非自立" for dependent words (いる, こと as in ～ている)."""
    for surface, normalized, pos, start, end, parts, *_ in _analysed(text):
        yield surface, normalized, pos, start, end, parts


def synonym_groups(text: str) -> dict[str, tuple[int, ...]]:
    """Index term -> Sudachi synonym group ids, for the content words of ``text`` that have any."""
    found: dict[str, tuple[int, ...]] = {}
    for surface, normalized, pos, _, _, _, groups, _ in _analysed(text):
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
_LATIN_RUNS = re.compile(r"([A-Za-z]+(?:'[A-Za-z]+)?)")
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
    """(start, end, reading) for each word of ``text`` (NFKC-normalized first; the spans index the
    normalized text): Sudachi's reading of Japanese, a number as written, ``_latin_reading`` for
    each Latin word."""
    return _said(unicodedata.normalize("NFKC", text))


def _said(text: str):
    """``spoken_parts`` of ``text`` as it is, from the morphemes ``_analysed`` found: a text's
    readings come from the Sudachi pass its other terms come from."""
    for surface, _, pos, start, end, _, _, reading in _analysed(text):
        if pos in ("補助記号", "空白"):
            continue
        surface = unicodedata.normalize("NFKC", surface)
        if _LATIN_RUN.fullmatch(surface):
            yield start, end, _latin_reading(surface)
        elif _LATIN_RUN.search(surface):  # letters with kana or digits in one word (Tシャツ, 5G): each part alone
            for part in _LATIN_RUNS.split(surface):
                if _LATIN_RUN.fullmatch(part):
                    yield start, end, _latin_reading(part)
                elif part:
                    yield from ((start, end, said) for _, _, said in _read_apart(part))
        else:
            yield start, end, surface if any(c.isdigit() for c in surface) else (reading or surface)


def _read_apart(text: str):
    for m in sudachi().tokenize(text):
        if m.part_of_speech()[0] not in ("補助記号", "空白"):
            surface = m.surface()
            yield m.begin(), m.end(), surface if any(c.isdigit() for c in surface) else (m.reading_form() or surface)


def spoken(text: str) -> str:
    """The loose reading of the whole text (see ``loose``): 大阪府のCIO補佐官 -> オサカフノシアイオホサカン."""
    return loose("".join(said for _, _, said in spoken_parts(text)))


def pos_detail(text: str):
    """(surface, part-of-speech tuple, start, end, out-of-vocabulary) for each morpheme of ``text``."""
    for offset, piece in chunks(text):
        for m in sudachi().tokenize(piece):
            yield m.surface(), tuple(m.part_of_speech()), offset + m.begin(), offset + m.end(), m.is_oov()


def word_terms(text: str) -> list[tuple[str, float]]:
    """The index terms of ``text`` in order, with their weights: Sudachi's normalized forms (Latin
    words lower-cased), particles, auxiliaries, punctuation and empty words dropped, kana as
    katakana; the Western year after a Japanese era year (令和3年 -> 令和, 3, 2021, 年); after a
    compound its short-unit parts of 2+ characters at half weight (非常勤職員 -> 常勤, 職員)."""
    out: list[tuple[str, float]] = []
    era = None
    for surface, normalized, pos, _, _, parts, *_ in _analysed(text):
        word = surface.lower() if _LATIN_WORD.fullmatch(surface) else normalized
        if pos in DROP_POS or jaconv.hira2kata(word.lower()) in _STOP_KEYS:
            continue
        if len(word) == 1 and not word.isalnum() and not _is_cjk(word):
            continue
        lower = word.lower()
        if era is not None and (lower.isdecimal() or lower == "元"):  # int() takes any decimal digit
            words = [word, str(era + (1 if lower == "元" else int(lower)))]
            era = None
        else:
            era = _ERAS.get(lower)
            words = [word]
        for each in words:
            whole = jaconv.hira2kata(each.lower())
            out.append((whole, 1.0))
            for part in parts:
                part = jaconv.hira2kata(part.lower())
                if len(part) >= 2 and part != whole and part not in _STOP_KEYS:
                    out.append((part, 0.5))
    return out


def gram_terms(text: str) -> list[str]:
    """Overlapping bigrams of each CJK run (a run of one character stays whole) and Latin/digit
    words, in order."""
    out: list[str] = []
    for run in _RUNS.finditer(unicodedata.normalize("NFKC", text).lower()):
        word = run.group()
        if not _is_cjk(word[0]) or len(word) == 1:
            out.append(word)
        else:
            out.extend(word[i:i + 2] for i in range(len(word) - 1))
    return out


def reading_terms(*texts: str) -> list[str]:
    """Overlapping trigrams of the texts' loose reading, read one after another (a shorter reading
    stays whole)."""
    return reading_grams(loose("".join(said for text in texts for _, _, said in _said(text))))


def group_terms(text: str) -> list[str]:
    """One term per synonym group id of the text's content words (``g312`` for 給与, 給料, 賃金)."""
    return [group_term(group) for groups in synonym_groups(text).values() for group in groups]


def reading_grams(said: str) -> list[str]:
    return [said] if 0 < len(said) < 3 else [said[i:i + 3] for i in range(len(said) - 2)]


def _is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.match(char))


def terms(text: str) -> dict[str, float]:
    """The distinct index terms of ``text`` in order, each with its weight (compound parts weigh less)."""
    seen: dict[str, float] = {}
    for term, weight in word_terms(text):
        seen[term] = max(seen.get(term, 0.0), weight)
    return seen


def bigrams(text: str) -> list[str]:
    return list(dict.fromkeys(gram_terms(text)))
