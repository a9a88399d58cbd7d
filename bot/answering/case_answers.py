"""What Hosakan answers from the cases' structured facts: direct answers, tables, and the
refusals that say what the knowledge base lacks (the sentences themselves are in bot/sentences/)."""

from __future__ import annotations

import hashlib
import re
import threading

from cachetools import LRUCache, cached

from hosakan.bot.answering import compare, sentence_choice
from hosakan.bot.models import Fact
from hosakan.bot.sentences import officials
from hosakan.indexer.normalize import fold
from hosakan.indexer.passages import ATTRIBUTE_LABELS, attribute_label, case_facts
from hosakan.knowledge.schema import Case

_READABLE = re.compile(r"[0-9A-Za-z\u3040-\u30ff\u3400-\u9fff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f]")
MAX_LISTED = 6
MAX_NAMED = 12  # municipalities named when a refusal says what the knowledge base covers
# Words that ask for pay over one period; a record that gives pay over another does not state it.
PERIOD_WORDS = {"year": ("年収", "年額"), "month": ("月収", "月額")}
PERIOD_LABELS = {"year": "年額", "month": "月額", "contract": "契約額", "total": "総額"}


# A case's folded text by the digest of its text, shared by every case book of this process: the next
# generation's (one record changed) folds again only what changed (85,000 cases at a million passages).
@cached(LRUCache(maxsize=500_000), key=lambda text: hashlib.sha1(text.encode()).digest(), lock=threading.Lock())
def _folded(text: str) -> str:
    return fold(text)


def problem_with(text: str, max_chars: int) -> str | None:
    """A polite message when the question cannot be read at all."""
    if not text:
        return officials.EMPTY
    if len(text) > max_chars:
        return officials.too_long(len(text), max_chars)
    if not _READABLE.search(text):
        return officials.UNREADABLE
    return None


class Casebook:
    """The cases of one index, looked up by municipality, role, form and prefecture; built once,
    so a question costs a few set operations however many cases there are."""

    def __init__(self, records, gazetteer=None):
        self.cases = [r for r in records if isinstance(r, Case)]
        self._gazetteer = gazetteer
        self._roles: dict[str, set[str]] = {}
        self._by: dict[str, dict[str, set[int]]] = {"municipality": {}, "role": {}, "form": {}, "prefecture": {}}
        for i, case in enumerate(self.cases):
            for dimension, values in [("municipality", [case.municipality]), ("role", case.roles),
                                      ("form", case.appointment_forms), ("prefecture", [case.prefecture])]:
                for value in values:
                    self._by[dimension].setdefault(value, set()).add(i)
        names = sorted(self._by["municipality"])
        self.coverage = "、".join(names[:MAX_NAMED])
        if len(names) > MAX_NAMED:
            self.coverage += f"ほか{len(names) - MAX_NAMED:,}自治体"

    def roles_of(self, case: Case) -> set[str]:
        """The roles a case has or mentions (小松島市's record names its CIO, the 副市長), read
        when first asked: a case book of 85,000 cases opens without reading them all."""
        found = self._roles.get(case.id)
        if found is None:
            tagged = self._gazetteer.tag(self.text_of(case)) if self._gazetteer else []
            found = self._roles[case.id] = set(case.roles) | {e.name for e in tagged if e.kind == "role"}
        return found

    def has_role(self, place: str, roles: set[str]) -> bool:
        """Whether a place's case has or mentions any of ``roles`` (a place we have no case of: yes)."""
        cases = self.matching(municipality={place}) or self.matching(prefecture={place})
        return not cases or any(roles & self.roles_of(c) for c in cases)

    def text_of(self, case: Case) -> str:
        """What a case says, folded: to tell a fact it states in prose from one it does not state."""
        return _folded(" ".join([case.title, case.summary or "", case.body, *case_facts(case).values()]))

    def matching(self, **wanted: set[str]) -> list[Case]:
        """Cases that match every dimension given (any of its values), in file order."""
        chosen: set[int] | None = None
        for dimension, values in wanted.items():
            if values:
                found = set().union(*(self._by[dimension].get(v, set()) for v in values))
                chosen = found if chosen is None else chosen & found
        return [self.cases[i] for i in sorted(chosen or ())]


def missing_role(cases: list[Case], roles: set[str], casebook: Casebook) -> str | None:
    """A refusal when none of the named cases has or mentions any asked role."""
    if not cases or not roles or any(roles & casebook.roles_of(c) for c in cases):
        return None
    names = "・".join(dict.fromkeys(c.municipality for c in cases))
    have = "、".join(dict.fromkeys(r for c in cases for r in c.roles))
    asked = "・".join(f"「{r}」" for r in sorted(roles))
    return officials.missing_role(names, asked, have)


