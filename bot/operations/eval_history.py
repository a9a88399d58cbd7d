"""Keep each `hosakan eval` run in the data directory, and say what changed since the previous run
of the same question set: the figures per kind and overall, and the questions that got worse or
better.

A run is stored as ``<data dir>/eval/<set>.json`` (owner-only, replaced atomically): the figures
the table showed and, per question, its text, kind, follow-up context and result (the rank of the
first correct hit, Recall@1/@3, whether the direct answer was right). The question sets are the
maintainers' own files, so their text is kept; an official's question never is.

Only questions present in both runs are compared, and the figures of both runs are recomputed over
those questions alone, so that adding or removing questions (or changing what a question expects,
which makes it another question) never shows up as a change in quality."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hosakan.bot.operations.evaluation import Outcome, Report
from hosakan.bot.operations.home import private_dir
from hosakan.bot.sentences import maintainers

VERSION = 1
FOLDER = "eval"
METRICS = ("recall@1", "recall@3", "mrr", "direct_accuracy")  # the figures compared, in this order
_JST = timezone(timedelta(hours=9))


def store_path(root: Path, questions: Path | None, half: str | None = None) -> Path:
    """Where the runs of a set are kept: ``<root>/eval/<file stem>-<hash of its full path>.json``
    (``…-dev.json`` for one half of it); the generated stress set (``questions`` None):
    ``<root>/eval/stress.json``."""
    if questions is None:
        return Path(root) / FOLDER / "stress.json"
    resolved = str(Path(questions).expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(questions).stem)[:40] or "questions"
    return Path(root) / FOLDER / f"{stem}-{digest}{'-' + half if half else ''}.json"


def _identity(outcome: Outcome) -> str:
    """A question's identity across runs: a hash of everything it states (text, kind, follow-up
    context, what a correct answer holds), so that a question whose expectation changed is another
    question."""
    definition = json.dumps(outcome.question.model_dump(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(definition.encode("utf-8")).hexdigest()[:16]


def _result(outcome: Outcome) -> dict:
    question = outcome.question
    return {
        "q": question.q,
        "kind": question.kind,
        **({"after": question.after} if question.after else {}),
        "abstain": question.abstain,
        "ranked": not question.abstain and bool(question.records),  # has a rank to compare
        "rank": outcome.rank,
        "r1": outcome.recalled(1),
        "r3": outcome.recalled(3),
        "direct": outcome.direct_correct,
    }


def snapshot(report: Report, figures: dict[str, dict], name: str, now: datetime | None = None) -> dict:
    """What is stored of a run: its figures (as the table shows them) and one result per question,
    keyed by the question's identity (a second identical question gets ``#2``)."""
    results: dict[str, dict] = {}
    for outcome in report.outcomes:
        key = base = _identity(outcome)
        number = 1
        while key in results:
            number += 1
            key = f"{base}#{number}"
        results[key] = _result(outcome)
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return {"version": VERSION, "set": name, "at": moment.isoformat(timespec="seconds"),
            "figures": figures, "questions": results}


def load(path: Path) -> dict | None:
    """The stored run, or None when there is none; ValueError when the file cannot be read as one."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ValueError(str(error)) from error
    try:
        run = json.loads(text)
    except ValueError as error:
        raise ValueError(str(error)) from error
    if not isinstance(run, dict) or run.get("version") != VERSION or not isinstance(run.get("questions"), dict):
        raise ValueError("not a stored evaluation run")
    return run


def save(path: Path, run: dict) -> None:
    """Write ``run`` at ``path`` atomically (a temporary file beside it, then a rename), owner-only:
    the file 0600, the folders it creates 0700."""
    path = Path(path)
    if not path.parent.parent.exists():
        private_dir(path.parent.parent)  # the data directory itself, when this is its first file
    private_dir(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(run, out, ensure_ascii=False, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def figures_of(results: list[dict]) -> dict[str, dict]:
    """Recall@1, Recall@3, MRR and direct-answer accuracy per kind and overall, computed from stored
    results the way bot/operations/evaluation.py's Report computes them from outcomes."""
    def row(items: list[dict]) -> dict:
        answerable = [r for r in items if not r["abstain"]]
        direct = [r["direct"] for r in items if r["direct"] is not None]
        return {
            "questions": len(items),
            "recall@1": sum(r["r1"] for r in items) / len(items) if items else 0.0,
            "recall@3": sum(r["r3"] for r in items) / len(items) if items else 0.0,
            "mrr": sum(1 / r["rank"] for r in answerable if r["rank"]) / len(answerable) if answerable else None,
            "direct_accuracy": sum(direct) / len(direct) if direct else None,
        }

    groups: dict[str, list[dict]] = defaultdict(list)
    for result in results:
        groups[result["kind"]].append(result)
    return {**{kind: row(items) for kind, items in groups.items()}, "overall": row(results)}


