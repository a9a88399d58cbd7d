"""What the bot returns, platform-free: an Answer with its direct answer as typed facts (each
case's or document's, with the record it is from, its date and source), cited hits (and a table
when cases are compared or ranked), and the Topic a conversation carries from one question to the
next. The presenter draws the facts as they are; nothing reads Hosakan's sentences back."""

from __future__ import annotations

from typing import Callable, Literal

from pydantic import BaseModel, Field, model_validator

from hosakan.bot.sentences import officials


def marked(text: str, marks, open_: str = "**", close: str = "**", escape: Callable[[str], str] = lambda s: s) -> str:
    """``text`` with the spans ``marks`` ([start, end) pairs in order) wrapped, every piece escaped."""
    out, last = [], 0
    for start, end in marks:
        out.append(escape(text[last:start]))
        out.append(open_ + escape(text[start:end]) + close)
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


class Hit(BaseModel):
    doc_id: str
    record_id: str
    kind: Literal["case", "roundtable", "reference", "source"]
    title: str
    section: str
    speaker: str | None = None
    snippet: str
    marks: list[tuple[int, int]] = Field(default_factory=list, description="matched spans in snippet")
    citation: str
    source: str
    url: str | None = None
    as_of: str
    dated: bool = Field(default=True, description="as_of gives a date; else it says why there is none")
    score: float
    docnum: int = Field(default=-1, exclude=True, description="the passage's number in the index it came from")

    def marked(self, open_: str = "**", close: str = "**", escape: Callable[[str], str] = lambda s: s) -> str:
        """The snippet with matched terms wrapped, every piece escaped for the target markup."""
        return marked(self.snippet, self.marks, open_, close, escape)

    def contract(self) -> dict:
        return {
            "doc_id": self.doc_id, "kind": self.kind, "title": self.title, "snippet": self.marked(),
            "citation": self.citation, "url": self.url, "score": round(self.score, 4),
            # for clients that mark the terms in their own markup (the web page): the plain
            # snippet, the matched spans in it, and where and when the passage's fact was true
            "text": self.snippet, "marks": [list(span) for span in self.marks], "section": self.section,
            "speaker": self.speaker, "source": self.source, "as_of": self.as_of, "dated": self.dated,
        }

    @classmethod
    def from_contract(cls, data: dict) -> "Hit":
        """A hit back from its contract (a kept answer's), for showing it again."""
        return cls(doc_id=data["doc_id"], record_id=str(data["doc_id"]).split("#")[0], kind=data["kind"],
                   title=data["title"], section=data.get("section") or "", speaker=data.get("speaker"),
                   snippet=data.get("text") or "", marks=[tuple(m) for m in data.get("marks") or []],
                   citation=data.get("citation") or "", source=data.get("source") or "", url=data.get("url"),
                   as_of=data.get("as_of") or "", dated=data.get("dated", True), score=data.get("score") or 0.0)


class Table(BaseModel):
    """Cases side by side (a comparison) or in order (a ranking), every row cited."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    citations: list[str] = Field(
        description="one per row: where the row's facts come from (when they were true: its 時点 column)"
    )
    basis: str | None = Field(default=None, description="how the figures were normalised")
    undated: list[int] = Field(default_factory=list,
                               description="the rows (from 0) whose 時点 cell says why there is no date")

    def contract(self) -> dict:
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "citations": self.citations,
                "basis": self.basis, "undated": self.undated}


class Fact(BaseModel):
    """One case or document of a direct answer, as the answerer took it from its record: what it
    says, about whom, when it was true and where it is from. The presenter draws it as it stands;
    ``sentence`` is the line of ``Answer.direct_answer`` it makes."""

    record_id: str = Field(description="the case, round-table, reference or source document it is from")
    name: str = Field(description="who or where it is about, as the answer names it: 大阪府, a speaker, a title")
    attributes: list[str] = Field(default_factory=list,
                                  description="the structured facts it states (compensation, term …); none quoted")
    text: str
    quoted: bool = Field(default=False, description="a sentence of the record, quoted as it stands")
    listed: bool = Field(default=False, description="one item of a list of cases (・大阪府：…)")
    as_of: str = Field(description="when it was true: the record's as_of label")
    dated: bool = Field(default=True, description="as_of gives a date; else it says why there is none")
    source: str | None = Field(default=None, description="where it is from, with the page or article of the passage")

    def sentence(self) -> str:
        if self.listed:
            return officials.listed_case(self.name, self.text, self.as_of)
        if self.quoted:
            return officials.quoted(self.name, self.text, self.as_of)
        return officials.case_line(self.name, self.text, self.as_of)

    def contract(self) -> dict:
        return self.model_dump()


def said(lead: list[str], facts: list[Fact]) -> str:
    """The direct answer's text: its lead lines, then one line per fact."""
    return "\n".join([*lead, *(fact.sentence() for fact in facts)])


