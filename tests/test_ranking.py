"""The numpy ranker gives Whoosh's own BM25F ranking, on a real multi-segment index with deletions."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as Q

from hosakan.bot.answering.ranking import Ranker, _best

QUESTIONS = [
    "CIO補佐官の報酬は？", "業務委託でCIO補佐官を置いた例は？", "任期付職員のCDOの任期",
    "ガバメントクラウドへの移行支援",
    "座談会で職員研修について何と言っていた？", "週2日勤務のCISO補佐官", "オープンデータ", "令和3年にDX推進室を設置",
]


def test_the_index_under_test_has_segments_and_deleted_passages(generated):
    reader = generated.retriever.reader
    assert len(list(reader.leaf_readers())) >= 3 and reader.has_deletions()


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_ranker_scores_and_orders_passages_as_whoosh_does(generated, question):
    retriever = generated.retriever
    clauses = retriever.build_query(retriever.understand(question))
    whoosh = list(retriever.searcher.search(Q.Or([Q.Term(c.field, c.text, boost=c.boost) for c in clauses]), limit=20))
    ours = retriever.ranker.top(clauses, 20)
    assert len(ours) == len(whoosh) == 20
    assert [score for score, _ in ours] == pytest.approx([hit.score for hit in whoosh], rel=1e-5)
    by_docnum = {docnum: score for score, docnum in ours}
    for hit in whoosh:  # a passage tied with the 20th may be swapped for another; the rest are the same
        if hit.score > whoosh[-1].score * (1 + 1e-5):
            assert by_docnum.get(hit.docnum) == pytest.approx(hit.score, rel=1e-5)


def test_segments_are_read_from_flat_postings_and_without_them_alike(generated, tmp_path):
    """The postings the build writes beside each segment are what the ranker reads; an index built
    before them (removed here) is read through Whoosh's blocks and ranks the same."""
    import shutil

    from whoosh import index as whoosh_index
    from whoosh.scoring import BM25F

    ranker = generated.retriever.ranker
    assert all(flat is not None for flat in ranker.flat)
    copy = tmp_path / "older"
    shutil.copytree(generated.index.path, copy)
    for path in copy.glob("*.hp?"):
        path.unlink()
    older = whoosh_index.open_dir(str(copy)).searcher(weighting=generated.retriever.searcher.weighting)
    assert isinstance(older.weighting, BM25F)
    without = Ranker(older)
    assert not any(without.flat)
    for question in QUESTIONS:
        clauses = generated.retriever.build_query(generated.retriever.understand(question))
        assert without.top(clauses, 20) == ranker.top(clauses, 20), question
    older.close()


def test_deleted_passages_are_never_ranked(generated):
    retriever = generated.retriever
    deleted = {d for d in range(retriever.reader.doc_count_all()) if retriever.reader.is_deleted(d)}
    assert deleted
    clauses = retriever.build_query(retriever.understand("報酬"))
    ranked = {docnum for _, docnum in retriever.ranker.top(clauses, retriever.reader.doc_count_all())}
    assert ranked and not ranked & deleted
    # a word only the changed case's deleted passages held is found nowhere; its new word is found there
    assert not any("ブロックチェーン" in hit.snippet for hit in generated.ask("ブロックチェーンの実証実験").hits)
    changed = min(generated.retriever.casebook.cases, key=lambda case: case.id)  # the first file, by name
    assert generated.ask("メタバースの実証実験").hits[0].record_id == changed.id


def test_the_impact_cache_stays_within_its_byte_budget(generated):
    ranker = Ranker(generated.retriever.searcher, cache_bytes=64 * 1024)
    for question in QUESTIONS:
        ranker.top(generated.retriever.build_query(generated.retriever.understand(question)), 10)
        assert ranker._impacts.currsize <= 64 * 1024
    assert len(ranker._impacts) > 0


@pytest.mark.parametrize("passages, matched, limit", [(100_000, 0.6, 40), (100_000, 0.0005, 40), (5_000, 0.01, 40),
                                                      (30, 1.0, 40), (2_000, 0.3, 2_000)])
def test_the_best_passages_are_those_a_full_sort_gives_ties_and_all(passages, matched, limit):
    rng = np.random.default_rng(passages + limit)
    scores = np.zeros(passages)
    hit = rng.random(passages) < matched
    scores[hit] = rng.integers(1, 60, hit.sum()) / 4  # few distinct scores: many passages tie
    expected = sorted(((float(s), int(d)) for d, s in enumerate(scores) if s > 0), key=lambda p: (-p[0], p[1]))[:limit]
    assert _best(scores, limit) == expected
