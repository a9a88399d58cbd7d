"""Sentence extraction: the sentence (or table row) of the best passages that answers the question.

A candidate sentence is described by how much of the question's focus it covers (each word weighed
by its idf; a word of the same Sudachi synonym group counts for most of it, a glossary synonym for
less), whether it holds the expected kind of answer (bot/answering/answer_types.py: an amount for
いくら, a date for いつ), where it stands and whether it states anything; the learned scorer of
bot/answering/sentence_choice.py picks one. The chosen sentence is cut at sentence boundaries, or
at clause boundaries when it is very long, and quoted as it stands in the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hosakan.bot.answering import answer_types, sentence_choice
from hosakan.indexer.analysis import synonym_groups, terms
from hosakan.indexer.passages import row_cells
from hosakan.indexer.rules import is_date_line, is_item

LIMIT = 100  # characters of a quoted sentence before it is cut at clause boundaries: an answer reads at a glance
LIST_LIMIT = 300  # characters of a sentence with the list it introduces, before the rest of the list is left out
GROUP_CREDIT = 0.8  # a word of the same synonym group, as a share of the asked word's weight
SYNONYM_CREDIT = 0.4  # a glossary synonym, likewise
TYPE_WEIGHT = 0.6  # of a clause run that holds the asked kind of answer, when a long sentence is cut
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE = re.compile(r"[^、，,；;]+[、，,；;]?")
# a sentence whose content is the list after it: 「所掌事務は、次のとおりとする。」「次に掲げる事項を行う。」
_INTRODUCES = re.compile(r"(?:次|以下|左記)の(?:とおり|通り|各号|事項|業務|者)|次に掲げる")
# a heading that names who speaks in its section: 「知事のメッセージ（鈴木英敬 知事）」
_SPEAKER = re.compile(r"[（(]([^（）()]{2,30})[）)]\s*$")


@dataclass(frozen=True)
class Focus:
    """What a sentence must cover: the asked words (index term -> weight), each word's Sudachi
    synonym groups and glossary synonyms (index terms), and the expected kind of answer."""

    words: dict[str, float]
    groups: dict[str, tuple[int, ...]]
    synonyms: dict[str, set[str]]
    kind: answer_types.AnswerType | None
    question: str

    @property
    def total(self) -> float:
        return sum(self.words.values())


@dataclass(frozen=True)
class Extract:
    text: str  # the sentence, cut
    passage: int  # which of the passages given it comes from
    cover: float  # share of the focus it covers
    typed: bool  # holds the expected kind of answer
    score: float


_ITEM_NUMBER = re.compile(r"^[2-9２-９]\s+(?=[^\s0-9０-９人名か件])")  # a 項's number: 「２ 補佐官は、…」


def sentences(text: str) -> list[str]:
    """The sentences of a passage, each as it would be quoted: a 項's leading number left out, and
    a 。 inside brackets (「(以下「CDO」という。)は、副市長をもって充てる。」) no end of a sentence."""
    found: list[str] = []
    for line in text.split("\n"):
        if (row := row_cells(line)) is not None and len(row[1]) >= 3:
            found.append(line)  # a table row of three columns or more is one statement (its cells, _asked_cells)
            continue
        first = len(found)
        for piece in _SENTENCE.findall(line):
            if len(found) > first and _unclosed(found[-1]) and len(found[-1]) + len(piece) <= 2 * LIMIT:
                found[-1] += piece
            else:
                found.append(piece)
    return [_ITEM_NUMBER.sub("", s.strip()) for s in found if len(s.strip()) > 1]


def _unclosed(text: str) -> bool:
    """Whether a text opens more brackets than it closes."""
    return sum(text.count(c) for c in "（(「『") > sum(text.count(c) for c in "）)」』")


@lru_cache(maxsize=8192)
def _analysed(sentence: str) -> tuple[frozenset[str], frozenset[int]]:
    """A sentence's index terms and synonym groups (cached: the same passages answer many questions)."""
    return frozenset(terms(sentence)), frozenset(g for gs in synonym_groups(sentence).values() for g in gs)


def coverage(focus: Focus, sentence: str) -> float:
    """The share of the focus's weight the sentence holds."""
    if not focus.total:
        return 0.0
    found, groups = _analysed(sentence)
    held = 0.0
    for word, weight in focus.words.items():
        if word in found:
            held += weight
        elif any(g in groups for g in focus.groups.get(word, ())):
            held += GROUP_CREDIT * weight
        elif any(s in found for s in focus.synonyms.get(word, ())):
            held += SYNONYM_CREDIT * weight
    return held / focus.total


def _cut(sentence: str, focus: Focus) -> str:
    """A long sentence cut to the run of clauses that covers the most and holds the answer (a
    table row to the cells asked about, ``_asked_cells``)."""
    if len(sentence) <= LIMIT:
        return sentence
    if (cells := _asked_cells(sentence, focus)) is not None:
        return cells
    clauses = _CLAUSE.findall(sentence)
    best, best_score, best_first = sentence[:LIMIT] + "…", -1.0, -1
    for first in range(len(clauses)):
        text = ""
        for last in range(first, len(clauses)):
            if len(text) + len(clauses[last]) > LIMIT:
                break
            text += clauses[last]
            typed = answer_types.holds(focus.kind, text, focus.question)
            score = coverage(focus, text) + (TYPE_WEIGHT if typed else 0.0)
            # the best run, as long as it goes on scoring as well: a table row's cells after the
            # one that names the asked thing (項目：任用例、任期付職員：…（15団体）) are its answer
            if score > best_score or (score == best_score and first == best_first):
                best_score, best_first = score, first
                best = ("…" if first else "") + text.rstrip("、，,；;") + ("…" if last < len(clauses) - 1 else "")
    return best


