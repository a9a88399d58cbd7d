"""A stress set generated from the records, which no one can tune the retriever to by hand.

From every structured fact of a case and every round-table speaker turn, the question is written
mechanically in each surface form officials type (kanji, hiragana, katakana, half-width kana,
romaji in Hepburn and kunrei spellings, without particles, with a same-reading wrong kanji in the
place name, an English template), plus near misses the bot must refuse: each case's municipality
swapped for a real neighbour outside the knowledge base, and each case asked about a role it lacks.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jaconv

from hosakan.bot.operations.evaluation import EvalQuestion
from hosakan.indexer.analysis import loose, reading
from hosakan.indexer.gazetteer import Gazetteer
from hosakan.indexer.passages import case_facts
from hosakan.knowledge.places import all_places
from hosakan.knowledge.schema import Case, Roundtable

# attribute -> (the word asked in Japanese, in English)
ASKED = {
    "position": ("役職", "position"), "appointment_forms": ("任用形態", "appointment"), "term": ("任期", "term"),
    "compensation": ("報酬", "salary"), "work_style": ("勤務形態", "remote work"), "duties": ("業務内容", "duties"),
    "selection": ("選考", "selection"), "recruitment": ("募集期間", "application deadline"),
}
FORMS = ("kanji", "hiragana", "katakana", "halfwidth", "romaji-hepburn", "romaji-kunrei", "no-particle",
         "homophone", "english")
_KUNREI = [("sh", "sy"), ("ch", "ty"), ("ts", "t"), ("fu", "hu"), ("j", "zy"), ("syi", "si"), ("tyi", "ti"),
           ("zyi", "zi")]
_LATIN = re.compile(r"[A-Za-z]+")


def _kana(kanji: str) -> str:
    """Katakana of a text as Sudachi reads it, Latin words kept (CIO補佐官 -> CIOホサカン)."""
    return "".join(p if _LATIN.fullmatch(p) else reading(p) for p in re.split(r"([A-Za-z]+)", kanji) if p)


def _romaji(kana: str, kunrei: bool) -> str:
    words = []
    for part in re.split(r"([A-Za-z]+)", kana):
        if not part or _LATIN.fullmatch(part):
            words.append(part)
            continue
        latin = jaconv.kana2alphabet(jaconv.kata2hira(part)).replace("-", "")
        if kunrei:
            for hepburn, kun in _KUNREI:
                latin = latin.replace(hepburn, kun)
            latin = re.sub(r"ou|oo", "o", latin)
        words.append(latin)
    return " ".join(w for w in words if w)


@lru_cache(maxsize=1)
def _kanji_by_reading() -> dict[str, list[str]]:
    """Single kanji by their reading, from the place names (a wide, real-world set)."""
    found: dict[str, list[str]] = {}
    for char in sorted({c for p in all_places() for c in p.name if "\u4e00" <= c <= "\u9fff"}):
        found.setdefault(reading(char), []).append(char)
    return found


def homophone(name: str) -> str | None:
    """The name with one kanji replaced by another that reads the same in it (大洲市 -> 大州市), or
    None; never a real place name."""
    real = {p.name for p in all_places()}
    target = loose(reading(name))
    for i, char in enumerate(name[:-1]):
        for other in _kanji_by_reading().get(reading(char), []):
            candidate = name[:i] + other + name[i + 1:]
            if other != char and candidate not in real and loose(reading(candidate)) == target:
                return candidate
    return None


def _question(parts: list[tuple[str, str, str]], form: str, english: str) -> str | None:
    """parts: (kanji, katakana, particle after it); the last part is followed by 「は？」."""
    if form == "english":
        return english
    if form == "kanji":
        return "".join(k + p for k, _, p in parts) + "は？"
    if form == "no-particle":
        return "".join(k for k, _, _ in parts)
    if form == "homophone":
        wrong = homophone(parts[0][0])
        return (None if wrong is None
                else wrong + "".join(k + p for k, _, p in [("", "", parts[0][2]), *parts[1:]]) + "は？")
    kana = [(k, p) for _, k, p in parts]
    if form.startswith("romaji"):
        return " ".join(_romaji(k, form.endswith("kunrei"))
                        + (" " + _romaji(reading(p), form.endswith("kunrei")) if p else "")
                        for k, p in kana)
    text = "".join(k + p for k, p in kana) + "は？"
    if form == "hiragana":
        return jaconv.kata2hira(text)
    if form == "halfwidth":
        return jaconv.z2h(text, kana=True, ascii=False, digit=False)
    return text


def _role_english(glossary, role: str) -> str:
    return next((a for a in glossary.roles.get(role, []) if a.isascii() and " " in a), role)


def generate(records, glossary) -> list[EvalQuestion]:
    """Every question of the stress set, its kind the surface form (or near-miss-place/-role)."""
    questions: list[EvalQuestion] = []
    gazetteer = Gazetteer.build([], glossary)
    cases = [r for r in records if isinstance(r, Case)]
    ours = {c.municipality for c in cases} | {c.prefecture for c in cases}
    for r in records:
        if isinstance(r, Roundtable):
            ours |= set(r.municipalities)
    for case in cases:
        place = (case.municipality, jaconv.hira2kata(case.reading), "の")
        role = case.roles[0]
        facts = case_facts(case)
        for attribute, (word, english_word) in ASKED.items():
            if attribute not in facts:
                continue
            pays = [p for p in case.compensation if p.role in (None, role)]
            if attribute == "compensation" and not pays:
                continue
            shown = pays[0].as_written if attribute == "compensation" else facts[attribute]
            parts = [place, (role, _kana(role), "の"), (word, reading(word), "")]
            english = (f"What is the {english_word} of the {_role_english(glossary, role)} "
                       f"in {case.romaji or case.municipality}?")
            for form in FORMS:
                text = _question(parts, form, english)
                if text:
                    questions.append(EvalQuestion(q=text, kind=form, records=[case.id], contains=[shown[:6]],
                                                  direct=[shown[:6]]))
        # near misses: a real neighbour outside the knowledge base, a role the case lacks
        neighbour = next((p for p in all_places() if p.prefecture == case.prefecture and p.name not in ours
                          and p.name != case.prefecture), None) if case.municipality != case.prefecture else \
            next((p for p in all_places() if p.is_prefecture and p.name not in ours), None)
        if neighbour:
            questions.append(EvalQuestion(q=f"{neighbour.name}の{role}の報酬は？", kind="near-miss-place",
                                          says=[neighbour.name]))
        mentioned = set(case.roles) | {
            e.name for e in gazetteer.tag(" ".join([case.title, case.summary or "", case.body, *facts.values()]))
            if e.kind == "role"}
        lacking = next((r for r in glossary.roles if r not in mentioned), None)
        if lacking:
            questions.append(EvalQuestion(q=f"{case.municipality}の{lacking}の任期は？", kind="near-miss-role",
                                          says=[lacking]))
    for record in records:
        if not isinstance(record, Roundtable):
            continue
        for topic in re.findall(r"^##\s+(.+?)\s*$", record.body, re.MULTILINE):
            said = re.search(rf"^##\s+{re.escape(topic)}\s*$(.*?)(?=^##\s|\Z)", record.body, re.MULTILINE | re.DOTALL)
            speakers = dict.fromkeys(re.findall(r"^###\s+(.+?)\s*$", said.group(1), re.MULTILINE)) if said else {}
            subject = re.split(r"[：:]", topic)[0]
            for key in speakers:
                person = record.participant(key)
                if person is None or not person.reading:
                    continue
                surname = person.reading.split(" ")[0]
                parts = [(key, jaconv.hira2kata(surname), "さんは"), (subject, _kana(subject), "について何と言った")]
                english = f"What did {person.romaji or key} say about {subject} at the round-table?"
                for form in FORMS:
                    if form == "homophone":
                        continue  # a wrong kanji in a person's name is a different person
                    text = _question(parts, form, english)
                    if text:
                        questions.append(EvalQuestion(q=text.replace("は？", "？") if form != "no-particle" else text,
                                                      kind=form, records=[record.id]))
    return questions

