"""`make bench`: index build time and answer latency on the real records and generated corpora.

Each corpus runs in its own process (so peak memory is its own): generate the records, build the
index, open it once, then time at least 1,000 questions in the styles of the eval set, and answer the
same questions with the bm25s peer baseline over the same passages and Sudachi tokens; then the same
questions again with semantic search (see _with_vectors). Prints one table and writes bench/out/results.json.

    python -m bench.run                      # real records + 1,000 / 10,000 / 100,000 passages
    python -m bench.run --sizes 10000        # real records + one generated size
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.peer import PEERS, Peer, passage_tokens, peer_rank
from hosakan.bot.answering.search import CANDIDATES

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = 1_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def questions_for(records, rng: random.Random, count: int) -> list[str]:
    """Questions in the eval set's styles about the corpus's own municipalities and roles."""
    from hosakan.bot.operations.evaluation import DEV_QUESTIONS, load_questions
    from hosakan.knowledge.schema import Case

    cases = [r for r in records if isinstance(r, Case)]
    asked = [q.q for q in load_questions(DEV_QUESTIONS)]
    templates = [
        "{m}の{role}の報酬は？", "{m}の{role}の任期は？", "{m}の{role}の勤務形態", "{reading}の{role}",
        "{romaji} {role} salary", "{typo}の{role}の業務内容は？", "{role}を{form}で置いた例は？",
        "{m}の{role}の選考方法", "{form}の{role}の報酬", "{m}でDX推進のために何をしている？",
    ]
    off_topic = ["今日の天気は？", "横浜市のCIO補佐官の報酬は？", "おすすめのレストラン", "パスワードを忘れました"]
    while len(asked) < count:
        case = rng.choice(cases)
        name = case.municipality
        typo = name[0] + "之" + name[2:] if len(name) > 2 else name
        style = rng.random()
        if style < 0.05:
            asked.append(rng.choice(off_topic))
            continue
        asked.append(rng.choice(templates).format(
            m=name, role=rng.choice(case.roles), reading=case.reading, romaji=case.romaji or name,
            typo=typo, form=(case.appointment_forms or ["業務委託"])[0],
        ))
    rng.shuffle(asked)
    return asked[:count]


@contextmanager
def _one_record_changed(knowledge: Path, index_dir: Path):
    """Append a section to the first case, re-index incrementally, and yield the build summary;
    afterwards put the record back and re-index again."""
    from hosakan.indexer.build import build

    record = sorted((knowledge / "cases").glob("*.md"))[0]
    original = record.read_text(encoding="utf-8")
    record.write_text(original + "\n## 追記\nベンチマークのための一文。\n", encoding="utf-8")
    try:
        summary = build(knowledge, index_dir, semantic=False)
        assert summary.mode == "incremental", summary.mode
        yield summary
    finally:
        record.write_text(original, encoding="utf-8")
        build(knowledge, index_dir, semantic=False)


def _reload(bot, knowledge: Path, index_dir: Path, question: str) -> dict:
    """Re-index one changed record while the bot serves: seconds from publishing to the bot
    answering from the new index (its watcher opens and warms it), and the next question's ms."""
    from hosakan.indexer.store import current_generation

    with _one_record_changed(knowledge, index_dir) as summary:
        published = time.perf_counter()
        while bot.index.path != summary.generation:
            time.sleep(0.005)
        swapped = time.perf_counter() - published
        begun = time.perf_counter()
        bot.ask(question)
        first = (time.perf_counter() - begun) * 1000
    while bot.index.path != current_generation(index_dir):  # the record put back: served before going on
        time.sleep(0.005)
    return {"reload_s": round(swapped, 2), "first_after_reload_ms": round(first, 1)}


