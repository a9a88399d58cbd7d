"""The answer policy: from an understood question and its passages, an Answer — a structured
fact, a table, the cases a condition selects, the sentence that states the fact — or a typed
refusal (an unknown place, a missing role, a place with no case, a fact the record does not
state, nothing that answers). Resolved entities decide first; what is left is weighed by the
fitted model of bot/answering/policy.py.
"""

from __future__ import annotations

import re
from functools import cached_property

from hosakan.bot.answering import case_answers, direct, filters, lookup, people, policy, provenance, sentence_choice
from hosakan.bot.answering.extraction import Extract, best_sentence, coverage, sentences
from hosakan.bot.answering.search import Search
from hosakan.bot.answering.understanding import Understanding
from hosakan.bot.models import Answer, Fact, Hit
from hosakan.bot.sentences import officials
from hosakan.indexer.analysis import terms
from hosakan.indexer.normalize import fold
from hosakan.indexer.rules import article_heading, article_named
from hosakan.indexer.sources import date_label
from hosakan.knowledge.dates import article_number, in_era


class Answerer:
    def __init__(self, finder: Search):
        self.finder = finder
        self.index = finder.index
        self.words = finder.words
        self.hits = finder.hits
        self._identity: dict[str, set[str]] = {}  # case id -> the terms that name it

    @cached_property
    def casebook(self) -> case_answers.Casebook:
        return case_answers.Casebook(self.index.records.values(), self.index.gazetteer)

    @cached_property
    def sources_by_place(self) -> dict[str, list]:
        """The source documents about each municipality (or prefecture, for its own documents), by name."""
        found: dict[str, list] = {}
        for source in self.index.sources.values():
            if source.municipality:
                found.setdefault(source.municipality, []).append(source)
        return found

    def anchored(self, u: Understanding) -> bool:
        """Whether the question names something the knowledge base is about: a role, a form, a
        person, a case's municipality or prefecture, or a kind of record. A bare place (東京 of
        明日の東京の天気) is no anchor, nor is a common question word (いくら, title): those count
        only as evidence."""
        kinds = {m.entity.kind for m in u.resolution.mentions}
        places = {e.name for e in u.resolution.of_kind("municipality")}
        named_cases = self.casebook.matching(municipality=places)
        return bool(kinds & {"role", "form", "person", "region"} or u.kinds or named_cases
                    or places & set(self.sources_by_place))

    def answer(self, u: Understanding, about: str | None = None) -> Answer:
        """The answer to an understood question; ``about``: for a question about where a record is
        from, the record the conversation is on ('' for none: then only a record the question
        names or finds by its own words; None: not a follow-up)."""
        text = u.text
        if not u.terms and not u.resolution.entities and not u.resolution.unknown_places:
            # only particles, symbols
            return Answer(question=text, answered=False, message=officials.MEANINGLESS, refusal="meaningless")
        understood = case_answers.understood(u.resolution)
        if u.resolution.unknown_places:
            u.resolution.unknown_places, unknown = [], u.resolution.unknown_places
            suggestions = self.finder.search(u) if u.resolution.entities else []
            return Answer(question=text, answered=False, hits=suggestions[: self.hits],
                          message=case_answers.unknown_place(unknown, self.casebook, bool(suggestions)),
                          refusal="unknown_place")
        places = {e.name for e in u.resolution.of_kind("municipality")}
        cases = self.casebook.matching(municipality=places)
        roles = {e.name for e in u.resolution.of_kind("role")}
        documents = [s for place in sorted(places) for s in self.sources_by_place.get(place, [])]
        if provenance.asked(text, u.attributes) and not u.ranking and (sourced := self._sourced(u, cases, about)):
            return sourced.model_copy(update={"understood": understood})
        if places and not cases and (held := people.holders(self.index.records.values(), text, places,
                                                                   _post_asked(u))):
            # 「東京都のCIOは誰？」: a place the round-table's participants come from
            shown = [h for h in self.finder.search(u) if h.record_id in {f.record_id for f in held}]
            return Answer(question=text, answered=True, facts=held, understood=understood, hits=shown[: self.hits])
        if documents and not cases:  # a place only source documents cover: answered from them
            return self._from_sources(u, sorted(places), documents, understood)
        if documents and _DOCUMENT_NAMED.search(text):  # 「米原市の規程の制定日は？」: its documents first
            said = self._from_sources(u, sorted(places), documents, understood)
            if said.answered:
                return said
        role_missing = case_answers.missing_role(cases, roles, self.casebook)
        refusal = role_missing or case_answers.unstated(u, cases, self.casebook, self.words.folded["attributes"])
        if refusal and documents and not role_missing:
            # the curated record does not state it; the place's source documents may
            said = self._from_sources(u, sorted(places), documents, understood)
            if said.answered:
                return said
        if places and not cases and roles and u.attributes and not u.resolution.of_kind("person") \
                and "roundtable" not in u.kinds:
            # a place the knowledge base only mentions (東京都, in the round-table) has no such role
            return Answer(question=text, answered=False, understood=understood,
                          message=case_answers.no_case(sorted(places), roles, self.casebook), refusal="no_case")
        if not cases and not refusal and not u.ranking:
            selected = self._filtered(u)
            if selected:
                return selected
        table = None if refusal else case_answers.table(u, cases, self.casebook)
        if table:
            lead, table, order = table
            rank = {record: i for i, record in enumerate(order)}
            found = [h for h in self.finder.search(u, upto=self.hits * 4) if h.record_id in rank]
            # one passage per record first, in the table's order, then the other passages
            firsts = list({h.record_id: h for h in reversed(found)}.values())[::-1]
            hits = sorted(firsts, key=lambda h: rank[h.record_id]) + [h for h in found if h not in firsts]
            hits = hits or self.finder.search(u)
            return Answer(question=text, answered=True, lead=lead, table=table, understood=understood,
                          hits=hits[: self.hits], more=hits[self.hits: self.hits * 2])
        if refusal:
            shown = [h for h in self.finder.search(u) if h.record_id in {c.id for c in cases}]
            return Answer(
                question=text, answered=False, understood=understood, message=refusal, hits=shown[: self.hits],
                refusal="missing_role" if role_missing else "not_stated")
        hits = self.finder.search(u)
        if not hits:
            return Answer(question=text, answered=False, message=case_answers.out_of_scope(self.casebook),
                          refusal="no_match")
        if cases:
            structured = case_answers.structured(u, self.casebook)
            said = (structured, []) if structured else self._from_cases(u, cases, hits)
            if isinstance(said, direct.Unstated) and documents:  # the record does not say; its sources may
                from_sources = self._from_sources(u, sorted(places), documents, understood)
                if from_sources.answered:
                    return from_sources
            if isinstance(said, direct.Unstated):
                shown = [h for h in hits if h.record_id in {c.id for c in cases}]
                return Answer(question=text, answered=False, understood=understood, message=said.message,
                              hits=shown[: self.hits], refusal="not_stated")
            facts, unmatched = said
            return Answer(question=text, answered=True, facts=facts, understood=understood, unmatched=unmatched,
                          lead=[officials.near_fact(unmatched)] if unmatched else [],
                          hits=hits[: self.hits], more=hits[self.hits:])
        listed = case_answers.listing(u, self.casebook)
        if listed:
            lead, facts = listed
            return Answer(question=text, answered=True, lead=lead, facts=facts, understood=understood,
                          hits=hits[: self.hits], more=hits[self.hits:])
        if places:  # 「清瀬市の人口は？」 is answered from 清瀬市's records (not 酒田市's, nor a report's), or none;
            # more of each of them than a page shows (its round-table's fourth passage may hold the asked word)
            hits = [h for h in self.finder.search(u, per_record=self.hits * 2)
                    if places & set(lookup.places_of(self.index, h.record_id))]
        features, said = self._weigh(u, hits) if hits else ([], None)
        if said is None or not policy.load().answers(features):
            asked = direct.asked(u, self.words.idf, self.words.synonym_terms, in_corpus=self.words.known,
                                  written=self.words.written)
            if places and asked.required:  # the place's records do not say it, in the asked words
                return Answer(question=text, answered=False, understood=understood, refusal="not_stated",
                              message=direct.not_stated("・".join(sorted(places)), asked), hits=hits[: self.hits])
            return Answer(question=text, answered=False, message=case_answers.out_of_scope(self.casebook),
                          features=features, refusal="no_match")
        return Answer(question=text, answered=True, facts=[said], understood=understood,
                      hits=hits[: self.hits], more=hits[self.hits:], features=features)

    def _sourced(self, u: Understanding, cases, about: str | None) -> Answer | None:
        """Where the record asked about is from (「この記事を書いたのは？」): the named case's, the one
        the conversation is on, else (not a follow-up) the record the search finds first; None when
        there is none, or it is a source document (its own page says where it is from)."""
        hits = self.finder.search(u)
        if len(cases) == 1:
            record = cases[0]
        elif cases:
            record = None
        elif about:
            record = self.index.records.get(about)
        else:
            record = self.index.records.get(hits[0].record_id) if hits and about is None else None
        if record is None:
            return None
        hits = [h for h in hits if h.record_id == record.id] or hits
        return Answer(question=u.text, answered=True, facts=[provenance.fact(record)],
                      hits=hits[: self.hits], more=hits[self.hits:])

    def within(self, u: Understanding, record_id: str) -> Answer | None:
        """The answer to a follow-up read within the report table or round-table the conversation
        is on: the sentence of its passages that holds an asked word or the asked kind of answer
        (the passages the search ranks first, then the rest in order); None when none does."""
        if record_id not in self.index.records:
            return None
        ranked = [h for h in self.finder.search(u, upto=self.hits * 4) if h.record_id == record_id]
        seen = {h.docnum for h in ranked}
        hits = ranked + [self.finder.hit(n, 0.0, u) for n in self.finder.record_docnums(record_id) if n not in seen]
        features, said = self._weigh(u, hits)
        # the conversation anchors the question in the record; the policy weighs the rest
        features[policy.FEATURES.index("anchored")] = 1.0
        if said is None or not policy.load().answers(features):
            return None
        return Answer(question=u.text, answered=True, facts=[said], understood=case_answers.understood(u.resolution),
                      hits=hits[: self.hits], more=hits[self.hits: self.hits * 2], features=features)

    def _filtered(self, u: Understanding) -> Answer | None:
        """The cases a question selects by a structured fact (テレワーク可, 週1日以下の登庁, 月額)."""
        roles, forms, regions = ({e.name for e in u.resolution.of_kind(k)} for k in ("role", "form", "region"))
        scope = self.casebook.matching(role=roles, form=forms, prefecture=regions) if roles or forms or regions \
            else self.casebook.cases
        selected = filters.select(u.text, scope)
        if selected is None:
            return None
        lead, facts, matching = selected
        if not matching:
            return Answer(question=u.text, answered=False, message="\n".join(lead), refusal="no_cases_selected")
        ids = {c.id for c in matching}
        hits = [h for h in self.finder.search(u, upto=self.hits * 4) if h.record_id in ids]
        return Answer(question=u.text, answered=True, lead=lead, facts=facts, hits=hits[: self.hits],
                      more=hits[self.hits: self.hits * 2])

    def _from_sources(self, u: Understanding, places: list[str], documents, understood) -> Answer:
        """The sentence of a place's source documents that answers, cited with the document and its
        page or article. The words of the place and of the documents' titles are who is asked
        about, never the asked fact; "not stated" only when no passage holds any asked word."""
        ids = {d.id for d in documents}
        hits = [h for h in self.finder.search(u, upto=self.hits * 4) if h.record_id in ids]
        known = set(terms(" ".join([*places, *(d.title for d in documents)])))
        asked = direct.asked(u, self.words.idf, self.words.synonym_terms, known, self.words.known, self.words.written)
        known |= of_places(asked.focus.words, places)
        # the document's own name is in the question to say which document, not what it should say;
        # the posts it names say which of the document's sentences it is about
        posts = {t for e in u.resolution.of_kind("role") for t in terms(e.name)}
        asked = asked.weighing_less(known).naming({t: self.words.idf(t) for t in posts})
        known |= posts  # a post named with the document (「CDOの規程」) is which document, still
        names = "・".join(places)
        article = article_named(u.text)
        contents = [d for d in documents if d.chapters]
        if contents and _CHAPTERS_ASKED.search(u.text):  # 「システム監査は第何章？」: the 例規's own 目次
            return self._chapters(u, asked, names, contents, hits, understood)
        if direct.overview(asked) and not article and set(asked.focus.words) <= known:
            # only the place and the document named (no verb, no other word): the documents themselves
            lines = [officials.source_summary(d.title, d.as_of_label()) for d in documents]
            return Answer(question=u.text, answered=True, lead=lines, understood=understood,
                          hits=hits[: self.hits], more=hits[self.hits:])
        if _DOCUMENT_DATE.search(u.text):  # when the document itself is dated: its own date, as it writes it
            dated = [d for d in _ranked(documents, hits) if d.published]
            if dated:
                document = dated[0]
                text = officials.document_date(document.title, in_era(document.published),
                                               date_label(document.published), document.enacted)
                fact = Fact(record_id=document.id, name=names, text=text, as_of=document.as_of_label(),
                            dated=document.dated, source=document.label())
                return Answer(question=u.text, answered=True, understood=understood, facts=[fact],
                              hits=hits[: self.hits], more=hits[self.hits:])
        # every passage of the place's documents, those the search ranked first (search shows at
        # most two a record); an asked fact (任期, 報酬 …) from passages that name it where any does
        ranked = [h.docnum for h in hits]
        docnums = list(dict.fromkeys([*ranked, *(n for d in documents for n in self.finder.record_docnums(d.id))]))
        texts = {n: self.finder.passage(n) for n in docnums}
        wanted = [w for a in u.attributes for w in self.words.folded["attributes"].get(a, [])]
        naming = [n for n in docnums if any(w in fold("\n".join(texts[n])) for w in wanted)] or docnums
        if article:  # 「第5条には何が書いてある？」: that article's passages, its first sentence if nothing else
            naming = [n for n in docnums if article_heading(texts[n][0]) == article] or naming
        found = direct.from_cases(asked, [texts[n] for n in naming])
        if found is None and article and (first := sentences(texts[naming[0]][1])):
            found = Extract(first[0], 0, 1.0, False, 0.0)
        if found is None and asked.decisive and not any(direct.holds_required(asked, "\n".join(texts[n]))
                                                        for n in docnums):
            return Answer(question=u.text, answered=False, understood=understood, hits=hits[: self.hits],
                          message=officials.unstated_in_sources(names, direct.asked_words(asked)),
                          refusal="not_stated")
        if found is None:  # the asked words are there, not in one sentence with the rest: the closest
            found = best_sentence(asked.focus, [texts[n] for n in naming])
        core = found.text.strip("…") if found else ""
        quoted = next((n for n in naming if core and core in texts[n][1]), None)
        if quoted is None:
            return Answer(question=u.text, answered=False, message=case_answers.out_of_scope(self.casebook),
                          hits=hits[: self.hits], refusal="no_match")
        hit = self.finder.hit(quoted, hits[0].score if hits else 1.0, u)
        hits = [hit, *[h for h in hits if h.doc_id != hit.doc_id]]
        cited = f"{names}・{hit.section}" if article_heading(hit.section) or hit.section.startswith("附則") else names
        fact = Fact(record_id=hit.record_id, name=cited, text=found.text, quoted=True, as_of=hit.as_of,
                    dated=hit.dated, source=hit.source)  # the document, with the page or article of the passage quoted
        unmatched = asked.unmatched([texts[n] for n in naming], found.text)
        return Answer(question=u.text, answered=True, understood=understood, facts=[fact],
                      lead=[officials.near_fact(unmatched)] if unmatched else [], unmatched=unmatched,
                      hits=hits[: self.hits], more=hits[self.hits:])

    def _chapters(self, u: Understanding, asked, names: str, documents, hits: list[Hit], understood) -> Answer:
        """The 章 a question asks about (the one whose title covers most of it, with its articles),
        or the whole table of contents when none is named (「全部で何章？」)."""
        document = _ranked(documents, hits)[0]
        # by its number, else by the asked words (not the document's own name), the rest of the
        # question breaking ties
        named = article_number(m.group(1)) if (m := _CHAPTER_NAMED.search(fold(u.text))) else None
        covered = [((float(named is not None and article_number(label[1:-1]) == named),
                     coverage(asked.on_required(), name), coverage(asked.focus, name)), (label, name, first, last))
                   for label, name, first, last in document.chapters]
        (by_number, by_words, _), found = max(covered, key=lambda c: c[0])
        text = officials.chapter(document.title, *found) if by_number or by_words \
            else officials.chapters(document.title, [c for _, c in covered])
        fact = Fact(record_id=document.id, name=names, text=text, as_of=document.as_of_label(),
                    dated=document.dated, source=document.label())
        return Answer(question=u.text, answered=True, understood=understood, facts=[fact],
                      hits=hits[: self.hits], more=hits[self.hits:])

    def _known_terms(self, case) -> set[str]:
        found = self._identity.get(case.id)
        if found is None:
            words = [case.title, case.municipality, case.prefecture, *case.roles, *case.appointment_forms]
            found = self._identity[case.id] = {t for w in words for t in terms(w)}
        return found

    def _from_cases(self, u: Understanding, cases, hits: list[Hit]) -> tuple[list[Fact], list[str]] | direct.Unstated:
        """The quoted sentence of each named case that answers (with the asked words a sentence
        states in other words: a neighbouring fact), its summary when only an overview was asked,
        or direct.Unstated when none states the asked fact."""
        known = set().union(*(self._known_terms(c) for c in cases))
        asked = direct.asked(u, self.words.idf, self.words.synonym_terms, known, self.words.known, self.words.written)
        if direct.overview(asked):
            return [case_answers.case_fact(c, c.summary or c.title) for c in cases], []
        facts, missing, unmatched, kinds = [], [], [], []
        for case in cases:
            texts = [self.finder.passage(h.docnum) for h in hits if h.record_id == case.id]
            texts += [t for t in self.finder.record_texts(case.id) if t not in texts]
            lacking = direct.lacks_kind(asked, texts)
            found = None if lacking else direct.from_cases(asked, texts)
            if found is None:
                missing.append(case)
                kinds += [lacking] if lacking else []
                continue
            facts.append(case_answers.case_fact(case, found.text, quoted=True))
            unmatched += asked.unmatched(texts, found.text)
        if facts:
            return facts, list(dict.fromkeys(unmatched))
        if not asked.decisive and not kinds:  # no Japanese word was asked, and no sentence has it: the case
            return [case_answers.case_fact(c, c.summary or c.title) for c in cases], []
        names = "・".join(dict.fromkeys(c.municipality for c in missing))
        return direct.Unstated(direct.not_stated(names, asked, kinds))

    def _weigh(self, u: Understanding, hits: list[Hit]) -> tuple[list[float], Fact | None]:
        """(the answer policy's features, the quoted sentence) for a question naming no case."""
        asked = direct.asked(u, self.words.idf, self.words.synonym_terms, in_corpus=self.words.known,
                              written=self.words.written)
        # the forms of appointment it names say which sentence (which row of a table) it is about:
        # 特別職非常勤職員 of 「任用例、任期付と特別職非常勤でどっちが多い？」 (posts were tried too: CIO補佐官 is
        # in too many sentences to choose among them, and blind questions lost by it)
        forms = {t for e in u.resolution.of_kind("form") for t in terms(e.name)}
        asked = asked.naming({t: self.words.idf(t) for t in forms})
        hits = hits[: self.hits * 2]
        # a question about what someone said is answered from that speaker's turns (not their name: a
        # turn never says who speaks it; the list of participants does)
        asks_name = u.kind is not None and u.kind.name == "name"
        spoken = [] if asks_name else [h for h in hits if h.speaker and _spoke(h.speaker, u)]
        found, chosen = None, hits
        for chosen in ([spoken] if spoken else []) + [hits]:  # that speaker's turns, else every passage
            texts = [(f"{h.title} {h.section} {h.speaker or ''}", self.finder.passage(h.docnum)[1]) for h in chosen]
            found = best_sentence(asked.focus, texts)
            if (found is None or found.cover <= 0) and chosen is spoken:
                # what they said in their own words (期待 asked, 求める said): the sentence of their
                # turns whose section names the asked thing
                found = best_sentence(asked.focus, texts, around_only=True)
            if found is not None and found.cover > 0:
                break
        hits = chosen
        features = [float(self.anchored(u)), self.finder.evidence(u, [h.docnum for h in hits[: self.hits]]),
                    self.finder.unexplained(u), found.cover if found else 0.0, float(bool(found and found.typed)),
                    policy.dense_feature(self.finder.similarity(u, hits[: self.hits])),
                    float(sentence_choice.side(u.text) is not None)]
        if found is None:
            return features, None
        hit = hits[found.passage]
        return features, Fact(record_id=hit.record_id, name=hit.speaker or hit.title, text=found.text, quoted=True,
                              as_of=hit.as_of, dated=hit.dated, source=hit.source)


