"""A large index is embedded by its words (indexer/word_vectors.py): every word once by the bundled
model, a passage as the weighted sum of its words, found again by sign bits and a full comparison
of the shortlist. Examples of our own, not from the eval sets."""

from __future__ import annotations

import numpy as np

from hosakan.bot.answering.pipeline import Retriever
from hosakan.indexer import embeddings, word_vectors
from hosakan.indexer.build import build
from hosakan.indexer.store import open_current
from hosakan.indexer.word_vectors import WordVectors


def test_an_index_past_the_threshold_is_embedded_by_its_words_and_keeps_them_for_the_next_build(
        knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    units: list[set[str]] = [set(), set()]  # what the progress bar counted: words, then passages
    first = build(knowledge_copy, index_dir, semantic=True, words_from=0,
                  on_embed=lambda done, total, unit: units[0].add(unit))
    index = open_current(index_dir)
    assert index.manifest["semantic"] == word_vectors.model_of(embeddings.load_embedder())
    assert index.vectors is None and not (index.path / embeddings.VECTORS).exists()  # not by the model
    words = index.words
    assert words is not None and words.vectors.shape == (index.index.doc_count_all(), 384)
    assert isinstance(words.vectors, np.memmap) and not words.vectors.flags.writeable  # shared by workers
    assert np.allclose(np.linalg.norm(words.vectors, axis=1), 1.0, atol=1e-4)
    assert first.embedded == len(words.rows) > 300  # each word embedded once
    (knowledge_copy / "cases" / "ozu-city-cdo-hosakan.md").write_text(
        (knowledge_copy / "cases" / "ozu-city-cdo-hosakan.md").read_text(encoding="utf-8")
        + "\n## 備考\n\n補佐官はオンライン会議で助言する。\n", encoding="utf-8")
    again = build(knowledge_copy, index_dir, semantic=True, words_from=0)
    assert again.mode == "incremental" and again.embedded <= 3  # only the words the index did not hold
    assert open_current(index_dir).words.vectors.shape[0] == open_current(index_dir).index.doc_count_all()
    below = build(knowledge_copy, tmp_path / "small", semantic=True,  # 19 records: the model embeds them
                  on_embed=lambda done, total, unit: units[1].add(unit))
    assert open_current(tmp_path / "small").words is None and below.embedded > 100
    assert units == [{"words"}, {"passages"}]


def test_english_and_paraphrased_questions_reach_the_record_through_word_vectors(knowledge_copy, tmp_path):
    build(knowledge_copy, tmp_path / "index", semantic=True, words_from=0)
    retriever = Retriever(open_current(tmp_path / "index"))
    try:
        assert retriever.finder.by_words is not None and retriever.finder.semantic is None
        answer = retriever.ask("What is the selection process for Mie's CDO?")
        assert answer.answered and "mie-pref-cdo" in [hit.record_id for hit in answer.hits]
    finally:
        retriever.close()


def test_the_sign_bit_shortlist_finds_the_nearest_passages_a_full_comparison_finds(monkeypatch):
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((40, 384)).astype(np.float32)
    vectors = centres[rng.integers(0, 40, 20_000)] + 0.6 * rng.standard_normal((20_000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[5] = 0.0  # a deleted passage: never near
    centre = vectors.mean(axis=0)
    found = WordVectors("test", vectors, word_vectors._bits(vectors, centre), np.empty((0, 384), np.float32),
                        [], centre)
    monkeypatch.setattr(word_vectors, "EXACT_BELOW", 0)
    monkeypatch.setattr(word_vectors, "SHORTLIST", 2_000)  # a tenth of the passages compared in full
    for question in rng.integers(0, 40, 10):
        vector = centres[question] / np.linalg.norm(centres[question])
        exact = np.argsort(-(vectors @ vector))[:10]
        nearest = [docnum for _, docnum in found.nearest(vector, 10)]
        assert len(set(nearest) & set(exact.tolist())) >= 9
        assert 5 not in nearest
