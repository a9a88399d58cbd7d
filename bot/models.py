"""What the bot returns, platform-free: an Answer with cited hits."""

from __future__ import annotations

from typing import Callable, Literal

from pydantic import BaseModel, Field


class Hit(BaseModel):
    doc_id: str
    record_id: str
    kind: Literal["case", "roundtable", "reference"]
    title: str
    section: str
    speaker: str | None = None
    snippet: str
    marks: list[tuple[int, int]] = Field(default_factory=list, description="matched spans in snippet")
    citation: str
    source: str
    url: str | None = None
    as_of: str
    score: float
    docnum: int = Field(default=-1, exclude=True, description="the passage's number in the index it came from")

    def marked(self, open_: str = "**", close: str = "**", escape: Callable[[str], str] = lambda s: s) -> str:
        """The snippet with matched terms wrapped, every piece escaped for the target markup."""
        out, last = [], 0
        for start, end in self.marks:
            out.append(escape(self.snippet[last:start]))
            out.append(open_ + escape(self.snippet[start:end]) + close)
            last = end
        out.append(escape(self.snippet[last:]))
        return "".join(out)

    def contract(self) -> dict:
        return {
            "doc_id": self.doc_id, "kind": self.kind, "title": self.title, "snippet": self.marked(),
            "citation": self.citation, "url": self.url, "score": round(self.score, 4),
        }


class Answer(BaseModel):
    question: str
    answered: bool
    direct_answer: str | None = None
    understood: str | None = Field(default=None, description="how a mistyped name was read: 「大洲市（入力：大須市）として回答します。」")
    message: str | None = Field(default=None, description="what to tell the user when not answered")
    hits: list[Hit] = Field(default_factory=list)
    more: list[Hit] = Field(default_factory=list, description="the next candidates (他の候補)")
    elapsed_ms: float = 0.0

    def contract(self) -> dict:
        """The JSON object of `hosakan ask --json` (see DESIGN.md)."""
        return {
            "question": self.question, "answered": self.answered, "direct_answer": self.direct_answer,
            "understood": self.understood, "message": self.message,
            "hits": [hit.contract() for hit in self.hits], "elapsed_ms": round(self.elapsed_ms, 2),
        }
