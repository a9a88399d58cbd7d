"""What officials really type: kana, romaji, half-width, English, a word the index does not know,
a wrong kanji, a real place or a role the knowledge base lacks, a fact its record does not state.
Each class of question answered or refused as an official would expect (examples of our own, not
from the eval sets)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from hosakan.adapters.slack.render import answer_blocks
from hosakan.adapters.teams.render import answer_message
from hosakan.bot.answering.pipeline import Retriever
from hosakan.bot.events import Shown
from hosakan.indexer import embeddings
from hosakan.indexer.build import build
from hosakan.indexer.store import current_generation, open_current
from tests.support.cli import run as run_cli


def _shown(answer) -> str:
    return (answer.direct_answer or "") + "".join(hit.snippet for hit in answer.hits)


@pytest.mark.parametrize("question, record, fact", [
    ("みえけんのしーでぃーおーのせんこうほうほう", "mie-pref-cdo", "書類審査"),            # hiragana
    ("komatsushima-shi no keiyaku kikan", "komatsushima-city-cio-support", "6か月"),      # romaji, Hepburn
    ("komatusimasi CIO hosa gyomu yotei kakaku", "komatsushima-city-cio-support", "330万円"),  # kunrei, no long vowels
    ("ｵｵｻｶﾌ CIOﾎｻｶﾝ ﾔｸｼｮｸ", "osaka-pref-cio-hosakan", "副理事"),                      # half-width kana
    ("What is the selection process for Mie's CDO?", "mie-pref-cdo", "書類審査"),          # English
    ("米原市のCIO補佐業務の要項にある週の出勤日数", "maibara-city-cio-support", "週1日"),   # words the index lacks
    ("印材市のCIO補佐官の勤務形態", "inzai-city-cio-hosakan", "リモートワーク"),           # wrong kanji, right reading
])
def test_questions_typed_any_way_reach_the_record(hosakan, question, record, fact):
    answer = hosakan.ask(question)
    assert answer.answered, answer.message
    assert record in [hit.record_id for hit in answer.hits]
    assert fact in _shown(answer)


def test_a_wrong_kanji_is_confirmed_in_the_answer(hosakan):
    answer = hosakan.ask("印材市のCIO補佐官の勤務形態")
    assert answer.understood == "印西市（入力：印材市）として回答します。"
    assert answer.contract()["understood"] == answer.understood
    assert any("印西市（入力：印材市）" in str(block) for block in answer_blocks(Shown(answer)))
    assert "印西市（入力：印材市）" in answer_message(Shown(answer))["text"]


@pytest.mark.parametrize("question, named", [
    ("大阪市のCDOの報酬", "大阪市"),         # a real city, not 大阪府
    ("伊豆市のCIO補佐業務の委託額", "伊豆市"),  # a real city, not 伊豆の国市
    ("京都のCIO補佐官", "京都"),              # a prefecture we lack, not 東京都
    ("sapporo-shi no CIO", "札幌市"),         # romaji of a real city
])
def test_a_real_place_the_knowledge_base_lacks_is_refused_by_name(hosakan, question, named):
    answer = hosakan.ask(question)
    assert not answer.answered
    assert f"「{named}」" in answer.message


@pytest.mark.parametrize("question, role, has", [
    ("米原市のCISO補佐官の報酬", "CISO補佐官", "CIO補佐官"),
    ("大阪府のCDOの任期は？", "CDO", "CIO補佐官"),
])
def test_a_role_the_case_lacks_is_refused_saying_which_roles_it_has(hosakan, question, role, has):
    answer = hosakan.ask(question)
    assert not answer.answered
    assert f"「{role}」の記載がありません" in answer.message and f"記録にある役職：{has}" in answer.message


def test_a_role_the_record_mentions_is_answered(hosakan):
    answer = hosakan.ask("小松島市のCIOは誰が務める？")  # the case is for CIO補佐業務; its record names the CIO
    assert answer.answered and "副市長" in _shown(answer)


def test_a_fact_the_record_does_not_state_is_said_with_what_it_does_state(hosakan):
    answer = hosakan.ask("奈良県のCIOの年収は？")
    assert not answer.answered
    assert answer.message.startswith("奈良県の記録には年収の記載がありません")
    assert "月額" in answer.message and "約60万円" in answer.message
    assert answer.hits and answer.hits[0].record_id == "nara-pref-cio-dx-manager"  # the citation
    stated = hosakan.ask("奈良県のCIOの月収は？")
    assert stated.answered and "60万円" in stated.direct_answer


@pytest.mark.parametrize("question", ["今日のランチのおすすめは？", "明日の東京の天気を教えて", "サッカーの試合結果"])
def test_questions_about_nothing_in_the_knowledge_base_are_refused(hosakan, question):
    answer = hosakan.ask(question)
    assert not answer.answered and answer.message


@pytest.mark.parametrize("question", ["🙂 ｱｲｳ ABC 漢字", "ｘｙｚ　ＣＩＯ？？", "n'n'n'", "ーーー", "ヴ" * 30,
                                      "Ωμέγα 市"])
def test_any_script_or_mix_gets_an_answer_or_a_clear_refusal(hosakan, question):
    answer = hosakan.ask(question)
    assert answer.answered or answer.message


def test_a_question_is_embedded_by_model_tokens_so_an_english_question_keeps_its_second_half():
    """An English question's asked fact often comes after its first 64 characters; a question of
    any length is read up to QUERY_TOKENS tokens and no further."""
    embedder = embeddings.load_embedder()
    if embedder is None:
        pytest.skip("the semantic extra is not installed")
    opening = "For the outside digital experts that the prefecture recruited in 2022, "
    assert len(opening) > 64
    term, pay = (embedder.query(opening + end) for end in ("how long is the term?", "what is the monthly pay?"))
    assert float(term @ pay) < 0.99  # before, both were the vector of the same 64 characters
    endless = "What is the term of the CIO adviser " * 200
    assert np.array_equal(embedder.query(endless), embedder.query(endless[:embeddings.QUERY_CHARS]))
    assert not np.array_equal(embedder.query(endless[:120]), embedder.query(endless[:240]))


def _change_ozu_duties(knowledge) -> None:
    record = knowledge / "cases" / "ozu-city-cdo-hosakan.md"
    record.write_text(record.read_text(encoding="utf-8").replace("官民共創の推進に関すること",
                                                                 "地域の防災DXに関すること"),
                      encoding="utf-8")


def test_vectors_are_stored_per_generation_and_reembedded_only_for_changed_records(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir, semantic=True)
    first = embeddings.read(open_current(index_dir).path)
    _change_ozu_duties(knowledge_copy)
    assert build(knowledge_copy, index_dir, semantic=True).mode == "incremental"
    index = open_current(index_dir)
    ids, vectors, model = embeddings.read(index.path)
    assert index.manifest["semantic"] == model and sorted(ids) == sorted(first[0])
    assert len(ids) == index.index.doc_count() and vectors.shape == (len(ids), 384)
    assert isinstance(vectors, np.memmap) and not vectors.flags.writeable  # mapped: worker processes share it
    unchanged = [i for i in ids if i.startswith("mie-pref-cdo#")]
    assert all(np.array_equal(vectors[ids.index(i)], first[1][first[0].index(i)]) for i in unchanged)
    changed = next(i for i in ids if i.startswith("ozu-city-cdo-hosakan#") and i in first[0]
                   and not np.array_equal(vectors[ids.index(i)], first[1][first[0].index(i)]))
    assert changed  # the changed record's duties passage was embedded anew


def test_a_full_rebuild_in_a_new_process_embeds_only_the_texts_that_changed(knowledge_copy, tmp_path):
    import subprocess
    import sys

    index_dir = tmp_path / "index"
    build(knowledge_copy, index_dir, semantic=True)
    first = embeddings.read(open_current(index_dir).path)
    _change_ozu_duties(knowledge_copy)
    script = ("import sys; from pathlib import Path; from indexer.build import build; totals = [0]\n"
              "build(Path(sys.argv[1]), Path(sys.argv[2]), full=True, semantic=True,"
              " on_embed=lambda done, total, unit: totals.append(total))\n"
              "print(max(totals))")
    run = subprocess.run([sys.executable, "-c", script, str(knowledge_copy), str(index_dir)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    ids, vectors, _ = embeddings.read(open_current(index_dir).path)
    assert 1 <= int(run.stdout.split()[-1]) <= 3 < len(ids) // 10  # the changed duties, not every passage
    assert sorted(ids) == sorted(first[0]) and vectors.shape == first[1].shape
    same = [i for i in ids if not i.startswith("ozu-city-cdo-hosakan#")]
    assert all(np.array_equal(vectors[ids.index(i)], first[1][first[0].index(i)]) for i in same)


def test_a_build_stopped_while_embedding_starts_again_where_it_stopped(knowledge_copy, tmp_path):
    """A build killed an hour into embedding keeps what it embedded: the next build, in a new
    process, embeds only the rest, and publishes the saved vectors as they were."""
    import signal
    import subprocess
    import sys

    index_dir = tmp_path / "index"
    killed = ("import os, signal, sys; from pathlib import Path\n"
              "from hosakan.indexer import embeddings; from hosakan.indexer.build import build\n"
              "embeddings.CHECKPOINT = 32\n"
              "def embedded(done, total, unit):\n"
              "    if done > 64: os.kill(os.getpid(), signal.SIGKILL)\n"
              "build(Path(sys.argv[1]), Path(sys.argv[2]), full=True, semantic=True, on_embed=embedded)")
    run = subprocess.run([sys.executable, "-c", killed, str(knowledge_copy), str(index_dir)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert current_generation(index_dir) is None  # nothing was published
    kept = embeddings.saved(index_dir, embeddings.MODEL)
    assert len(kept) == 64
    again = run_cli("index", "--full", index_dir=index_dir, knowledge=knowledge_copy)  # as a maintainer would
    assert again.returncode == 0, again.stderr
    resumed = re.search(r"計算済みだったベクトル(\d+)件を使い、残りの(\d+)件だけを計算しました", again.stdout)
    assert resumed, again.stdout
    generation = open_current(index_dir).path
    ids, vectors, _ = embeddings.read(generation)
    keys = embeddings.keys_of(generation)
    assert (int(resumed[1]), int(resumed[2])) == (64, len(set(keys)) - 64)  # the rest only
    assert all(np.array_equal(vectors[keys.index(key)], vector) for key, vector in kept.items())
    assert not (index_dir / embeddings.CHECKPOINTS).exists() and len(ids) == len(keys) > 150


def test_without_vectors_answers_are_lexical(knowledge_copy, tmp_path):
    build(knowledge_copy, tmp_path / "index", semantic=False)
    index = open_current(tmp_path / "index")
    assert index.vectors is None and index.manifest["semantic"] is None
    retriever = Retriever(index)
    assert retriever.semantic is None
    answer = retriever.ask("How long is the contract of Komatsushima's CIO support?")
    assert answer.answered and "6か月" in _shown(answer)
    retriever.close()


def test_what_reaches_the_analyzers_is_bounded_but_keeps_the_question():
    from hosakan.indexer.normalize import bounded

    assert bounded("か\u3099いくら？") == "がいくら？"  # composed
    assert bounded("あ" + "\u0301\u0300\u0302" * 100) == "あ\u0301"  # one mark per character at most
    assert bounded("報酬は？？？？？？ すごーーーーーい") == "報酬は？？？ すごーーーい"
    assert bounded("予定価格は10000000円") == "予定価格は10000000円"  # digits are never collapsed


_KATAKANA_RUN = re.compile(r"[ァ-ヺー]{2,}")


@pytest.mark.parametrize("first, follow_up, words", [
    ("大阪府のCIO補佐官の報酬はいくら？", "奈良県は？", "報酬・いくら"),
    ("大阪府のCIO補佐官はいくらもらえる？", "奈良県は？", "いくら"),
    ("大阪府のCIO補佐官のほうしゅうは？", "奈良県は？", "報酬"),  # typed by sound: the glossary's word, not ホウシュウ
])
def test_the_context_line_shows_the_askers_words_never_a_reading(hosakan, tmp_path, first, follow_up, words):
    """「（…について）」 says what a follow-up took from the conversation, in the words the official
    wrote (or the glossary's own spelling of them), never the folded katakana the matching uses
    (イクラ for いくら), on every surface: they all draw the presenter's view."""
    import io
    import json

    from rich.console import Console

    from hosakan.adapters.console.render import render as console_render
    from hosakan.bot.chat.conversation import Conversation
    from hosakan.bot.chat.presenter import plain_text, present
    from hosakan.bot.events import Asker, Question
    from hosakan.bot.storage.contexts import Contexts
    from hosakan.bot.storage.history import History

    history = History(f"sqlite:///{tmp_path / 'c.db'}", "salt")
    talk = Conversation(hosakan, history, Contexts(history.recorder, "salt", minutes=30))
    asker = Asker("slack", "U0OFFICIAL")
    talk.ask(Question(first, asker, "thread-1"))
    shown = talk.ask(Question(follow_up, asker, "thread-1"))
    assert isinstance(shown, Shown) and shown.answer.context == words
    view = present(shown, escalate=True)
    line = f"（{words}について）"
    assert line in view.readings
    console = io.StringIO()
    Console(file=console, width=80, color_system=None).print(console_render(shown, interactive=True))
    surfaces = {
        "copy": plain_text(view), "web": json.dumps(view.to_json(), ensure_ascii=False),
        "slack": json.dumps(answer_blocks(shown), ensure_ascii=False),
        "teams": json.dumps(answer_message(shown), ensure_ascii=False), "console": console.getvalue(),
        "json": json.dumps(talk.keep(shown, follow_up), ensure_ascii=False),
    }
    asked = _KATAKANA_RUN.findall(first + follow_up)
    for name, text in surfaces.items():
        assert "イクラ" not in text and "ホウシュウ" not in text, name
        assert words in text, name
    for reading in surfaces["copy"].splitlines():
        if reading.endswith("について）"):  # the context line: no katakana the questions do not hold
            assert all(run in asked for run in _KATAKANA_RUN.findall(reading)), reading


def test_a_word_asked_beside_a_name_that_holds_it_is_still_asked(hosakan):
    """任期 of 任期付の任期は？ is inside the form's name and asked on its own too."""
    u = hosakan.retriever.words.understand("任期付の任期は？")
    assert [e.name for e in u.resolution.of_kind("form")] == ["任期付職員"] and "任期" in u.content
    assert "任期" not in hosakan.retriever.words.understand("任期付職員の事例は？").content
