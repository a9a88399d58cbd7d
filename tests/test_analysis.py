"""The Japanese analyzer: what a question and a passage are reduced to before they meet."""

from __future__ import annotations

from hosakan.indexer.analysis import bigrams, terms
from hosakan.indexer.normalize import clean_question, fold


def test_particles_and_punctuation_are_dropped_and_latin_is_lower_cased():
    assert list(terms("大阪府のCIO補佐官の任期は？")) == ["大阪府", "大阪", "cio", "補佐官", "補佐", "任期"]


def test_era_years_and_western_years_share_a_term():
    assert "2021" in terms("令和3年10月15日")
    assert "2019" in terms("令和元年度")
    assert "2015" in terms("平成27年")
    assert "2021" in terms("2021年")


def test_amounts_written_differently_share_a_term():
    assert "600000" in terms("月収60万円") and "600000" in terms("６０万円")
    assert "11400000" in terms("約1,140万円")


def test_width_and_kana_variants_fold_together():
    assert terms("ＣＤＯ補佐官") == terms("CDO補佐官")
    assert fold("ｺﾏﾂｼﾏ") == fold("こまつしま") == "コマツシマ"
    assert fold("南澤") == fold("南沢")


def test_compound_words_also_index_their_parts():
    assert {"非常勤職員", "常勤", "職員"} <= set(terms("特別職非常勤職員"))


def test_query_syntax_is_just_text():
    # operators are words, and "and" a stop word
    assert terms("* NEAR title:x (") == {"near": 1.0, "title": 1.0, "x": 1.0}
    assert terms("😀😀") == {} and terms("？！。、") == {}


def test_bigrams_cover_cjk_runs_and_keep_latin_words():
    assert bigrams("大洲市CDO") == ["大洲", "洲市", "cdo"]


def test_chat_markup_is_stripped():
    from hosakan.adapters.slack.inbound import plain as slack_plain
    from hosakan.adapters.teams.inbound import plain as teams_plain

    slack = "<@U123ABC> 大阪府の<https://evil.example|ここ>と<!channel> &amp; <#C1|general>"
    assert clean_question(slack_plain(slack)) == "大阪府の ここ と & general"
    assert clean_question(teams_plain("<at>Hosakan</at>奈良県の<b>CIO</b>は？")) == "奈良県の CIO は？"
    assert clean_question("奈良\u0000県\u200bの\tCIO") == "奈良県の CIO"
