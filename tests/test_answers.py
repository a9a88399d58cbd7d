"""Questions in, answers out: direct answers, cited and dated snippets, honest refusals."""

from __future__ import annotations

import pytest

from hosakan.bot.answering.case_answers import MAX_NAMED


def test_a_fact_question_gets_the_fact_first_with_its_date(hosakan):
    answer = hosakan.ask("大阪府のCIO補佐官の年収は？")
    assert answer.answered
    assert "1,140万円" in answer.direct_answer and "大阪府" in answer.direct_answer
    assert "2022年時点" in answer.direct_answer
    top = answer.hits[0]
    assert top.record_id == "osaka-pref-cio-hosakan"
    assert "2022年時点" in top.citation and top.url.startswith("https://www.pref.osaka.lg.jp/")


def test_the_direct_answer_follows_the_role_asked_for(hosakan):
    cio = hosakan.ask("奈良県のCIOの月収は？").direct_answer
    manager = hosakan.ask("奈良県の地域DXマネージャーの月収は？").direct_answer
    assert "60万円" in cio and "50万円" not in cio
    assert "50万円" in manager and "60万円" not in manager


def test_snippets_mark_the_matched_terms_and_end_at_sentence_boundaries(hosakan):
    answer = hosakan.ask("酒田市は外部人材のコストにどんな支援策を使った？")
    hit = next(h for h in answer.hits if "特別交付税" in h.snippet)
    marked = [hit.snippet[a:b] for a, b in hit.marks]
    assert "外部人材" in marked or "外部" in marked
    assert hit.snippet.endswith(("。", "…")) and len(hit.snippet) <= 170
    assert hit.marked("*", "*").count("*") == 2 * len(hit.marks)


def test_a_roundtable_answer_cites_the_speaker(hosakan):
    answer = hosakan.ask("座談会で東京都CIOは研修について何と言っていた？")
    hit = next(h for h in answer.hits if "研修" in h.snippet)
    assert hit.speaker == "宮坂 学（東京都CIO）"
    assert "宮坂 学（東京都CIO）" in hit.citation and "2021年10月15日時点" in hit.citation


def test_a_cross_case_question_lists_the_matching_cases(hosakan):
    answer = hosakan.ask("業務委託でCIO補佐官を置いた例は？")
    listed = answer.direct_answer
    assert listed.startswith("業務委託・CIO補佐官の事例は3件あります。")
    for city in ("小松島市", "伊豆の国市", "米原市"):
        assert city in listed
    assert "大阪府" not in listed  # appointed as a fixed-term employee, not outsourced


def test_a_topical_question_about_a_role_is_not_answered_with_a_case_list(hosakan):
    answer = hosakan.ask("ITベンダーの社員をCIO補佐官に登用する際の課題は？")
    assert answer.answered and "の事例は" not in answer.direct_answer
    assert answer.direct_answer.startswith("【総務省資料") and "課題" in answer.direct_answer  # a quoted sentence
    assert answer.hits[0].record_id == "mic-vendor-employee-issues"


@pytest.mark.parametrize("question", ["今日の天気は？", "おすすめのレストランを教えて", "パスワードを忘れました"])
def test_off_topic_questions_are_declined_politely(hosakan, question):
    answer = hosakan.ask(question)
    assert not answer.answered and answer.hits == [] and answer.direct_answer is None
    assert "見つかりませんでした" in answer.message and "です。" in answer.message


def test_an_unknown_municipality_is_named_and_nothing_is_guessed(hosakan):
    answer = hosakan.ask("横浜市のCIO補佐官の報酬は？")
    assert not answer.answered and answer.direct_answer is None
    assert "「横浜市」" in answer.message and "大洲市" in answer.message
    assert all(h.record_id for h in answer.hits)  # suggestions about CIO補佐官 elsewhere, clearly labelled


