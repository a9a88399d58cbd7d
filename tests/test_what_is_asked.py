""""Not stated" is decided by what a question asks, not by its leftover words; a follow-up is read
against the conversation, and the reading that is answered is kept. Questions are the issue's own
examples and new ones, none from an evaluation set."""

from __future__ import annotations

import pytest


def _conversation(hosakan, *questions: str):
    topic, answers = None, []
    for question in questions:
        answers.append(hosakan.ask(question, topic))
        topic = answers[-1].topic or topic
    return answers


@pytest.mark.parametrize("question, fact", [
    ("米原市のCIOって、要はどなたが務めてるの？", "副市長"),  # どなた asks who, it is no fact
    ("印西市の補佐官、結局どれくらいの頻度で役所に来るの？", "週1回"),  # 結局, 役所に (来る): circumstances
    ("大洲のCDO補佐官は市役所にどのくらい来るの？", "月1回"),  # 市役所 written inside 大洲市役所
])
def test_words_that_are_no_fact_never_make_a_fact_not_stated(hosakan, question, fact):
    answer = hosakan.ask(question)
    assert answer.answered and answer.refusal is None, answer.message
    assert fact in answer.direct_answer.splitlines()[0]


def test_a_fact_the_record_lacks_is_still_not_stated_by_its_name(hosakan):
    answer = hosakan.ask("大阪府のCIO補佐官の定年は？")
    assert not answer.answered and answer.refusal == "not_stated" and "「定年」" in answer.message


def test_a_new_question_after_an_answer_asks_its_own_thing_about_the_same_case(hosakan):
    """After the pay, 「で、市役所にはどのくらい来るの？」 asks about coming in, not the pay again."""
    pay, visits = _conversation(hosakan, "大洲市のCDO補佐官の報酬は？", "で、市役所にはどのくらい来るの？")
    assert "273,800円" in pay.direct_answer
    assert visits.answered and visits.context == "大洲市・CDO補佐官"
    assert "月1回" in visits.direct_answer and "273,800円" not in visits.direct_answer


def test_a_follow_up_with_words_the_knowledge_base_lacks_keeps_the_case(hosakan):
    """最初 is a word no record uses: the follow-up is still read with the place and role."""
    _, term = _conversation(hosakan, "印西市のCIO補佐官って、月いくら？", "最初の任用期間は？")
    assert term.answered and term.context.startswith("印西市・CIO補佐官") and "3ヶ月" in term.direct_answer


def test_a_pointing_follow_up_keeps_the_asked_fact_and_an_unrelated_one_does_not_take_the_case(hosakan):
    _, tax = _conversation(hosakan, "米原市のCIO補佐業務、予定価格はいくら？", "それ税込？税抜？")
    assert tax.answered and "消費税別" in tax.direct_answer
    _, weather = _conversation(hosakan, "印西市のCIO補佐官の報酬は？", "今日の天気は？")
    assert not weather.answered and weather.refusal == "no_match" and weather.context is None


def test_a_grade_is_asked_as_a_grade_and_a_follow_up_asking_another_kind_drops_the_pay(hosakan):
    """何級 and 格 ask for a post's grade (主幹級), not its pay; 「そっちの格は？」 after the pay asks
    the grade of the post just named, not the pay again."""
    grade, = _conversation(hosakan, "奈良県の地域DXマネージャーは何級？")
    assert grade.answered and "主幹級" in grade.direct_answer
    _, _, rank = _conversation(hosakan, "奈良県のCIO募集、月給いくら？", "地域DXマネージャーは？", "そっちの格は？")
    assert rank.answered and "主幹級" in rank.direct_answer and "月収" not in rank.direct_answer


def test_a_budget_is_asked_as_an_amount(hosakan):
    """予算 is the 予定価格 of a 委託: the amount is the answer, not "予算 is not stated"."""
    budget, = _conversation(hosakan, "米原市のCIO補佐業務の予算は？")
    assert budget.answered and "33,000,000円" in budget.direct_answer
