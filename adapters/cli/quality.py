"""What to curate next and how good the answers are: `hosakan report` and `eval`."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
import yaml
from rich.table import Table
from rich.text import Text

from hosakan.adapters.cli.common import app, command_settings, err, open_live, out
from hosakan.bot.operations.evaluation import DEV_QUESTIONS, HALVES, evaluate, load_questions
from hosakan.bot.sentences import maintainers
from hosakan.bot.storage.history import History, in_jst
from hosakan.indexer.store import current_generation
from hosakan.knowledge.loader import load

HalfName = Enum("HalfName", {h: h for h in HALVES}, type=str)


@app.command(help="利用状況の報告：答えられなかった質問、👎の多い回答、担当者への質問、引用された・されなかった記録、"
                  "見直し時期の記録。時刻は日本時間。")
def report(
    days: Annotated[int, typer.Option(help="集計する期間：直近の日数。")] = 30,
    output_format: Annotated[str, typer.Option("--format", help="table（表）・json・csv")] = "table",
    stale_months: Annotated[Optional[int], typer.Option(help="この月数以上見直していない記録を示します。")] = None,
    purge: Annotated[bool, typer.Option(help="先に、保存期間を過ぎた質問の文を消します。")] = True,
) -> None:
    import csv

    from hosakan.bot.operations.report import build_report
    from hosakan.indexer.store import load_snapshot, load_sources

    settings = command_settings()
    history = History.from_settings(settings)
    if purge:
        history.purge()
    generation = current_generation(settings.index_dir)
    records = {r.id: r for r in load_snapshot(generation)[1]} if generation else {
        r.id: r for r in load(settings.knowledge_dir).records}
    result = build_report(history, records, days=days, stale_months=stale_months or settings.stale_review_months,
                          sources=load_sources(generation))
    if output_format == "json":
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["section", "item", "count", "detail"])
        writer.writerow(["summary", "asked", result.asked, ""])
        writer.writerow(["summary", "answered_share", f"{result.answered_share:.3f}", ""])
        for group in result.unanswered:
            writer.writerow(["unanswered", group.question, group.count, " / ".join(group.examples)])
        for row in result.worst_rated:
            writer.writerow(["worst_rated", row["question"], row["down"],
                             " / ".join([f"up={row['up']}", *row["reasons"]])])
        for record, count in result.most_cited:
            writer.writerow(["most_cited", record, count, ""])
        for record in result.never_cited:
            writer.writerow(["never_cited", record, 0, ""])
        for row in result.stale:
            writer.writerow(["stale", row["record"], "", row["reviewed"]])
        for row in result.escalated:
            writer.writerow(["escalated", row["question"], "", f"{row['at']} {row['platform']} {row['sent_to']}"])
        for row in result.changed_sources:
            writer.writerow(["changed_source", row["record"], "", f"{row['source']} {row['changed']}"])
        for row in result.uncurated_sources:
            writer.writerow(["uncurated_source", row["source"], "", row["title"]])
        return
    if output_format != "table":
        err.print(Text(maintainers.BAD_FORMAT, style="red"))
        raise typer.Exit(2)
    until = in_jst(result.until).strftime("%Y-%m-%d %H:%M") + f"（{maintainers.JST}）"
    out.print(Text(maintainers.report_heading(days, until, result.asked, result.answered_share), style="bold"))
    section = maintainers.REPORT_SECTIONS
    sections = [
        (*section["unanswered"], [(g.question, str(g.count), " / ".join(g.examples[1:])) for g in result.unanswered]),
        (*section["worst_rated"], [(r["question"], str(r["down"]), str(r["up"]), " / ".join(r["reasons"]) or "—")
                                   for r in result.worst_rated]),
        (*section["escalated"], [(r["question"], r["at"].replace("T", " "), r["platform"], r["sent_to"])
                                 for r in result.escalated]),
        (*section["most_cited"], [(r, str(n)) for r, n in result.most_cited]),
        (*section["never_cited"], [(r,) for r in result.never_cited]),
        (*maintainers.stale_section(stale_months or settings.stale_review_months),
         [(r["title"], r["reviewed"], r["record"]) for r in result.stale]),
        (*section["changed_sources"], [(r["title"], r["reviewed"], r["changed"], r["source"])
                                       for r in result.changed_sources]),
        (*section["uncurated_sources"], [(r["title"], r["municipality"] or "—", r["source"])
                                         for r in result.uncurated_sources]),
    ]
    for title, columns, rows in sections:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        if not rows:
            table.add_row(*(["—"] * len(columns)))
        out.print(table)


@app.command(name="eval", help="検索の質を測ります：種類ごとの Recall@1・Recall@3・MRR、回答を控えるべき質問の"
                               "正解率、直接の回答の正解率、誤った「記載なし」と別の事実で答えた数。")
def evaluate_command(
    questions: Annotated[Path, typer.Option(
        help="質問セット（YAML、またはブラインドセットの JSON Lines）。省略時は同梱の記録についての開発用セット。"
    )] = DEV_QUESTIONS,
    half: Annotated[Optional[HalfName], typer.Option(
        help="セットの半分だけを評価します（質問の ID のハッシュで分けます）：dev は失敗を読んで直す側、"
             "held は読まない側。")] = None,
    stress: Annotated[bool, typer.Option(
        "--stress", help="代わりに、記録から生成したストレスセット（すべての事実をすべての書き方で、"
                         "よく似た別の質問も）で評価します。")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="結果を JSON で出します。")] = False,
    min_recall3: Annotated[Optional[float], typer.Option(help="全体の Recall@3 がこれを下回れば終了コード 1。")] = None,
    min_direct: Annotated[Optional[float], typer.Option(
        help="全体の直接の回答の正解率がこれを下回れば終了コード 1。")] = None,
    show_failures: Annotated[bool, typer.Option("--failures", help="3位までに正解がなかった質問を示します。")] = False,
) -> None:
    settings = command_settings()
    bot = open_live(settings)
    if stress:
        from hosakan.bot.operations.stress import generate

        asked, name = generate(list(bot.index.records.values()), bot.index.glossary), maintainers.STRESS_SET
    else:
        try:
            asked = load_questions(questions, half.value if half else None)
            name = questions.name if half is None else maintainers.eval_title_half(questions.name, half.value)
        except (OSError, ValueError, yaml.YAMLError) as error:
            err.print(Text(maintainers.unreadable_questions(str(questions), str(error).splitlines()[0])))
            raise typer.Exit(2) from None
    report = evaluate(bot.retriever, asked)
    rows = {**report.by_kind(), "overall": report.overall()}
    # this run against the previous run of the same set, kept in the data directory
    from hosakan.bot.operations import eval_history

    stored = eval_history.store_path(settings.home, None if stress else questions, half.value if half else None)
    run = eval_history.snapshot(report, rows, name)
    try:
        compared = eval_history.compare(eval_history.load(stored), run)
    except ValueError:
        err.print(Text(maintainers.eval_previous_unreadable(str(stored))), soft_wrap=True)
        compared = None
    try:
        eval_history.save(stored, run)
    except OSError as error:
        err.print(Text(maintainers.eval_not_saved(str(stored), str(error))), soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps({**rows, "compared": compared}, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=name if half else maintainers.eval_title(name))
        for number, column in enumerate(maintainers.EVAL_COLUMNS):
            table.add_column(column, justify="right" if number else "left")
        for kind, row in rows.items():
            table.add_row(kind, str(row["questions"]), f"{row['recall@1']:.3f}", f"{row['recall@3']:.3f}",
                          "-" if row["mrr"] is None else f"{row['mrr']:.3f}",
                          "-" if row["abstain_accuracy"] is None else f"{row['abstain_accuracy']:.3f}",
                          "-" if row["direct_accuracy"] is None else f"{row['direct_accuracy']:.3f}",
                          str(row["false_not_stated"]), str(row["wrong_fact"]),
                          style="bold" if kind == "overall" else None)
        out.print(table)
        for line in eval_history.describe(compared):
            out.print(Text(line), soft_wrap=True)
    if show_failures:
        for outcome in report.failures():
            if outcome.false_not_stated:
                err.print(Text(maintainers.eval_wrong_refusal(outcome.question.kind, outcome.question.q,
                                                           outcome.answer.message)))
            elif outcome.direct_correct is False and outcome.recalled(3):
                err.print(Text(maintainers.eval_wrong_direct(outcome.question.kind, outcome.question.q,
                                                          outcome.answer.direct_answer)))
            else:
                err.print(Text(maintainers.eval_missed(outcome.question.kind, outcome.question.q,
                                                    outcome.answer.answered)))
    short = report.below(min_recall3, min_direct)
    for figure, measured, minimum in short:
        err.print(Text(maintainers.eval_below(figure, measured, minimum), style="red"))
    if short:
        raise typer.Exit(1)