def _with_vectors(bot, asked: list[str], lexical: list[float]) -> dict:
    """The same questions with semantic search, the passages embedded as a build of this size embeds
    them: by their words (indexer/word_vectors.py), every word distilled from the model afresh (no
    kept table), timed as passages/s; the model's own rate is measured on 64 of this corpus's
    passages. Below word_vectors.USE_FROM passages a build would embed with the model (at its rate
    100,000 passages take hours), so the latency is that of word vectors at every size."""
    import shutil

    from hosakan.bot.service import LiveIndex
    from hosakan.indexer import embeddings, word_vectors
    from hosakan.indexer.passages import passages_of

    embedder = embeddings.load_embedder()
    if embedder is None:
        return {}
    sample = [embeddings.passage_text(p) for record in list(bot.index.records.values())[:64]
              for p in passages_of(record, bot.index.gazetteer)][:64]  # what a build embeds
    begun = time.perf_counter()
    embedder.passages([f"{i} {text}" for i, text in enumerate(sample)])  # new texts: nothing remembered
    model_rate = len(sample) / (time.perf_counter() - begun)
    generation, index_dir = bot.index.path, bot.settings.index_dir
    shutil.rmtree(index_dir / word_vectors.TABLE, ignore_errors=True)
    begun = time.perf_counter()
    distilled = word_vectors.write(generation, index_dir, embedder)
    seconds = time.perf_counter() - begun
    rate = bot.index.index.doc_count_all() / seconds
    settings = bot.settings
    bot.close()
    bot = LiveIndex(settings)
    bot.ask(asked[0])
    latencies = []
    for question in asked:
        begun = time.perf_counter()
        bot.ask(question)
        latencies.append((time.perf_counter() - begun) * 1000)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bot.close()
    word_vectors.remove(generation)  # the next run's lexical figures are lexical
    return {"embed_passages_per_s": round(rate, 1), "embed_words": distilled, "embed_seconds": round(seconds, 1),
            "model_passages_per_s": round(model_rate, 1),
            "semantic_p50_ms": round(percentile(latencies, 0.50), 1),
            "semantic_p99_ms": round(percentile(latencies, 0.99), 1), "semantic_peak_rss_mb": round(peak_rss, 1),
            "lexical_p99_ms": round(percentile(lexical, 0.99), 1)}


def _ranking_only(bot, asked: list[str]) -> list[float]:
    """ms of Hosakan's ranking step alone for each question that has clauses (BM25F over every
    field's clauses, the question already understood, the best CANDIDATES out): timed like the
    peers' ranking step (Peer.rank, their tokens already looked up)."""
    finder, timings = bot.retriever.finder, []
    for question in asked:
        clauses = finder.build_query(bot.retriever.words.understand(question))
        if clauses:
            begun = time.perf_counter()
            finder.ranker.top(clauses, CANDIDATES)
            timings.append((time.perf_counter() - begun) * 1000)
    return timings


def _serve_memory(knowledge: Path, index_dir: Path, asked: list[str], workers: int = 2) -> dict:
    """Memory of a real ``hosakan serve`` with ``workers`` worker processes on this corpus's index,
    idle after 50 questions over HTTP: RSS and PSS of the serving process and its children together
    (PSS counts the pages they share, the mapped postings among them, once)."""
    import tempfile
    import urllib.request

    from bench.api import TOKEN, ask_url, serving

    with tempfile.TemporaryDirectory() as folder:
        env = {"HOSAKAN_KNOWLEDGE_DIR": str(knowledge), "HOSAKAN_INDEX_DIR": str(index_dir),
               "HOSAKAN_DATABASE_URL": f"sqlite:///{folder}/h.db"}
        with serving(env, workers) as (server, port):
            for question in asked[:50]:
                request = urllib.request.Request(ask_url(port), data=json.dumps({"question": question}).encode(),
                                                 headers={"Authorization": f"Bearer {TOKEN}",
                                                          "Content-Type": "application/json"})
                urllib.request.urlopen(request, timeout=120).read()
            time.sleep(2.0)
            tree = _process_tree(server.pid)
            rss, pss = (sum(_memory_kb(pid, key) for pid in tree) / 1024 for key in ("Rss", "Pss"))
    return {"serve_processes": len(tree), "serve_rss_mb": round(rss), "serve_pss_mb": round(pss)}


