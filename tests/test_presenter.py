"""The one presenter (bot/chat/presenter.py): what every surface shows of an answer, decided once, on the
real records; and that Slack, Teams, the web page and the terminal show the same thing."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from hosakan.adapters.console.render import render as console_render
from hosakan.adapters.slack.render import render as slack_render
from hosakan.adapters.teams.render import render as teams_render
from hosakan.adapters.web.render import answer_data
from hosakan.bot.chat.presenter import plain_text, present
from hosakan.bot.events import Shown
from hosakan.bot.models import Answer

QUESTIONS = [
    "大阪府のCIO補佐官の任期は？",
    "報酬が一番高い募集は？",
    "業務委託でCIO補佐官を置いた例は？",
    "今日の天気は？",
    "大阪府と奈良県のCIO補佐官の報酬を比べて",
    "座談会で東京都CIOは研修について何と言っていた？",
]


def kept(answer) -> dict:
    """The answer as the web keeps it for its page and permalink."""
    return {**answer.contract(), "page": answer.page, "first": 1, "has_more": bool(answer.more), "answer_id": "x"}


def slack_buttons(shown: Shown) -> list[str]:
    """👍/👎 (Slack's own feedback_buttons: the kind each half records), then the other buttons."""
    _, blocks = slack_render(shown, escalate=True)
    votes = [json.loads(e[half]["value"])["a"] for b in blocks if b["type"] == "context_actions"
             for e in b["elements"] for half in ("positive_button", "negative_button")]
    return votes + [e["action_id"].removeprefix("hosakan_") for b in blocks if b["type"] == "actions"
                    for e in b["elements"]]


def teams_buttons(shown: Shown) -> list[str]:
    import json

    message = teams_render(shown, escalate=True)
    native = ["up", "down"] if message.get("channelData", {}).get("feedbackLoopEnabled") else []  # Teams' own 👍/👎
    cards = [attachment["content"] for attachment in message.get("attachments", [])]
    return native + [json.loads(a["data"]["hosakan"])["a"] for card in cards for a in card.get("actions", [])
                     if a["type"] == "Action.Submit"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_surface_offers_the_same_buttons(hosakan, question):
    answer = hosakan.ask(question)
    shown = Shown(answer)
    kinds = [b.kind for b in present(shown, escalate=True).buttons]
    web = [b["kind"] for b in answer_data(kept(answer))["view"]["buttons"]]
    assert slack_buttons(shown) == teams_buttons(shown) == web == kinds
    # feedback only on an answer, 他の候補 only when there are more candidates
    assert ("up" in kinds) == answer.answered and ("more" in kinds) == bool(answer.more)
    assert kinds[-1] == "escalate"


def test_a_missing_date_is_said_once_at_the_end_and_nowhere_else(hosakan):
    view = present(Shown(hosakan.ask("報酬が一番高い募集は？")), escalate=False)
    assert len(view.footnotes) == 1 and "掲載日の記載なし" in view.footnotes[0]
    said = [c.as_of for c in view.cases] + [e.as_of for e in view.evidence] + [row[-1] for row in view.table.table.rows]
    assert all(a is None or a == "—" or re.match(r"\d{4}年", a) for a in said)  # a date, or none shown
    assert "2022年時点" in [row[-1] for row in view.table.table.rows][0]  # a date the source gives stays on its row
    text = plain_text(view)
    assert text.count("掲載日の記載なし") == 1


def test_a_table_names_each_source_once_and_its_evidence_follows_the_top_rows(hosakan):
    answer = hosakan.ask("報酬が一番高い募集は？")
    view = present(Shown(answer), escalate=False)
    assert view.table.sources == ["出典：「CIOやCIO補佐官を自治体に設置するには?」（岡 高志（選挙ジャパン代表））"]
    top = [row[1] for row in view.table.table.rows[:3]]
    shown = [e.hit.title for e in view.evidence]
    assert [any(t.startswith(place) for t in shown) for place in top] == [True, True, True]
    assert not any(t.startswith(("伊豆の国市", "小松島市", "米原市")) for t in shown)  # the unranked contracts


def test_a_listing_is_one_block_per_case_with_its_citation(hosakan):
    view = present(Shown(hosakan.ask("業務委託でCIO補佐官を置いた例は？")), escalate=False)
    assert len(view.cases) >= 2 and view.lead and "件" in view.lead[0]
    assert all(c.name and c.fact and not c.fact.startswith("・") for c in view.cases)
    assert all(c.source for c in view.cases if any(e.hit.title.startswith(c.name) for e in view.evidence))


def test_a_contract_price_is_never_called_pay(hosakan):
    answer = hosakan.ask("小松島市の報酬は？")
    assert answer.answered and "予定価格" in answer.direct_answer and "報酬：" not in answer.direct_answer
    assert answer.hits[0].section == "予定価格"
    table = hosakan.ask("小松島市と大阪府の報酬を比べて").table
    assert "報酬・契約額（記載）" in table.columns and "報酬（記載）" not in table.columns


def test_the_copied_text_carries_the_answer_and_its_citations_without_markup(hosakan):
    view = present(Shown(hosakan.ask("大阪府と奈良県のCIO補佐官の報酬を比べて")), escalate=True)
    text = plain_text(view)
    assert "1,140万円" in text and "720万円" in text and "出典：" in text and "2022年時点" in text
    assert not any(mark in text for mark in ("*", "<", "**"))


def test_the_terminal_draws_the_same_view(hosakan):
    shown = Shown(hosakan.ask("報酬が一番高い募集は？"))
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(console_render(shown, interactive=True))
    screen = out.getvalue()
    view = present(shown, escalate=False)
    assert all(e.hit.title[:10] in screen for e in view.evidence)
    assert screen.count("時点を示していない") == 1 and "「もっと」" in screen


@pytest.mark.parametrize(
    "question", ["報酬が一番高い募集は？", "CIO補佐官を置いた自治体は？", "CIO補佐官の任期を比べて"]
)
@pytest.mark.parametrize("height", [24, 40])
def test_the_terminal_folds_a_long_answer_to_its_height_and_loses_nothing(hosakan, question, height):
    """hosakan chat on a terminal of ``height`` lines: each screen (with the line typed above it and
    the prompt below) fits, the direct answer is on the first, and 「もっと」's screens show every
    case, row and passage of the whole answer once, in order."""
    from hosakan.adapters.console.fold import Pager

    def screen(renderable) -> list[str]:
        out = io.StringIO()
        Console(file=out, width=80, height=height, force_terminal=True, color_system=None).print(renderable)
        return out.getvalue().splitlines()

    shown = Shown(hosakan.ask(question))
    view = present(shown, escalate=False)
    whole = screen(console_render(shown, interactive=True))
    pager = Pager(Console(file=io.StringIO(), width=80, height=height, force_terminal=True, color_system=None))
    pages = [screen(pager.show(view, []))]
    while pager.folded:
        pages.append(screen(pager.next()))
    assert len(pages) > 1 and len(whole) > height  # a long answer …
    assert all(len(page) + 2 <= height for page in pages), [len(page) for page in pages]  # … on screens that fit
    first = "".join(line.strip("│ ") for line in pages[0])
    assert view.lead and view.lead[0] in first  # the direct answer is on the first screen
    folded = [line for page in pages for line in page]
    assert folded[-1] == "他の候補は「もっと」と入力すると表示します。"
    assert [line for line in folded if "画面に収まらない続き" in line or "（前の回答の続きです）" in line]

    def marks(lines: list[str]) -> list[str]:  # the cases, the table rows' ranks and places, the passages
        import re

        return [m.group(0) for line in lines for m in [re.match(r"(│ ■ \S+|│ \d+ +│ \S+|\d+\. )", line)] if m]

    assert marks(folded) == marks(whole)


@pytest.mark.parametrize("question", ["業務委託でCIO補佐官を置いた例は？", "大阪府のCIO補佐官の任期は？",
                                      "テレワークできる事例は", "座談会で東京都CIOは研修について何と言っていた？",
                                      "大阪府と奈良県のCIO補佐官の報酬を比べて"])
def test_the_direct_answer_is_its_lead_and_facts_said_and_a_kept_answer_shows_them_again(hosakan, question):
    answer = hosakan.ask(question)
    assert answer.direct_answer == "\n".join([*answer.lead, *(f.sentence() for f in answer.facts)])
    view = present(Shown(answer), escalate=True)
    assert view.lead == answer.lead and [c.name for c in view.cases] == [f.name for f in answer.facts]
    again = Answer.from_contract(answer.contract(), more=bool(answer.more))
    assert again.lead == answer.lead and again.facts == answer.facts
    shown = present(Shown(again), escalate=True)
    assert (shown.lead, shown.cases, shown.footnotes) == (view.lead, view.cases, view.footnotes)


def test_each_case_is_cited_from_the_record_it_was_taken_from(hosakan):
    answer = hosakan.ask("業務委託でCIO補佐官を置いた例は？")
    records = hosakan.index.records
    assert answer.facts and all(f.listed and f.record_id in records for f in answer.facts)
    assert [c.source for c in present(Shown(answer), escalate=False).cases] == \
        [records[f.record_id].source.label() for f in answer.facts]


def test_an_answer_kept_before_facts_were_kept_shows_its_lines_as_they_stand(hosakan):
    contract = hosakan.ask("業務委託でCIO補佐官を置いた例は？").contract()
    del contract["facts"]
    view = answer_data({**contract, "page": 0, "first": 1, "has_more": False, "answer_id": "x"})["view"]
    assert view["lead"] == contract["direct_answer"].splitlines() and view["cases"] == []


def test_the_next_page_of_candidates_has_no_direct_answer(hosakan):
    answer = hosakan.ask("業務委託でCIO補佐官を置いた例は？", page=1)
    assert answer.direct_answer is None and not answer.lead and not answer.facts
    view = present(Shown(answer, first=4), escalate=False)
    assert not view.lead and not view.cases