def _post_asked(u: Understanding) -> bool:
    """Whether a question about a post asks who holds it in other words than 誰: the post its holder
    has (「清瀬市のCIOってどういう役職の人？」), or the post alone (「東京都のCIOは？」)."""
    return "position" in u.attributes or (not u.content and (u.kind is None or u.kind.name == "definition"))


def of_places(words, places: list[str]) -> set[str]:
    """The asked words that are pieces of a named place (新島 and 村 of 新島村, which the
    dictionary keeps whole in a document's title): who is asked about, not what."""
    return {w for w in words if any(w in place for place in places)}


def _ranked(documents: list, hits: list[Hit]) -> list:
    """A place's documents, those the search ranked first (by their best passage) before the rest."""
    order = list(dict.fromkeys([h.record_id for h in hits] + [d.id for d in documents]))
    return sorted(documents, key=lambda d: order.index(d.id))


# a question about a 例規's 章 (第何章, 何章立て, 管理運営体制の章は), not a 文章 or 憲章
_CHAPTERS_ASKED = re.compile(r"何章|章立て|第\s*[0-9０-９一二三四五六七八九十]+\s*章|の章")
_CHAPTER_NAMED = re.compile(r"第\s*([0-9一二三四五六七八九十]+)\s*章")  # 第3章 of 「第3章には何が」
# a question that names a kind of document a place publishes (規程, 要綱, 仕様書), not its case
_DOCUMENT_NAMED = re.compile(r"規程|要綱|要領|規則|訓令|告示|条例|例規|仕様書|募集要項"
                             r"|第\s*[0-9０-９一二三四五六七八九十]+\s*条")