class Topic(BaseModel):
    """What a question was about, so that a follow-up can leave it unsaid."""

    places: list[str] = Field(default_factory=list, description="municipalities and prefectures")
    roles: list[str] = Field(default_factory=list)
    forms: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list, description="the attribute words asked (任期, 勤務日数)")
    sides: list[str] = Field(default_factory=list,
                             description="the kind of body asked about without naming one (都道府県, 市町村)")
    terms: list[str] = Field(default_factory=list,
                             description="the other words asked, as the dictionary spells them (財源, 見つかる)")
    record: str = Field(default="", description="the report table or round-table the last answer quoted")
    asks: str = Field(default="", description="the kind of answer asked (person of 誰, amount of いくら): carried "
                                              "to a follow-up that only names another place, role or side")
    said: list[str] = Field(default_factory=list,
                            description="the words of the sentence the last answer quoted from a round-table "
                                        "(見直し, 大変): what a follow-up pointing at it is about (言ったの誰？)")
    most: bool = Field(default=False, description="the most was asked (一番多い): carried with ``asks`` within "
                                                  "the report table or round-table in view")

    def __bool__(self) -> bool:
        return bool(self.places or self.roles or self.forms or self.words or self.sides or self.terms or self.said)


Refusal = Literal[
    "not_stated",  # the named case's record (or the place's documents) does not state the asked fact
    "missing_role",  # the named place has a case, but not of the asked role
    "no_case",  # a place the knowledge base mentions but has no case of
    "unknown_place",  # a place it does not know at all
    "no_match",  # nothing in the knowledge base answers (out of scope, or the policy declined)
    "meaningless",  # only particles or symbols
    "bad_question",  # too long, or otherwise not a question
    "no_cases_selected",  # a condition over cases that no case meets
]


class Answer(BaseModel):
    question: str
    answered: bool
    direct_answer: str | None = Field(default=None, description="the direct answer as text: lead and facts said")
    lead: list[str] = Field(default_factory=list, description="the direct answer's lines that are no one case's")
    facts: list[Fact] = Field(default_factory=list, description="the direct answer's cases and documents")
    understood: str | None = Field(
        default=None, description="how a mistyped name was read: 「大洲市（入力：大須市）として回答します。」"
    )
    message: str | None = Field(default=None, description="what to tell the user when not answered")
    refusal: Refusal | None = Field(default=None, description="why it was not answered, when it was not")
    unmatched: list[str] = Field(default_factory=list,
                                 description="the asked words the quoted fact does not hold: a neighbouring "
                                             "fact, said so in the lead and counted as unanswered for gaps")
    context: str | None = Field(
        default=None, description="what the answer took from the conversation: 印西市・CIO補佐官"
    )
    table: Table | None = None
    hits: list[Hit] = Field(default_factory=list)
    more: list[Hit] = Field(default_factory=list, description="the next page of candidates (他の候補)")
    page: int = Field(default=0, description="which page of candidates ``hits`` is (0: the answer itself)")
    topic: Topic = Field(default_factory=Topic, description="what the question was about, with the context it took")
    carried: Topic | None = Field(default=None, description="what it took from the conversation (a follow-up)")
    elapsed_ms: float = 0.0
    features: list[float] | None = Field(default=None, exclude=True,
                                         description="what the answer policy weighed "
                                                     "(bot/answering/policy.py), for fitting it")

    @model_validator(mode="after")
    def _said(self) -> "Answer":
        if self.direct_answer is None and (self.lead or self.facts):
            self.direct_answer = said(self.lead, self.facts)
        elif self.direct_answer and not (self.lead or self.facts):  # given as text alone: its lines lead
            self.lead = self.direct_answer.splitlines()
        return self

    def contract(self) -> dict:
        """The JSON object of `hosakan ask --json` (see DESIGN.md)."""
        return {
            "question": self.question, "answered": self.answered, "direct_answer": self.direct_answer,
            "understood": self.understood, "message": self.message, "refusal": self.refusal,
            "unmatched": self.unmatched,
            "context": self.context,
            "table": self.table.contract() if self.table else None,
            "hits": [hit.contract() for hit in self.hits], "elapsed_ms": round(self.elapsed_ms, 2),
            "facts": [fact.contract() for fact in self.facts],
        }

    @classmethod
    def from_contract(cls, data: dict, *, more: bool = False, page: int = 0) -> "Answer":
        """An answer back from its contract (a kept answer's); ``more``: it had a next page. One kept
        before answers kept their facts has none: its direct answer's lines are its lead, as they stand."""
        table = data.get("table")
        direct = data.get("direct_answer")
        facts = [Fact.model_validate(fact) for fact in data.get("facts") or []]
        tail = said([], facts)
        if facts and direct == tail:
            lead = []
        elif facts and direct and direct.endswith("\n" + tail):  # said() put the lead lines first
            lead = direct[: -len(tail) - 1].split("\n")
        else:  # no facts, or not the text these facts make: the text as it stands
            facts, lead = [], direct.splitlines() if direct else []
        return cls(question=data.get("question") or "", answered=bool(data.get("answered")),
                   direct_answer=direct, lead=lead, facts=facts, understood=data.get("understood"),
                   message=data.get("message"), refusal=data.get("refusal"),
                   unmatched=data.get("unmatched") or [], context=data.get("context"),
                   table=Table.model_validate(table) if table else None,
                   hits=[Hit.from_contract(h) for h in data.get("hits") or []], page=page,
                   more=[Hit.from_contract(h) for h in (data.get("hits") or [])[:1]] if more else [])
