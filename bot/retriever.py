"""The fuzzy retriever: a question in, an Answer with cited snippets (or an honest "not found") out.

User text never reaches Whoosh's query parser: the question becomes weighted (field, term) clauses
from analysed tokens, bigrams and resolved entities, ranked with BM25F over Whoosh's postings
(bot/ranking.py).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from whoosh.scoring import BM25F

from bot import answers, compare, context, direct, filters, messages, policy
from bot.extraction import best_sentence
from bot.models import Answer, Hit, Topic
from bot.ranking import Clause, Ranker
from bot.snippets import snippet
from indexer.embeddings import load_embedder
from indexer.analysis import bigrams, is_romaji, loose, morphemes, reading_grams, spoken, spoken_parts, terms
from indexer.gazetteer import Resolution, speaker_term
from indexer.normalize import clean_question, fold
from indexer.store import OpenIndex

TEXT_FIELDS = {"context": 0.8, "body": 1.0}  # context holds the title, section and speaker
ENTITY_BOOST = {"municipality": 6.0, "region": 2.5, "person": 4.0, "role": 1.5, "form": 2.0}
READING_BOOST = 0.5  # each reading trigram of the words typed by sound
DENSE_WEIGHT = 1.0  # the dense ranking's weight in the fusion at most (the lexical one weighs 1), scaled by the share of the question the index does not know
RRF_K = 60  # reciprocal rank fusion's constant (Cormack et al.)
PER_RECORD = 2
CANDIDATES = 40
SYNONYM_WEIGHT = 0.4  # a glossary synonym's weight, as a clause and as evidence
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")


@dataclass
class Understanding:
    """What the retriever made of a question before searching."""

    text: str
    resolution: Resolution
    terms: dict[str, float]
    expansions: dict[str, float]
    attributes: list[str]
    kinds: list[str]
    attribute_words: list[str] = field(default_factory=list)  # the words that asked for them (任期, 勤務日数)
    comparing: bool = False  # 比べて, 違いは
    ranking: tuple | None = None  # (attribute, descending, bound, bound as typed): 一番高い, 2年以上
    content: list[str] = field(default_factory=list)  # the asked words no entity covers
    unknown: list[str] = field(default_factory=list)  # content words neither the index nor the glossary knows
    glossary_words: list[str] = field(default_factory=list)
    listing: bool = False  # asks for a list of cases
    leftover: list[str] = field(default_factory=list)  # content terms the glossary does not know
    grams: list[str] = field(default_factory=list)  # bigrams of words the index does not know
    readings: list[str] = field(default_factory=list)  # reading trigrams of the words typed by sound
    by_sound: set[str] = field(default_factory=set)  # terms of words typed in kana or romaji
    highlight: dict[str, float] = field(default_factory=dict)


class Retriever:
    def __init__(self, index: OpenIndex, max_chars: int = 500, hits: int = 3):
        self.index = index
        self.max_chars = max_chars
        self.hits = hits
        # Entity, attribute and kind tags are yes/no facts: no length normalisation for them.
        self.searcher = index.index.searcher(weighting=BM25F(entities_B=0.0, attribute_B=0.0, kind_B=0.0))
        self.reader = self.searcher.reader()
        self.ranker = Ranker(self.searcher)
        # One question at a time: the index files are read with seek-then-read on shared handles,
        # and the impact cache is shared. The work holds the GIL anyway, so threads lose nothing.
        self._lock = threading.Lock()
        self._texts: dict[str, list[str]] = {}  # record id -> its passages' texts
        self._identity: dict[str, set[str]] = {}  # case id -> the terms that name it

    def close(self) -> None:
        self.searcher.close()

    def warm(self, previous: Retriever, question: str) -> None:
        """Read now what questions read from the previous index (the same terms' postings), and
        answer ``question`` so that everything built on first use (the gazetteer's fuzzy index,
        the case book) is built: the first questions on this index are as fast as the last on that."""
        self.ranker.warm(previous.ranker.cached_terms())
        self.ask(question)

    # -- vocabulary -----------------------------------------------------------------------
    @cached_property
    def _glossary_words(self) -> dict[str, list[str]]:
        """Folded glossary word -> the words of its synonym group."""
        words: dict[str, list[str]] = {}
        glossary = self.index.glossary
        groups = list(glossary.synonyms) + [list(ws) for ws in glossary.attributes.values()]
        for group in groups:
            for word in group:
                words.setdefault(fold(word), []).extend(group)
        return words

    @cached_property
    def casebook(self) -> answers.Casebook:
        return answers.Casebook(self.index.records.values(), self.index.gazetteer)

    @cached_property
    def _folded(self) -> dict[str, dict[str, list[str]]]:
        """The glossary's question words, folded once."""
        glossary = self.index.glossary
        return {
            "attributes": {name: [fold(w) for w in words] for name, words in glossary.attributes.items()},
            "kinds": {name: [fold(w) for w in words] for name, words in glossary.kinds.items()},
            "listing": {"": [fold(w) for w in glossary.listing]},
        }

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

    def _idf(self, term: str) -> float:
        frequency = max(self.reader.doc_frequency(name, term) for name in TEXT_FIELDS)
        return math.log(1 + self.reader.doc_count() / (1 + frequency))

    def _known(self, term: str) -> bool:
        if term in self._glossary_terms:
            return True
        return any(self.reader.doc_frequency(name, term) for name in TEXT_FIELDS)

    # -- understanding --------------------------------------------------------------------
    @cached_property
    def _said_words(self) -> dict[str, list[tuple[str, str]]]:
        """Loose readings (3+ kana) of the glossary's question words -> (group, word): 報酬 is
        ホシュ, so ほうしゅう and houshuu ask for it too."""
        said: dict[str, list[tuple[str, str]]] = {}
        for group, words in [*self._folded["attributes"].items(), *(("kind:" + k, ws) for k, ws in self._folded["kinds"].items()),
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
            if said and (not _KANJI.search(surface) or (found and not any(self._known(t) for t in found))):
                current.append(said)
            elif current:
                runs.append(current)
                current = []
        runs.append(current)
        return [reading for reading in (loose("".join(run)) for run in runs) if reading]

    def understand(self, text: str) -> Understanding:
        resolution = self.index.gazetteer.resolve(text)
        folded = fold(text)
        asked = terms(text)
        runs = self._spoken_runs(text)
        by_sound = [(group, word) for reading, found in self._said_words.items()
                    if any(reading in run for run in runs) for group, word in found]
        expansions: dict[str, float] = {}
        present = []
        for word, group in self._glossary_words.items():
            if _contains_word(folded, word) or ("synonym", word) in by_sound:
                present.append(word)
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
        attribute_words = [w for a, ws in self._folded["attributes"].items() for w in ws
                           if _contains_word(unnamed_folded, w) or (a, w) in by_sound]
        attributes = [a for a, ws in self._folded["attributes"].items() if any(w in attribute_words for w in ws)]
        kinds = [k for k, ws in self._folded["kinds"].items()
                 if any(_contains_word(folded, w) or ("kind:" + k, w) in by_sound for w in ws)]
        covered = {t for m in resolution.mentions if m.start >= 0 for t in terms(text[m.start:m.end])}
        content = [t for t, weight in asked.items() if weight >= 1.0 and t not in covered and t not in self._asking_terms
                   and not t.isdigit() and not (len(t) == 1 and t.isascii())]
        unknown = [t for t in content if not self._known(t)]
        for attribute in self._attributes_sharing(unknown):  # 出勤日数 (unknown) shares 日数 with 勤務日数
            if attribute not in attributes:
                attributes.append(attribute)
        wanted = {t: w for t, w in asked.items() if len(t) > 1 or not _is_kana_or_symbol(t)}
        # synonyms are marked too, but the words the asker typed choose the sentences
        wanted |= {t: 0.15 for t in expansions if len(t) > 1 and t not in wanted}
        for entity in resolution.entities:
            wanted |= {t: w for t, w in terms(entity.name).items() if t not in wanted}
        highlight = {t: self._idf(t) * weight for t, weight in wanted.items()}
        return Understanding(
            text=text, resolution=resolution, terms=asked, expansions=expansions,
            attributes=attributes, kinds=kinds, attribute_words=_longest(attribute_words),
            comparing=compare.wants_comparison(text), ranking=compare.ranking_of(text, attributes), content=content, unknown=unknown, glossary_words=present,
            listing=any(_contains_word(folded, w) for w in self._folded["listing"][""]),
            leftover=[t for t in content if t not in self._glossary_terms],
            grams=[g for t in unknown for g in bigrams(t)],
            readings=list(dict.fromkeys(g for run in runs for g in reading_grams(run))),
            by_sound={fold(t) for surface, normalized, *_ in morphemes(text) if not _KANJI.search(surface)
                       and (not surface.isascii() or is_romaji(surface)) for t in (surface.lower(), normalized)},
            highlight=highlight,
        )

    def anchored(self, u: Understanding) -> bool:
        """Whether the question names something the knowledge base is about: a role, a form, a
        person, a case's municipality or prefecture, or a kind of record. A bare place (東京 of
        明日の東京の天気) is no anchor, nor is a common question word (いくら, title): those count
        only as evidence."""
        kinds = {m.entity.kind for m in u.resolution.mentions}
        named_cases = self.casebook.matching(municipality={e.name for e in u.resolution.of_kind("municipality")})
        return bool(kinds & {"role", "form", "person", "region"} or u.kinds or named_cases)

    def evidence(self, u: Understanding, docnums: list[int]) -> float:
        """The share of the question's content words (weighed by idf; a word the index does not
        know weighs most) that these passages hold."""
        if not u.content:
            return 0.0
        total = matched = 0.0

        def held(term: str) -> bool:
            return any(np.isin(docnums, self.ranker.impacts(name, term)[0]).any() for name in TEXT_FIELDS)

        for term in u.content:
            weight = self._idf(term)  # a word in no passage gets the largest idf
            total += weight
            # a glossary word the passages do not spell (salary) counts for less when they hold a synonym
            if held(term):
                matched += weight
            elif any(held(t) for t in self._synonym_terms.get(term, ())):
                matched += SYNONYM_WEIGHT * weight
        return matched / total if total else 0.0

    def unexplained(self, u: Understanding) -> float:
        """The share (by idf) of the question's content words that neither the index nor the
        glossary knows: English and paraphrases the lexical ranking cannot read, where the dense
        ranking earns its say."""
        if not u.content:
            return 0.0
        weights = {t: self._idf(t) for t in u.content}
        # words typed in kana or romaji are read by sound (the reading field), not by meaning
        return sum(weights[t] for t in u.unknown if t not in u.by_sound) / sum(weights.values())

    @cached_property
    def _synonym_terms(self) -> dict[str, set[str]]:
        """Index term of a glossary word -> the index terms of its synonyms."""
        found: dict[str, set[str]] = {}
        for group in self._glossary_words.values():
            group_terms = {t for word in group for t in terms(word)}
            for word in group:
                for term in terms(word):
                    found.setdefault(term, set()).update(group_terms - {term})
        return found

    # -- searching ------------------------------------------------------------------------
    def build_query(self, u: Understanding) -> list[Clause]:
        """The question as weighted clauses (never through Whoosh's query parser)."""
        clauses: list[Clause] = []
        for term, weight in list(u.terms.items()) + list(u.expansions.items()):
            for name, boost in TEXT_FIELDS.items():
                clauses.append(Clause(name, term, weight * boost))
        for gram in u.grams:
            clauses.append(Clause("grams", gram, 0.3))
        for gram in u.readings:
            clauses.append(Clause("reading", gram, READING_BOOST))
        for entity in u.resolution.entities:
            clauses.append(Clause("entities", entity.term, ENTITY_BOOST[entity.kind]))
        for place in u.resolution.of_kind("municipality"):
            for role in u.resolution.of_kind("role"):
                clauses.append(Clause("entities", speaker_term(place.name, role.name), ENTITY_BOOST["person"]))
        for attribute in u.attributes:
            clauses.append(Clause("attribute", attribute, 3.0 if u.resolution.of_kind("municipality") else 1.5))
        for kind in u.kinds:
            clauses.append(Clause("kind", kind, 2.0))
        return clauses

    @cached_property
    def semantic(self) -> tuple | None:
        """(embedder, passage ids, vectors) when the index holds vectors of the installed model."""
        vectors, embedder = self.index.vectors, load_embedder()
        if vectors is None or embedder is None or vectors[2] != embedder.model or not len(vectors[0]):
            return None
        return embedder, vectors[0], vectors[1]

    def ranked(self, u: Understanding, limit: int) -> list[tuple[float, int]]:
        """(score, document number) of the best passages for the question: the lexical ranking,
        fused with the dense one by reciprocal rank (weighted) when the index has vectors."""
        lexical = self.ranker.top(self.build_query(u), limit)
        weight = DENSE_WEIGHT * self.unexplained(u)
        if self.semantic is None or weight == 0:
            return lexical
        embedder, ids, vectors = self.semantic
        similarity = vectors @ embedder.query(u.text)
        top = np.argpartition(-similarity, min(limit, len(ids)) - 1)[:limit]
        fused: dict[int, float] = {}
        for rank, (_, docnum) in enumerate(lexical, 1):
            fused[docnum] = 1 / (RRF_K + rank)
        for rank, row in enumerate(top[np.argsort(-similarity[top])], 1):
            docnum = self.searcher.document_number(id=ids[row])
            if docnum is not None:
                fused[docnum] = fused.get(docnum, 0.0) + weight / (RRF_K + rank)
        return sorted(((score, docnum) for docnum, score in fused.items()), key=lambda x: (-x[0], x[1]))[:limit]

    def search(self, u: Understanding, upto: int | None = None) -> list[Hit]:
        """The best passages, at most PER_RECORD of a record, at most ``upto`` (two pages)."""
        if not (u.terms or u.resolution.entities or u.readings):
            return []
        upto = upto or self.hits * 2
        hits, per_record = [], Counter()
        for score, docnum in self.ranked(u, max(CANDIDATES, upto * 2)):
            result = self.searcher.stored_fields(docnum)
            data = result["data"]
            if per_record[data["record_id"]] >= PER_RECORD:
                continue
            per_record[data["record_id"]] += 1
            text, marks = snippet(data["text"], u.highlight)
            hits.append(Hit(
                doc_id=result["id"], record_id=data["record_id"], kind=data["kind"], title=data["title"],
                section=data["section"], speaker=data["speaker"], snippet=text, marks=marks,
                citation=data["citation"], source=data["source"], url=data["url"], as_of=data["as_of"], score=score,
                docnum=docnum,
            ))
            if len(hits) >= upto:
                break
        return hits

    # -- answering ------------------------------------------------------------------------
    def ask(self, question: str, previous: Topic | None = None, page: int = 0) -> Answer:
        """The answer to ``question``; ``previous`` is what the conversation was about (a
        follow-up takes what it leaves unsaid from it); ``page`` 1, 2 … are the next candidates."""
        started = time.perf_counter()
        with self._lock:
            answer, u = self._ask(question, previous)
            if page:
                answer = self._page(answer, u, page)
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        return answer

    def _page(self, answer: Answer, u: Understanding | None, page: int) -> Answer:
        """Candidates page ``page`` of an answer: no direct answer, table or message, just hits."""
        if not answer.answered or u is None:
            return answer.model_copy(update={"hits": [], "more": [], "page": page})
        found = self.search(u, upto=(page + 2) * self.hits)
        return answer.model_copy(update={
            "direct_answer": None, "table": None, "message": None, "understood": None, "page": page,
            "hits": found[page * self.hits:(page + 1) * self.hits],
            "more": found[(page + 1) * self.hits:(page + 2) * self.hits]})

    def _ask(self, question: str, previous: Topic | None = None) -> tuple[Answer, Understanding | None]:
        text = clean_question(question or "")
        problem = answers.problem_with(text, self.max_chars)
        if problem:
            return Answer(question=text[: self.max_chars], answered=False, message=problem), None
        u = self.understand(text)
        taken = context.carried(u, previous, self.casebook.has_role)
        if taken:
            u = self.understand(f"{context.spelled(taken)} {text}")
        answer = self._answer(u)
        return answer.model_copy(update={"question": text, "topic": context.topic_of(u), "carried": taken,
                                         "context": context.label(taken) if taken else None}), u

    def _answer(self, u: Understanding) -> Answer:
        text = u.text
        if not u.terms and not u.resolution.entities and not u.resolution.unknown_places:
            return Answer(question=text, answered=False, message=messages.MEANINGLESS)  # only particles, symbols
        understood = answers.understood(u.resolution)
        if u.resolution.unknown_places:
            u.resolution.unknown_places, unknown = [], u.resolution.unknown_places
            suggestions = self.search(u) if u.resolution.entities else []
            return Answer(question=text, answered=False, hits=suggestions[: self.hits],
                          message=answers.unknown_place(unknown, self.casebook, bool(suggestions)))
        places = {e.name for e in u.resolution.of_kind("municipality")}
        cases = self.casebook.matching(municipality=places)
        roles = {e.name for e in u.resolution.of_kind("role")}
        refusal = (answers.missing_role(cases, roles, self.casebook)
                   or answers.unstated(u, cases, self.casebook, self._folded["attributes"]))
        if places and not cases and roles and u.attributes and not u.resolution.of_kind("person") \
                and "roundtable" not in u.kinds:
            # a place the knowledge base only mentions (東京都, in the round-table) has no such role
            return Answer(question=text, answered=False, understood=understood,
                          message=answers.no_case(sorted(places), roles, self.casebook))
        if not cases and not refusal and not u.ranking:
            selected = self._filtered(u)
            if selected:
                return selected
        table = None if refusal else answers.table(u, cases, self.casebook)
        if table:
            heading, table, shown = table
            hits = [h for h in self.search(u, upto=self.hits * 4) if h.record_id in shown] or self.search(u)
            return Answer(question=text, answered=True, direct_answer=heading, table=table, understood=understood,
                          hits=hits[: self.hits], more=hits[self.hits: self.hits * 2])
        if refusal:
            shown = [h for h in self.search(u) if h.record_id in {c.id for c in cases}]
            return Answer(question=text, answered=False, understood=understood, message=refusal, hits=shown[: self.hits])
        hits = self.search(u)
        if not hits:
            return Answer(question=text, answered=False, message=answers.out_of_scope(self.casebook))
        if cases:
            said = answers.structured(u, self.casebook) or self._from_cases(u, cases, hits)
            if isinstance(said, direct.Unstated):
                shown = [h for h in hits if h.record_id in {c.id for c in cases}]
                return Answer(question=text, answered=False, understood=understood, message=said.message,
                              hits=shown[: self.hits])
            return Answer(question=text, answered=True, direct_answer=said, understood=understood,
                          hits=hits[: self.hits], more=hits[self.hits:])
        listed = answers.listing(u, self.casebook)
        if listed:
            return Answer(question=text, answered=True, direct_answer=listed, understood=understood,
                          hits=hits[: self.hits], more=hits[self.hits:])
        features, said = self._weigh(u, hits)
        if said is None or not policy.load().answers(features):
            return Answer(question=text, answered=False, message=answers.out_of_scope(self.casebook), features=features)
        return Answer(question=text, answered=True, direct_answer=said, understood=understood,
                      hits=hits[: self.hits], more=hits[self.hits:], features=features)

    def _filtered(self, u: Understanding) -> Answer | None:
        """The cases a question selects by a structured fact (テレワーク可, 週1日以下の登庁, 月額)."""
        roles, forms, regions = ({e.name for e in u.resolution.of_kind(k)} for k in ("role", "form", "region"))
        scope = self.casebook.matching(role=roles, form=forms, prefecture=regions) if roles or forms or regions \
            else self.casebook.cases
        selected = filters.select(u.text, scope)
        if selected is None:
            return None
        said, matching = selected
        if not matching:
            return Answer(question=u.text, answered=False, message=said)
        ids = {c.id for c in matching}
        hits = [h for h in self.search(u, upto=self.hits * 4) if h.record_id in ids]
        return Answer(question=u.text, answered=True, direct_answer=said, hits=hits[: self.hits],
                      more=hits[self.hits: self.hits * 2])

    # -- the sentence that answers ----------------------------------------------------------
    def _passage(self, docnum: int) -> tuple[str, str]:
        """(section, text) of a passage."""
        data = self.searcher.stored_fields(docnum)["data"]
        return data["section"], data["text"]

    def _record_texts(self, record_id: str) -> list[tuple[str, str]]:
        """(section, text) of a record's passages, in order (cached: an index never changes)."""
        found = self._texts.get(record_id)
        if found is None:
            found = self._texts[record_id] = [
                (fields["data"]["section"], fields["data"]["text"])
                for fields in sorted(self.searcher.documents(record_id=record_id), key=lambda f: f["id"])]
        return found

    def _known_terms(self, case) -> set[str]:
        found = self._identity.get(case.id)
        if found is None:
            words = [case.title, case.municipality, case.prefecture, *case.roles, *case.appointment_forms]
            found = self._identity[case.id] = {t for w in words for t in terms(w)}
        return found

    def _from_cases(self, u: Understanding, cases, hits: list[Hit]) -> str | direct.Unstated:
        """The quoted sentence of each named case that answers, its summary when only an overview
        was asked, or direct.Unstated when none states the asked fact."""
        known = set().union(*(self._known_terms(c) for c in cases))
        asked = direct.asked(u, self._idf, self._synonym_terms, known)
        lines, missing = [], []
        for case in cases:
            if direct.overview(asked):
                lines.append(messages.case_line(case.municipality, case.summary or case.title, case.as_of_label()))
                continue
            texts = [self._passage(h.docnum) for h in hits if h.record_id == case.id]
            texts += [t for t in self._record_texts(case.id) if t not in texts]
            found = direct.from_cases(asked, texts)
            if found is None:
                missing.append(case)
                continue
            lines.append(messages.quoted(case.municipality, found.text, case.as_of_label()))
        if lines:
            return "\n".join(lines)
        return direct.Unstated(direct.not_stated("・".join(dict.fromkeys(c.municipality for c in missing)), asked))

    def _weigh(self, u: Understanding, hits: list[Hit]) -> tuple[list[float], str | None]:
        """(the answer policy's features, the quoted sentence) for a question naming no case."""
        asked = direct.asked(u, self._idf, self._synonym_terms)
        hits = hits[: self.hits * 2]
        # a question about what someone said is answered from that speaker's turns
        hits = [h for h in hits if h.speaker and _spoke(h.speaker, u.resolution)] or hits
        texts = [(f"{h.title} {h.section} {h.speaker or ''}", self._passage(h.docnum)[1]) for h in hits]
        found = best_sentence(asked.focus, texts)
        features = [float(self.anchored(u)), self.evidence(u, [h.docnum for h in hits[: self.hits]]),
                    self.unexplained(u), found.cover if found else 0.0, float(bool(found and found.typed)),
                    policy.dense_feature(self._similarity(u, hits[: self.hits]))]
        if found is None:
            return features, None
        hit = hits[found.passage]
        return features, messages.quoted(hit.speaker or hit.title, found.text, hit.as_of)

    def _similarity(self, u: Understanding, hits: list[Hit]) -> float | None:
        """The best dense similarity of the question to these passages (None without vectors)."""
        if self.semantic is None:
            return None
        embedder, ids, vectors = self.semantic
        rows = [self._rows[h.doc_id] for h in hits if h.doc_id in self._rows]
        return float((vectors[rows] @ embedder.query(u.text)).max()) if rows else None

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {doc_id: row for row, doc_id in enumerate(self.semantic[1])} if self.semantic else {}


def _spoke(speaker: str, resolution: Resolution) -> bool:
    """Whether a passage's speaker (「南澤 志公（清瀬市総務部長）」) is a person the question names,
    by name or by place and role (清瀬市の総務部長, 東京都CIO)."""
    folded = fold(speaker).replace(" ", "")
    people = [fold(e.name).replace(" ", "") for e in resolution.of_kind("person")]
    if any(p and p in folded for p in people):
        return True
    places = [fold(e.name) for e in resolution.of_kind("municipality")]
    roles = [fold(e.name) for e in resolution.of_kind("role")]
    return any(p in folded for p in places) and any(r in folded for r in roles)


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