# a question about the document's own date (not a date its text states: 委嘱状を渡したのはいつ)
_DOCUMENT_DATE = re.compile(r"制定|施行|日付|いつの(?:もの|規程|要綱|規則|訓令|告示)|いつ(?:でき|作|定め|改正)|発効"
                            r"|改正日|改正(?:は|が)いつ|最近の改正|告示日|公布日"
                            r"|when (?:was|were|did) .{0,80}(?:issued|enacted|adopted|promulgated|take effect)"
                            r"|(?:took|take|came into) (?:effect|force)|effective date|date of enactment",
                            re.IGNORECASE)
def _spoke(speaker: str, u: Understanding) -> bool:
    """Whether a passage's speaker (「南澤 志公（清瀬市総務部長）」) is who the question asks about:
    a person it names, a place and role it names side by side (清瀬市CIO, 清瀬市の総務部長), or,
    without such a pair, a place it names with a role or a content word of the speaker's title."""
    resolution = u.resolution
    folded = fold(speaker).replace(" ", "")
    people = [fold(e.name).replace(" ", "") for e in resolution.of_kind("person")]
    if any(p and p in folded for p in people):
        return True
    places = [m for m in resolution.mentions if m.entity.kind == "municipality" and m.start >= 0]
    roles = [m for m in resolution.mentions if m.entity.kind == "role" and m.start >= 0]
    pairs = [(fold(p.entity.name), fold(r.entity.name)) for p in places for r in roles if 0 <= r.start - p.end <= 1]
    if pairs:
        return any(p in folded and r in folded for p, r in pairs)
    titled = [fold(r.entity.name) for r in roles] + [t for t in u.content if len(t) > 2]
    return any(fold(p.entity.name) in folded for p in places) and any(t in folded for t in titled)
