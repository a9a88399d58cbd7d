"""What to curate next: usage over a period, unanswered questions grouped by similarity, the
worst-rated answers, which records are cited and which never, and records due for review."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz

from hosakan.bot.storage.history import History, in_jst, now
from hosakan.indexer.normalize import fold

SIMILAR = 80  # rapidfuzz token_set_ratio at which two unanswered questions count as one


@dataclass
class Group:
    question: str
    count: int
    examples: list[str] = field(default_factory=list)


def group_similar(questions: list[str], threshold: int = SIMILAR) -> list[Group]:
    """Questions that say nearly the same thing, most frequent first."""
    groups: list[tuple[str, Group]] = []
    for question in questions:
        key = fold(question)
        for seed, group in groups:
            if fuzz.token_set_ratio(key, seed) >= threshold or fuzz.ratio(key, seed) >= threshold:
                group.count += 1
                if question not in group.examples and len(group.examples) < 3:
                    group.examples.append(question)
                break
        else:
            groups.append((key, Group(question, 1, [question])))
    return sorted((g for _, g in groups), key=lambda g: -g.count)


@dataclass
class Report:
    since: datetime
    until: datetime
    asked: int
    answered: int
    unanswered: list[Group]
    worst_rated: list[dict]
    most_cited: list[tuple[str, int]]
    never_cited: list[str]
    stale: list[dict]
    escalated: list[dict] = field(default_factory=list)
    changed_sources: list[dict] = field(default_factory=list)   # a record's source document changed after its review
    uncurated_sources: list[dict] = field(default_factory=list)  # source documents no record cites yet

    @property
    def answered_share(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    def as_dict(self) -> dict:
        return {
            "since": in_jst(self.since).isoformat(timespec="seconds"),
            "until": in_jst(self.until).isoformat(timespec="seconds"), "asked": self.asked,
            "answered": self.answered, "answered_share": round(self.answered_share, 3),
            "unanswered": [{"question": g.question, "count": g.count, "examples": g.examples} for g in self.unanswered],
            "worst_rated": self.worst_rated,
            "most_cited": [{"record": r, "citations": n} for r, n in self.most_cited],
            "never_cited": self.never_cited, "stale": self.stale, "escalated": self.escalated,
            "changed_sources": self.changed_sources, "uncurated_sources": self.uncurated_sources,
        }


REASONS_SHOWN = 3  # the newest reasons given for an answer's 👎


def _record_of(hit_id: str) -> str:
    return hit_id.split("#", 1)[0]


def build_report(history: History, records: dict, days: int = 30, stale_months: int = 12,
                 top: int = 10, today: date | None = None, sources=()) -> Report:
    until = now()
    since = until - timedelta(days=days)
    asked = history.questions(since, until)
    unanswered = [q.question for q in asked if not q.answered and q.question]
    cited = Counter(_record_of(hit) for q in asked if q.answered for hit in q.hit_ids)
    votes: dict[str, Counter] = {}
    reasons: dict[str, list[str]] = {}
    for vote in history.feedback(since, until):
        key = vote.question or "（保存期間を過ぎた質問）"
        votes.setdefault(key, Counter())["up" if vote.helpful else "down"] += 1
        if vote.reason and vote.reason not in reasons.setdefault(key, []):
            reasons[key].insert(0, vote.reason)  # the newest first
    worst = sorted(({"question": q, "down": c["down"], "up": c["up"], "reasons": reasons.get(q, [])[:REASONS_SHOWN]}
                    for q, c in votes.items() if c["down"]), key=lambda row: (-row["down"], row["up"]))[:top]
    today = today or date.today()
    limit = today - timedelta(days=round(stale_months * 30.44))
    stale = sorted(({"record": r.id, "title": r.title, "reviewed": r.reviewed.isoformat()}
                    for r in records.values() if r.reviewed < limit), key=lambda row: row["reviewed"])
    # 担当者に聞く: Slack and Teams post these to the maintainers; the web's land only here
    escalated = [{"question": e.question or "（保存期間を過ぎた質問）", "platform": e.platform, "sent_to": e.sent_to,
                  "at": in_jst(e.at).isoformat(timespec="minutes"), "hits": e.hit_ids}
                 for e in reversed(history.escalations(since, until))]
    changed, uncurated = _sources_to_review(records, sources)
    return Report(
        since=since, until=until, asked=len(asked), answered=sum(q.answered for q in asked),
        unanswered=group_similar(unanswered)[:top], worst_rated=worst,
        most_cited=cited.most_common(top), never_cited=sorted(set(records) - set(cited)), stale=stale,
        escalated=escalated, changed_sources=changed, uncurated_sources=uncurated,
    )


def _sources_to_review(records: dict, sources) -> tuple[list[dict], list[dict]]:
    """(records whose source document changed after their review, source documents no record
    cites): what to curate next."""
    changed, uncurated = [], []
    for source in sources:
        citing = [r for r in records.values() if source.cited_by(r)]
        if not citing:
            uncurated.append({"source": source.path, "title": source.title, "municipality": source.municipality})
        for record in citing:
            if source.seen and record.reviewed.isoformat() < source.seen:
                changed.append({"record": record.id, "title": record.title, "reviewed": record.reviewed.isoformat(),
                                "source": source.path, "changed": source.seen})
    return changed, uncurated