def _process_tree(root: int) -> list[int]:
    """``root`` and every process under it (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def _memory_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _recall_at_3(bot, peers: list[Peer]) -> dict:
    """Recall@3 on the eval set for Hosakan and each peer; the peers never abstain, so abstain
    questions count against them (their score on the answerable questions alone is given too)."""
    from hosakan.bot.operations.evaluation import DEV_QUESTIONS, evaluate, load_questions

    questions = load_questions(DEV_QUESTIONS)
    report = evaluate(bot.retriever, questions)
    answerable = [q for q in questions if not q.abstain]
    quality = {
        "hosakan_recall3": round(report.overall()["recall@3"], 3),
        "hosakan_recall3_answerable": round(sum(o.recalled(3) for o in report.outcomes if not o.question.abstain)
                                            / len(answerable), 3),
    }
    for peer in peers:
        found = sum(1 for q in answerable if (peer_rank(peer, q) or 99) <= 3)
        quality[f"{peer.name}_recall3"] = round(found / len(questions), 3)
        quality[f"{peer.name}_recall3_answerable"] = round(found / len(answerable), 3)
    return quality


def measure(label: str, knowledge: Path, index_dir: Path, count: int) -> dict:
    """Build, open once, answer ``count`` questions; this process's figures as a dict."""
    from hosakan.bot.service import LiveIndex
    from hosakan.bot.settings import Settings
    from hosakan.indexer.build import build

    summary = build(knowledge, index_dir, full=True, semantic=False)
    size = sum(f.stat().st_size for f in summary.generation.rglob("*") if f.is_file())
    with _one_record_changed(knowledge, index_dir) as changed:  # latency is measured after it and its undoing
        incremental = changed.seconds
    started = time.perf_counter()
    bot = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=index_dir))
    bot.ask("大阪府のCIO補佐官の任期は？")
    first_answer = time.perf_counter() - started
    asked = questions_for(bot.index.records.values(), random.Random(11), count)
    latencies, answered = [], 0
    for question in asked:
        begun = time.perf_counter()
        answer = bot.ask(question)
        latencies.append((time.perf_counter() - begun) * 1000)
        answered += answer.answered
    ranking = _ranking_only(bot, asked)
    reload = _reload(bot, knowledge, index_dir, asked[0])
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Hosakan's own (two indexes open
    # for a moment while reloading), before the peers
    passages = list(bot.retriever.searcher.all_stored_fields())
    tokens = [passage_tokens(p) for p in passages]
    peers, compared = [], {}
    for kind in PEERS:
        peer = kind(passages, tokens)
        timings, ranking_only = [], []
        for question in asked:
            begun = time.perf_counter()
            peer.top(question)
            timings.append((time.perf_counter() - begun) * 1000)
            looked_up = peer.asked(question)
            if looked_up:  # the same ranking step Hosakan's ranking p50 times: tokens in, CANDIDATES out
                begun = time.perf_counter()
                peer.rank(looked_up, CANDIDATES)
                ranking_only.append((time.perf_counter() - begun) * 1000)
        peers.append(peer)
        compared |= {f"{peer.name}_index_s": round(peer.build_seconds, 2),
                     f"{peer.name}_p50_ms": round(percentile(timings, 0.50), 2),
                     f"{peer.name}_p99_ms": round(percentile(timings, 0.99), 2),
                     f"p50_ratio_{peer.name}": round(percentile(latencies, 0.50)
                                                     / max(percentile(timings, 0.50), 1e-6), 1),
                     f"{peer.name}_ranking_p50_ms": round(percentile(ranking_only, 0.50), 2),
                     f"ranking_ratio_{peer.name}": round(percentile(ranking, 0.50)
                                                         / max(percentile(ranking_only, 0.50), 1e-6), 1)}
    quality = _recall_at_3(bot, peers) if label == "real records" else {}
    serve = _serve_memory(knowledge, index_dir, asked)  # lexical: before vectors are written below
    dense = _with_vectors(bot, asked, latencies)
    return {
        "corpus": label, "records": summary.records, "passages": summary.passages,
        "build_s": round(summary.seconds, 2), "build_passages_per_s": round(summary.passages_per_second),
        "incremental_s": round(incremental, 2),
        "index_mb": round(size / 2**20, 1), "startup_to_first_answer_s": round(first_answer, 2),
        "questions": len(asked), "answered_share": round(answered / len(asked), 3),
        "p50_ms": round(percentile(latencies, 0.50), 1), "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1), "mean_ms": round(statistics.fmean(latencies), 1),
        "ranking_p50_ms": round(percentile(ranking, 0.50), 2), "ranking_p99_ms": round(percentile(ranking, 0.99), 2),
        "peak_rss_mb": round(peak_rss, 1), **reload,
        **compared, **quality, **dense, **serve,
    }