def no_case(places: list[str], roles: set[str], casebook: Casebook) -> str:
    """A place the knowledge base mentions (a round-table speaker's) but has no case of."""
    return officials.no_case("・".join(places), "・".join(f"「{r}」" for r in sorted(roles)), casebook.coverage)


def unstated(u, cases: list[Case], casebook: Casebook, attribute_words: dict[str, list[str]]) -> str | None:
    """A refusal when the named cases' records do not state an asked fact, saying what they state
    instead where they state something close (a monthly amount when a yearly one was asked)."""
    if not cases:
        return None
    folded = fold(u.text)
    roles = {e.name for e in u.resolution.of_kind("role")}
    missing, instead = [], []
    kind = u.kind
    for attribute in (a for a in u.attributes if a in ATTRIBUTE_LABELS):
        words = [w for w in attribute_words.get(attribute, []) if w in folded]
        if not words and kind is not None and kind.name == attribute:
            # asked only as a kind of answer (どうやって選んでる): a sentence may state it for what was
            # asked (兼務職員は…職員から選定し), if not as the case's own field; the sentences decide
            continue
        period = next((p for p, ws in PERIOD_WORDS.items() if any(w in folded for w in ws)), None)
        for case in cases:
            text = casebook.text_of(case)
            facts = case_facts(case)
            pays = _pays(case, roles)
            stated = attribute in facts or (attribute == "department" and "position" in facts)
            if attribute == "compensation" and period:
                stated = any(p.period == period for p in pays) or any(w in text for w in PERIOD_WORDS[period])
            if stated or any(w in text for w in words if attribute != "compensation" or not period):
                break
        else:
            asked = (
                next((w for w in PERIOD_WORDS.get(period, ()) if w in folded), None)
                if attribute == "compensation"
                else None
            )
            label = asked or ATTRIBUTE_LABELS[attribute]
            missing.append(label)
            shown = [p for c in cases for p in _pays(c, roles)]
            if attribute == "compensation" and shown:
                instead.append(officials.stated_instead(
                    list(dict.fromkeys(PERIOD_LABELS.get(p.period or "", "金額") for p in shown)),
                    [f"{p.role + '：' if p.role else ''}{p.as_written}" for p in shown]))
    if not missing:
        return None
    names = "・".join(dict.fromkeys(c.municipality for c in cases))
    return officials.unstated(names, missing, instead)


def _pays(case: Case, roles: set[str]) -> list:
    """The case's pay for the asked roles (all of it when none was asked)."""
    return [p for p in case.compensation if not roles or p.role in roles or p.role is None]


def understood(resolution) -> str | None:
    """How mistyped names were read: 「大洲市（入力：大須市）として回答します。」"""
    read = [f"{m.entity.name}（入力：{resolution.typed(m)}）" for m in resolution.mentions
            if m.entity.kind in ("municipality", "region", "person") and m.score < 100
            and fold(resolution.typed(m)) != fold(m.entity.name)]
    return officials.understood(list(dict.fromkeys(read))) if read else None


def out_of_scope(casebook: Casebook) -> str:
    return officials.out_of_scope(casebook.coverage)


def unknown_place(places: list[str], casebook: Casebook, suggestions: bool) -> str:
    return officials.unknown_place(places, casebook.coverage, suggestions)


def case_fact(case: Case, text: str, attributes: list[str] | None = None, *, quoted: bool = False,
              listed: bool = False) -> Fact:
    """A fact of ``case``'s record (or of any curated record: named by its title where it has no
    place), dated and cited as the record is."""
    return Fact(record_id=case.id, name=getattr(case, "municipality", None) or case.title,
                attributes=attributes or [], text=text, quoted=quoted,
                listed=listed, as_of=case.as_of_label(), dated=case.dated, source=case.source.label())


def _facts_for(case: Case, attributes: list[str], roles: set[str]) -> list[tuple[str, str]]:
    """(attribute, what the case states of it) for each asked attribute the case states."""
    facts = case_facts(case)
    lines = []
    for attribute in attributes:
        if attribute == "compensation" and case.compensation and roles & {p.role for p in case.compensation}:
            pays = [p for p in case.compensation if p.role in roles]
            paid = "。".join(f"{p.role}：{p.as_written}" for p in pays)
            lines.append((attribute, f"{ATTRIBUTE_LABELS[attribute]}：{paid}"))
        elif attribute in facts:
            label = attribute_label(case, attribute)
            lines.append((attribute, facts[attribute] if facts[attribute].startswith(label)
                          else f"{label}：{facts[attribute]}"))
        elif attribute == "department" and "position" in facts:
            lines.append(("position", f"{ATTRIBUTE_LABELS['position']}：{facts['position']}"))
    return lines