@pytest.mark.parametrize("question, expected", [
    ("", "空"),
    ("   ", "空"),
    ("あ" * 10_000, "長すぎます"),
    ("？！。、…", "読み取れません"),
    ("😀🎉🙏", "読み取れません"),
    ("\u0000\u0007\u001b", "空"),
])
def test_unreadable_input_gets_a_clear_message(hosakan, question, expected):
    answer = hosakan.ask(question)
    assert not answer.answered and expected in answer.message


@pytest.mark.parametrize("question", [
    "* AND title:x (", 'kind:case OR "大阪府', "CIO補佐官)))((( NOT", "大阪府\" AND \"奈良", "title:*", "補佐官~2^3",
    "大阪府😀のCIO補佐官🎉", "大阪府\u0000のCIO\u200b補佐官",
])
def test_query_syntax_and_odd_characters_never_break_the_answer(hosakan, question):
    answer = hosakan.ask(question)
    assert answer.question is not None
    assert answer.answered or answer.message


def test_query_syntax_is_searched_as_words(hosakan):
    answer = hosakan.ask('大阪府" AND title:(CIO補佐官')
    assert answer.answered and answer.hits[0].record_id == "osaka-pref-cio-hosakan"


def test_the_json_contract_has_exactly_the_documented_fields(hosakan):
    contract = hosakan.ask("大洲市のCDO補佐官の報酬は？").contract()
    assert set(contract) == {"question", "answered", "direct_answer", "understood", "message", "refusal", "unmatched",
                             "context", "table", "hits", "elapsed_ms", "facts"}
    # the direct answer's cases as facts: the record each is from, when it was true and its source
    fact = contract["facts"][0]
    assert set(fact) == {"record_id", "name", "attributes", "text", "quoted", "listed", "as_of", "dated", "source"}
    assert fact["record_id"] == "ozu-city-cdo-hosakan" and fact["name"] == "大洲市"
    assert fact["text"] in contract["direct_answer"]
    hit = contract["hits"][0]
    assert set(hit) == {"doc_id", "kind", "title", "snippet", "citation", "url", "score",
                        "text", "marks", "section", "speaker", "source", "as_of", "dated"}
    assert "**" in hit["snippet"]
    # text and marks are the snippet unmarked and where its marks were
    rebuilt, last = "", 0
    for start, end in hit["marks"]:
        rebuilt += hit["text"][last:start] + "**" + hit["text"][start:end] + "**"
        last = end
    assert rebuilt + hit["text"][last:] == hit["snippet"] and hit["as_of"] in hit["citation"]
    assert fact["dated"] is False and hit["dated"] is False  # 大洲市's source gives no date: said, not shown as one


def test_refusals_on_a_large_knowledge_base_name_a_few_municipalities_and_count_the_rest(generated):
    municipalities = {case.municipality for case in generated.retriever.casebook.cases}
    assert len(municipalities) > MAX_NAMED * 2
    for question in ["今日の天気は？", "横浜市のCIO補佐官の報酬は？"]:
        message = generated.ask(question).message
        assert f"ほか{len(municipalities) - MAX_NAMED:,}自治体" in message and len(message) < 400


def test_a_comparison_of_many_cases_shows_the_first_twenty_and_counts_the_rest(generated):
    casebook = generated.retriever.casebook
    in_scope = casebook.matching(role={"CIO補佐官"})
    assert len(in_scope) > 25
    answer = generated.ask("CIO補佐官の報酬を比べて")
    assert answer.table is not None
    places = {row[0] for row in answer.table.rows}
    assert 2 <= len(places) <= 20 and len(answer.table.title) < 300
    assert f"ほかに{len(in_scope) - 20:,}件の事例があります" in answer.direct_answer


def test_how_two_forms_differ_is_answered_from_the_reference_not_a_table_of_cases(hosakan):
    answer = hosakan.ask("任期付職員と特別職非常勤職員の違いは？")
    assert answer.table is None  # 任期 inside 任期付職員 asks for no term, and no case is compared
    assert answer.hits[0].doc_id.startswith("mic-appointment-forms#")
    compared = hosakan.ask("業務委託と任期付職員の報酬を比べて")
    assert compared.table is not None  # naming what to compare them on still gives the table