def one(size: int, count: int) -> dict:
    if size == 0:
        return measure("real records", ROOT / "knowledge", OUT / "real" / "index", count)
    from bench.generate import generate

    knowledge = generate(size, OUT / f"corpus-{size}" / "knowledge")
    return measure(f"generated {size:,}", knowledge, OUT / f"corpus-{size}" / "index", count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--questions", type=int, default=QUESTIONS)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.questions)))
        return
    console = Console(width=220)
    rows = []
    for size in [0, *args.sizes]:
        console.print(f"[dim]benchmarking {'real records' if size == 0 else f'{size:,} passages'}…[/dim]")
        done = subprocess.run([sys.executable, "-m", "bench.run", "--one", str(size),
                               "--questions", str(args.questions)],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    table = Table(title=f"Hosakan benchmark ({args.questions:,} questions per corpus, one process, index opened once)")
    columns = {"corpus": "corpus", "passages": "passages", "build_s": "build s", "build_passages_per_s": "passages/s",
               "incremental_s": "1-record re-index s", "reload_s": "reload s",
               "index_mb": "index MB", "startup_to_first_answer_s": "first answer s",
               "answered_share": "answered", "p50_ms": "p50 ms", "p95_ms": "p95 ms", "p99_ms": "p99 ms",
               "peak_rss_mb": "peak RSS MB", "serve_pss_mb": "serve ×2 PSS MB", "serve_rss_mb": "serve ×2 RSS MB",
               "semantic_p50_ms": "+semantic p50", "semantic_p99_ms": "+semantic p99",
               "embed_passages_per_s": "embed passages/s",
               "model_passages_per_s": "model passages/s", "ranking_p50_ms": "ranking p50 ms",
               **{key: label for peer in PEERS
                  for key, label in [(f"{peer.name}_p50_ms", f"{peer.name} p50 ms"),
                                     (f"p50_ratio_{peer.name}", f"p50 ×{peer.name}"),
                                     (f"ranking_ratio_{peer.name}", f"ranking ×{peer.name}")]}}
    for column, label in columns.items():
        table.add_column(label, justify="left" if column == "corpus" else "right")
    for row in rows:
        table.add_row(*(f"{row[c]:,}" if isinstance(row.get(c), int) else str(row.get(c, "–")) for c in columns))
    console.print(table)
    real = rows[0]
    if "hosakan_recall3" in real:
        peers = ", ".join(f"{peer.name} {real[f'{peer.name}_recall3']} (answerable only "
                          f"{real[f'{peer.name}_recall3_answerable']})" for peer in PEERS)
        console.print(f"Recall@3 on the eval set (real records): Hosakan {real['hosakan_recall3']} (answerable only "
                      f"{real['hosakan_recall3_answerable']}); {peers}; the peers never abstain")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    console.print(f"written {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