def _stated(case: Case, stated: list[tuple[str, str]], *, listed: bool = False) -> Fact:
    return case_fact(case, "／".join(text for _, text in stated), list(dict.fromkeys(a for a, _ in stated)),
                     listed=listed)


def _named(u, kind: str) -> set[str]:
    return {e.name for e in u.resolution.of_kind(kind)}


def _scope_label(regions: set[str], forms: set[str], roles: set[str]) -> str:
    """The cases a question is about, as a heading: 奈良県・業務委託・CIO補佐官."""
    return "・".join([*sorted(regions), *sorted(forms), *sorted(roles)])


def structured(u, casebook: Casebook) -> list[Fact] | None:
    """The asked structured facts (報酬, 任期 …) of the cases the question names, when they state them."""
    attributes = [a for a in u.attributes if a in ATTRIBUTE_LABELS]
    named = casebook.matching(municipality={e.name for e in u.resolution.of_kind("municipality")})
    if not (named and attributes):
        return None
    roles = _named(u, "role")
    return [_stated(case, stated) for case in named if (stated := _facts_for(case, attributes, roles))] or None


def listing(u, casebook: Casebook) -> tuple[list[str], list[Fact]] | None:
    """(the lead, one fact per case) of the cases a question selects by role, form or prefecture
    (業務委託でCIO補佐官を置いた例は？)."""
    if u.resolution.of_kind("person") or "roundtable" in u.kinds or "reference" in u.kinds:
        return None  # what a speaker said, or what the report says of a form (総務省の資料で、任期付職員の任期は？)
    regions, roles, forms = _named(u, "region"), _named(u, "role"), _named(u, "form")
    attributes = [a for a in u.attributes if a in ATTRIBUTE_LABELS]
    asks_for_list = bool(attributes or forms or regions or u.listing)
    if not (roles or forms or regions) or not asks_for_list or u.leftover:
        return None  # a topical question (研修, 守秘義務 ...), not a request for cases
    matching = casebook.matching(role=roles, form=forms, prefecture=regions)
    if not matching:
        return None
    label = _scope_label(regions, forms, roles)
    facts = []
    for case in matching[:MAX_LISTED]:
        stated = _facts_for(case, attributes, roles) if attributes else []
        facts.append(_stated(case, stated, listed=True) if stated
                     else case_fact(case, case.summary or case.title, listed=True))
    return [officials.listed_cases(label, len(matching))], facts


def _defining(u, regions, roles, forms) -> bool:
    """「任期付職員と特別職非常勤職員の違いは？」 asks how two forms (or roles) differ, which the
    reference records explain; it compares no cases unless it names what to compare them on."""
    return not regions and not u.attributes and len(roles) + len(forms) >= 2


_SURVEY = re.compile(r"回答|割合|[%％]|何パー|何割|アンケート|調査|survey", re.IGNORECASE)


def table(u, named: list[Case], casebook: Casebook):
    """(the direct answer's lines, Table, the record ids it covers in the table's order) when the
    question compares or ranks cases."""
    regions, roles, forms = _named(u, "region"), _named(u, "role"), _named(u, "form")
    in_scope = (
        casebook.matching(role=roles, form=forms, prefecture=regions) if roles or forms or regions else casebook.cases
    )
    surveyed = "reference" in u.kinds or bool(_SURVEY.search(u.text))
    if u.ranking and surveyed and not named and u.ranking[2] is None \
            and (u.ranking[0] not in u.attributes or sentence_choice.side(u.text)):
        # 「アンケートで最も多い課題は？」, 「市町村が求める働き方で一番多い回答は？」 ask the survey's
        # largest share, not the cases' days on site
        return None
    if u.ranking and len(named) != 1:
        cases = named or in_scope
        attribute, descending, bound, bound_text = u.ranking
        scope = _scope_label(regions, forms, roles)
        direct, found, order = compare.rank(cases, roles, attribute, descending, bound, bound_text,
                                            f"{scope}の" if scope else "")
        if not found.rows and bound is None and surveyed:
            # no case states it, and the survey is asked (「市町村が求める働き方で一番多い回答は？」 asks
            # its largest share): the sentence that states it answers, not "nothing to rank"
            return None
    elif len(named) >= 2 or (u.comparing and not named and len(in_scope) >= 2 and (roles or forms or regions)
                             and not _defining(u, regions, roles, forms)):
        cases = named or in_scope
        direct, found, order = compare.compare(cases, roles, u.attributes)
    else:
        return None
    # the evidence follows the table: the top rows' records first, then the rest of the scope
    return direct, found, [*order, *(c.id for c in cases if c.id not in order)]