def _direction(before: dict, after: dict) -> int:
    """-1 when the question got worse (left the top 3, its rank dropped, it lost Recall@1, or its
    right direct answer went wrong), +1 when it got better the same ways round, 0 otherwise; worse
    wins when both happened."""
    def worse(a: dict, b: dict) -> bool:
        return ((a["r3"] and not b["r3"]) or (a["r1"] and not b["r1"])
                or (a["rank"] is not None and (b["rank"] is None or b["rank"] > a["rank"]))
                or (a["direct"] is True and b["direct"] is False))

    if worse(before, after):
        return -1
    return 1 if worse(after, before) else 0


def _change(before: dict, after: dict) -> dict:
    keep = ("ranked", "rank", "r1", "r3", "direct")
    return {"q": after["q"], "kind": after["kind"], **({"after": after["after"]} if after.get("after") else {}),
            "before": {k: before[k] for k in keep}, "now": {k: after[k] for k in keep}}


def compare(previous: dict | None, current: dict) -> dict | None:
    """What changed between two stored runs of one set (None when there is no previous run): the
    questions added and removed, the figures changed (recomputed over the questions both runs
    asked), and the questions that got worse or better, before and now."""
    if previous is None:
        return None
    before, now = previous["questions"], current["questions"]
    common = [key for key in now if key in before]
    figures_before = figures_of([before[key] for key in common])
    figures_now = figures_of([now[key] for key in common])
    changed = []
    for kind in figures_now:  # the kinds in the order of this run, overall last
        for metric in METRICS:
            old, new = figures_before[kind][metric], figures_now[kind][metric]
            if old is not None and new is not None and abs(new - old) > 1e-9:
                changed.append({"kind": kind, "metric": metric, "before": old, "now": new, "change": new - old})
    worse, better = [], []
    for key in common:
        direction = _direction(before[key], now[key])
        if direction:
            (worse if direction < 0 else better).append(_change(before[key], now[key]))
    return {
        "previous_at": previous.get("at"),
        "questions": len(common),
        "added": sum(1 for key in now if key not in before),
        "removed": sum(1 for key in before if key not in now),
        "figures": changed,
        "worse": worse,
        "better": better,
        "unchanged": not (changed or worse or better),
    }


def _when(at: str | None) -> str:
    try:
        return datetime.fromisoformat(at).astimezone(_JST).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return "?"


def _state(result: dict) -> str:
    if result["ranked"]:
        return maintainers.eval_rank(result["rank"])
    return maintainers.eval_right(result["r3"])


def _question_line(change: dict) -> str:
    before, now = change["before"], change["now"]
    parts = []
    if _state(before) != _state(now):
        parts.append(maintainers.eval_state_change(_state(before), _state(now)))
    if before["direct"] is not None and now["direct"] is not None and before["direct"] != now["direct"]:
        parts.append(maintainers.eval_direct_change(before["direct"], now["direct"]))
    if not parts:  # nothing that reads differently (say, a direct answer no longer expected)
        parts.append(maintainers.eval_state_change(_state(before), _state(now)))
    return maintainers.eval_question_change(change["kind"], change["q"], change.get("after", []), parts)


def describe(compared: dict | None) -> list[str]:
    """The comparison as the lines printed under the table (Japanese)."""
    if compared is None:
        return [maintainers.EVAL_FIRST_RUN]
    when = _when(compared["previous_at"])
    if compared["unchanged"]:
        return [maintainers.eval_nothing_changed(when, compared["questions"], compared["added"], compared["removed"])]
    lines = [maintainers.eval_compared_heading(when, compared["questions"], compared["added"], compared["removed"])]
    lines += [maintainers.eval_figure_change(f["kind"], f["metric"], f["before"], f["now"])
              for f in compared["figures"]]
    for title, changes in ((maintainers.eval_worse_heading, compared["worse"]),
                           (maintainers.eval_better_heading, compared["better"])):
        if changes:
            lines.append(title(len(changes)))
            lines += [_question_line(change) for change in changes]
    return lines
