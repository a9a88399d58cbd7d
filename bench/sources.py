"""`make bench`, the source-documents part: index 1,000 generated source pages (PDF printed by
Chromium and Shift_JIS HTML) beside the real records, and report pages/s, the effect on question
latency, and whether a 200-page PDF being indexed in another process holds questions up.

    python -m bench.sources [--pages 1000] [--questions 500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.run import OUT, ROOT, percentile

ROLES = ("CIO補佐官", "CDO補佐官", "DX推進アドバイザー", "デジタル推進監")
PAGE = ("<h2>{role}の募集（{n}）</h2><p>{place}では、{role}を募集します。報酬は月額{pay}万円（税込み）です。"
        "任期は{term}年で、更新の場合があります。勤務は週{days}日で、テレワークもできます。</p>"
        "<p>応募資格は、情報システムの企画または運用に{years}年以上従事した経験を有する者とします。"
        "選考は書類審査と面接により行います。問い合わせは{place}デジタル推進課まで。</p>")


def _page(rng: random.Random, place: str, n: int) -> str:
    return PAGE.format(role=rng.choice(ROLES), place=place, n=n, pay=rng.randint(18, 80), term=rng.randint(1, 3),
                       days=rng.randint(1, 4), years=rng.randint(3, 10))


def generate(folder: Path, pages: int, rng: random.Random) -> tuple[list[str], Path]:
    """Half the pages as Shift_JIS HTML files (one page each), half as 25-page PDFs; and a separate
    200-page PDF. Returns the places the documents are about and that PDF."""
    from playwright.sync_api import sync_playwright

    from bench.chromium import ARGS, MISSING, find_chromium
    from hosakan.knowledge.places import all_places

    places = [p.name for p in all_places() if not p.is_prefecture]
    rng.shuffle(places)
    folder.mkdir(parents=True, exist_ok=True)
    used = []
    html_pages = pages // 2
    for i in range(html_pages):
        place = places[i]
        used.append(place)
        body = (f"<html><head><meta charset='Shift_JIS'><title>{place} 人材募集</title></head>"
                f"<body>{_page(rng, place, 1)}</body></html>")
        (folder / f"notice-{i:04d}.html").write_bytes(body.encode("cp932"))
    big = folder.parent / "big.pdf"
    chromium = find_chromium()
    if not chromium:
        raise SystemExit(MISSING)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page()

        def pdf(path: Path, place: str, count: int) -> None:
            breaks = "<div style='page-break-after:always'></div>"
            page.set_content(f"<html><head><title>{place} 募集要項</title></head><body>"
                             + breaks.join(_page(rng, place, n) for n in range(1, count + 1)) + "</body></html>")
            page.pdf(path=str(path))

        for j in range((pages - html_pages) // 25):
            place = places[html_pages + j]
            used.append(place)
            pdf(folder / f"guide-{j:03d}.pdf", place, 25)
        pdf(big, places[html_pages + 500], 200)
        browser.close()
    return used, big


def _latencies(bot, questions: list[str]) -> list[float]:
    timings = []
    for question in questions:
        begun = time.perf_counter()
        bot.ask(question)
        timings.append((time.perf_counter() - begun) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1_000)
    parser.add_argument("--questions", type=int, default=500)
    args = parser.parse_args()
    from bench.run import questions_for
    from hosakan.bot.service import LiveIndex
    from hosakan.bot.settings import Settings
    from hosakan.indexer.build import build

    rng = random.Random(5)
    work = OUT / "sources"
    shutil.rmtree(work, ignore_errors=True)
    knowledge = work / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("*.py", "__pycache__", "sources"))
    plain = build(knowledge, work / "plain", full=True, semantic=False)
    places, big = generate(knowledge / "sources", args.pages, rng)
    summary = build(knowledge, work / "index", full=True, semantic=False)
    source_seconds = summary.seconds - plain.seconds
    bot_plain = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=work / "plain", semantic=False))
    bot = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=work / "index", semantic=False))
    asked = questions_for(bot_plain.index.records.values(), random.Random(11), args.questions // 2)
    about_sources = [f"{rng.choice(places)}の{rng.choice(('報酬', '任期', '応募資格', '勤務日数'))}は？"
                     for _ in range(args.questions - len(asked))]
    asked += about_sources
    rng.shuffle(asked)
    for warmed in (bot, bot_plain):
        _latencies(warmed, asked[:20])
    without, with_sources = _latencies(bot_plain, asked), _latencies(bot, asked)
    answered = sum(bot.ask(q).answered for q in about_sources)
    # a 200-page PDF indexed by another process while questions are answered from the live index
    (knowledge / "sources" / big.name).write_bytes(big.read_bytes())
    env = {"HOSAKAN_KNOWLEDGE_DIR": str(knowledge), "HOSAKAN_INDEX_DIR": str(work / "index"),
           "HOSAKAN_SEMANTIC": "false"}
    started = time.perf_counter()
    indexing = subprocess.Popen([str(Path(sys.executable).parent / "hosakan"), "index"], env={**os.environ, **env},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    during = []
    while indexing.poll() is None:
        during += _latencies(bot, asked[:50])
    big_seconds = time.perf_counter() - started
    bot.close()
    bot_plain.close()
    row = {
        "source_pages": args.pages, "source_files": summary.sources, "passages": summary.passages,
        "source_build_s": round(source_seconds, 2), "pages_per_s": round(args.pages / max(source_seconds, 1e-6)),
        "p50_ms_records_only": round(percentile(without, 0.5), 1),
        "p99_ms_records_only": round(percentile(without, 0.99), 1),
        "p50_ms_with_sources": round(percentile(with_sources, 0.5), 1),
        "p99_ms_with_sources": round(percentile(with_sources, 0.99), 1),
        "source_questions_answered": f"{answered}/{len(about_sources)}",
        "big_pdf_index_s": round(big_seconds, 1),
        "p99_ms_while_indexing": round(percentile(during, 0.99), 1) if during else None,
        "questions_while_indexing": len(during),
    }
    console = Console(width=200)
    table = Table(title=f"Source documents ({args.pages:,} pages: half Shift_JIS HTML, half 25-page PDFs) "
                        "beside the real records")
    for key in row:
        table.add_column(key.replace("_", " "), justify="right")
    table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row.values()))
    console.print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sources.json").write_text(json.dumps(row, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