def _asked_cells(row: str, focus: Focus) -> str | None:
    """A long table row quoted with its first cell (what the row is about) and the cells the
    question names or whose value is the asked kind of answer, in their order, the others left
    out (…): 「任期付と特別職非常勤でどっちが多い？」 shows both columns' counts, however long the
    cells between; the whole row when every cell is asked and it is at most twice the limit, else
    the columns whose headers the question names. None when it is no table row, no other cell is
    asked about, or what is asked runs past twice the limit (then clauses are cut as for any
    sentence)."""
    found = row_cells(row)
    if found is None:
        return None
    caption, cells = found
    asked = [i for i, (header, value) in enumerate(cells) if i == 0 or coverage(focus, f"{header}：{value}") > 0
             or answer_types.holds(focus.kind, value, focus.question)]
    if len(asked) < 2:
        return None
    if len(asked) == len(cells):
        if len(row) <= 2 * LIMIT:
            return row
        # too long to quote whole: the columns the question names (スキル of 「…に求められるスキルは？」)
        asked = [i for i, (header, _) in enumerate(cells) if i == 0 or coverage(focus, header) > 0]
        if not 2 <= len(asked) < len(cells):
            return None
    text = caption + "：".join(cells[0])
    for before, i in zip(asked, asked[1:]):
        text += ("、…" if i > before + 1 else "、") + "：".join(cells[i])
    text += "…" if asked[-1] < len(cells) - 1 else ""
    return text if len(text) <= 2 * LIMIT else None


def best_sentence(focus: Focus, passages: list[tuple[str, str]], typed_only: bool = False,
                  around_only: bool = False) -> Extract | None:
    """The best sentence of the passages ((where, text) in rank order: ``where`` is the passage's
    title and section, which a sentence of it is about too), or None when none covers any focus;
    ``typed_only``: only sentences that hold the expected kind of answer; ``around_only``: a
    sentence whose passage (its section, its speaker) covers the focus counts even if it holds
    none of it (what a named speaker said, in their own words)."""
    candidates: list[sentence_choice.Candidate] = []
    for rank, (where, text) in enumerate(passages):
        around = coverage(focus, f"{where}\n{text}")
        for position, sentence in enumerate([*_naming(focus, where), *sentences(text)]):
            if is_date_line(sentence):  # when the document was made or amended: no statement to quote
                continue
            own = coverage(focus, sentence)
            typed = answer_types.holds(focus.kind, sentence, focus.question)
            if (own <= 0 and not typed and not (around_only and around > 0)) or (typed_only and not typed):
                continue
            candidates.append(sentence_choice.Candidate(sentence, max(own, (own + around) / 2), own, around, typed,
                                                        rank, position))
    if not candidates:
        return None
    described = sentence_choice.features(focus.question, bool(focus.kind and focus.kind.seen), candidates,
                                         who=bool(focus.kind and focus.kind.name == "person"))
    if (recording := sentence_choice.RECORDING.get()) is not None:
        recording.append((focus.question, [(x, c.sentence) for x, c in zip(described, candidates)]))
    scorer = sentence_choice.load()
    scores = [scorer.score(x) for x in described]
    best = max(range(len(candidates)), key=scores.__getitem__)  # the first of equals, as before
    c = candidates[best]
    listed = _with_items(c.sentence, passages[c.rank][1])
    return Extract(listed or _cut(c.sentence, focus), c.rank, c.cover, c.typed, scores[best])


def _naming(focus: Focus, where: str) -> list[str]:
    """A passage's heading as a sentence of its own when who holds a post is asked and the heading
    names its speaker in that post (「三重県の知事は誰？」: 「知事のメッセージ（鈴木英敬 知事）」), else none."""
    heading = where.strip().split("\n")[-1]
    speaker = _SPEAKER.search(heading)
    if focus.kind is None or focus.kind.name not in ("person", "name") or speaker is None \
            or not answer_types.holds(answer_types.BY_NAME["name"], speaker.group(1)):
        return []
    # its speaker's post is the one asked (知事 of 「三重県の知事は誰？」), not only its topic (CDO of
    # 「CDOの業務内容（横山啓 スマート改革推進課長）」) or someone at all (誰が採用された)
    _, *post = speaker.group(1).split()
    named = (focus.total and coverage(focus, speaker.group(1)) > 0) or (post and post[-1] in focus.question)
    return [heading] if named else []


def _with_items(sentence: str, text: str) -> str | None:
    """A sentence that introduces a list (「所掌事務は、次のとおりとする。」) with the items (号) that
    follow it in its passage, as they stand there, up to LIST_LIMIT characters; None when it
    introduces none."""
    if not _INTRODUCES.search(sentence):
        return None
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if line.rstrip().endswith(sentence.strip())), None)
    if at is None:
        return None
    items: list[str] = []
    for line in lines[at + 1:]:
        if not is_item(line):
            break
        if items and len(sentence) + sum(len(i) + 1 for i in items) + len(line) > LIST_LIMIT:
            return "\n".join([sentence.strip(), *items]) + "…"
        items.append(line)
    return "\n".join([sentence.strip(), *items]) if items else None
