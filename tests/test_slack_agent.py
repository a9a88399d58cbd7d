"""Slack's direct messages as the agent messaging experience has them (and the legacy assistant
threads), through the real slack-bolt app served on 127.0.0.1, with requests signed as Slack signs
them and a stand-in of Slack's Web API."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
import yaml

from hosakan.bot.chat.prompts import suggested_questions
from hosakan.bot.events import Action
from hosakan.bot.sentences import officials
from tests.support.knowledge import recording_conversation
from tests.support.slack import PAYLOADS, all_text, button, feedback, post, serving_slack, trigger, vote
from tests.support.slack_standin import SlackStandIn

DM = "D0ASSIST"
STARTED = "assistant_thread_started"
_message_number = itertools.count(1)


@pytest.fixture(scope="module")
def slack(loop, tmp_path_factory):
    talk = recording_conversation(tmp_path_factory.mktemp("assistant"), {})
    with serving_slack(loop, talk) as served:
        yield served


@pytest.fixture
def clean(slack):
    server, standin = slack
    standin.calls.clear()
    return server, standin


def thread_event(name: str, thread: str, event_id: str) -> str:
    """An assistant_thread_started / _context_changed event for ``thread`` in the assistant DM."""
    payload = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    payload["event"]["assistant_thread"]["thread_ts"] = thread
    payload["event_id"] = event_id
    return json.dumps(payload, ensure_ascii=False)


def said(text: str, thread: str, event_id: str, **fields) -> str:
    """What the user typed in assistant thread ``thread``."""
    payload = json.loads((PAYLOADS / "message_assistant.json").read_text(encoding="utf-8"))
    ts = f"{thread[:-3]}{100 + next(_message_number):03d}"
    payload["event"].update(text=text, thread_ts=thread, ts=ts, event_ts=ts, **fields)
    payload["event_id"] = event_id
    return json.dumps(payload, ensure_ascii=False)


def press(standin: SlackStandIn, message: dict, action_id: str) -> str:
    """A button pressed on ``message``, a message Hosakan posted in an assistant thread."""
    raw = (PAYLOADS / "block_actions.json").read_text(encoding="utf-8").replace("{hooks}", standin.url)
    payload = json.loads(raw)
    sent = message["payload"]
    payload["trigger_id"] = trigger()
    payload["container"] = {"type": "message", "message_ts": "1700000599.000001", "channel_id": sent["channel"],
                            "is_ephemeral": False, "thread_ts": sent["thread_ts"]}
    payload["channel"] = {"id": sent["channel"], "name": "directmessage"}
    payload["message"] = {"type": "message", "ts": "1700000599.000001", "thread_ts": sent["thread_ts"],
                          "blocks": sent["blocks"]}
    payload["actions"][0].update(action_id=action_id, value=button(sent["blocks"], action_id)["value"])
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)})


def in_thread(standin: SlackStandIn, thread: str) -> list[dict]:
    return [c for c in standin.posts("chat.postMessage") if c["payload"].get("thread_ts") == thread]


def test_a_thread_start_greets_and_suggests_questions_from_the_knowledge_base(clean):
    server, standin = clean
    thread = "1700000500.000100"
    assert post(server, thread_event(STARTED, thread, "EvStart1"), "application/json")[0] == 200
    [suggestion] = standin.wait_for(1, "assistant.threads.setSuggestedPrompts")
    sent = suggestion["payload"]
    assert sent["channel_id"] == DM and sent["thread_ts"] == thread
    questions = [p["message"] for p in sent["prompts"]]
    assert 1 <= len(questions) <= 4 and [p["title"] for p in sent["prompts"]] == questions
    cases = server.conversation.service.retriever.casebook.cases
    named = [next((c.municipality for c in cases if q.startswith(c.municipality + "の")), None) for q in questions]
    assert None not in named and len(set(named)) == len(named)  # each names a different case's municipality
    for question in questions:  # and each is one Hosakan answers from the records
        assert server.conversation.service.ask(question).answered, question
    [greeting] = standin.wait_for(1, "chat.postMessage")
    assert greeting["payload"]["channel"] == DM and greeting["payload"]["thread_ts"] == thread
    assert greeting["payload"]["text"] == officials.ASSISTANT_GREETING


def test_suggestions_follow_the_records_each_fact_about_another_place():
    def case(place, role, **facts):
        return SimpleNamespace(**{"municipality": place, "roles": [role], "term": None, "compensation": [],
                                  "work_style": None, "selection": None, **facts})

    cases = [case("甲市", "CIO", term="2年", compensation=["月額"]), case("乙町", "CDO", compensation=["年額"]),
             case("丙村", "CIO補佐官", selection="公募")]
    assert suggested_questions(cases) == ["甲市のCIOの任期は？", "乙町のCDOの報酬は？", "丙村のCIO補佐官の選考方法は？"]
    assert suggested_questions(cases, limit=2) == ["甲市のCIOの任期は？", "乙町のCDOの報酬は？"]
    assert suggested_questions(cases[1:2]) == ["乙町のCDOの報酬は？"]
    assert suggested_questions([]) == []


def test_a_question_is_answered_in_its_thread_with_status_title_and_buttons(clean):
    server, standin = clean
    thread = "1700000600.000100"
    question = "大阪府のCIO補佐官の任期は？"
    status, _, acked_at = post(server, said(question, thread, "EvAsk1"), "application/json")
    assert status == 200
    [answer] = standin.wait_for(1, "chat.postMessage")
    assert answer["at"] >= acked_at and answer["payload"]["channel"] == DM and answer["payload"]["thread_ts"] == thread
    [working] = standin.posts("assistant.threads.setStatus")
    assert {k: working["payload"].get(k) for k in ("channel_id", "thread_ts", "status")} == {
        "channel_id": DM, "thread_ts": thread, "status": "調べています…"}
    assert working["at"] <= answer["at"]
    [titled] = standin.posts("assistant.threads.setTitle")
    assert {k: titled["payload"].get(k) for k in ("channel_id", "thread_ts", "title")} == {
        "channel_id": DM, "thread_ts": thread, "title": question}
    blocks = answer["payload"]["blocks"]
    osaka = next(c for c in server.conversation.service.retriever.casebook.cases if c.municipality == "大阪府")
    assert osaka.term in all_text(blocks) and "出典：" in all_text(blocks)
    assert {e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]} >= {
        "hosakan_more", "hosakan_escalate"}
    assert feedback(blocks, True)["text"]["text"] == "👍" and feedback(blocks, False)["text"]["text"] == "👎"
    assert blocks[-1]["type"] == "actions" and officials.QUOTED_NOT_GENERATED in all_text(blocks)
    time.sleep(1.0)  # a second answer (the DM listener's) would show up by now
    assert len(standin.posts("chat.postMessage")) == 1


def test_a_long_first_question_titles_the_thread_shortened(clean):
    server, standin = clean
    question = ("業務委託でCIO補佐官を置いた例は？"
                + "、週何日の勤務で報酬はどのくらいか、選考はどうしたかも知りたいです")
    assert len(question) > 40
    post(server, said(question, "1700000650.000100", "EvLong1"), "application/json")
    standin.wait_for(1, "chat.postMessage")
    [titled] = standin.posts("assistant.threads.setTitle")
    title = titled["payload"]["title"]
    assert len(title) <= 40 and title.endswith("…") and question.startswith(title[:-1])


def test_a_follow_up_in_the_thread_carries_its_context_and_another_thread_does_not(clean):
    server, standin = clean
    thread, other = "1700000700.000100", "1700000800.000100"
    post(server, said("大阪府のCIO補佐官の任期は？", thread, "EvFollow1"), "application/json")
    standin.wait_for(1, "chat.postMessage")
    post(server, said("報酬は？", thread, "EvFollow2"), "application/json")
    follow_up = all_text(standin.wait_for(2, "chat.postMessage")[-1]["payload"]["blocks"])
    assert "（大阪府・CIO補佐官について）" in follow_up
    osaka = next(c for c in server.conversation.service.retriever.casebook.cases if c.municipality == "大阪府")
    assert osaka.compensation[0].as_written in follow_up
    assert len(standin.posts("assistant.threads.setTitle")) == 1  # titled after its first question only
    post(server, said("報酬は？", other, "EvFollow3"), "application/json")
    elsewhere = standin.wait_for(3, "chat.postMessage")[-1]
    assert elsewhere["payload"]["thread_ts"] == other
    assert "（大阪府" not in all_text(elsewhere["payload"]["blocks"])


def test_buttons_in_an_assistant_thread_answer_in_the_thread(clean):
    server, standin = clean
    thread = "1700000900.000100"
    post(server, said("CIO補佐官の報酬", thread, "EvButton1"), "application/json")
    [answer] = standin.wait_for(1, "chat.postMessage")
    first = Action.decode(feedback(answer["payload"]["blocks"], True)["value"]).hits

    assert post(server, press(standin, answer, "hosakan_more"), "application/x-www-form-urlencoded")[0] == 200
    others = standin.wait_for(2, "chat.postMessage")[-1]["payload"]
    assert others["channel"] == DM and others["thread_ts"] == thread
    assert "他の候補" in all_text(others["blocks"])
    shown = Action.decode(feedback(others["blocks"], True)["value"]).hits
    assert shown and not set(shown) & set(first)

    container = {"type": "message", "message_ts": "1700000599.000001", "channel_id": DM, "is_ephemeral": False,
                 "thread_ts": thread}
    assert post(server, vote(standin, feedback(answer["payload"]["blocks"], True), container),
                "application/x-www-form-urlencoded")[0] == 200
    thanks = standin.wait_for(3, "chat.postMessage")[-1]["payload"]
    assert thanks["thread_ts"] == thread and thanks["text"] == officials.thanks(True)
    assert not [c for c in standin.calls if c["method"].startswith("hook:")]  # nothing beside the thread


def dm(text: str, ts: str, event_id: str, channel: str = "D0AGENT") -> str:
    """What the user typed in the app's Messages tab, outside any thread (the agent view's composer)."""
    raw = json.loads((PAYLOADS / "message_im.json").read_text(encoding="utf-8"))
    raw["event"].update(text=text, ts=ts, event_ts=ts, channel=channel)
    raw["event_id"] = event_id
    return json.dumps(raw, ensure_ascii=False)


def test_the_messages_tab_opened_suggests_questions_for_the_whole_dm(clean):
    server, standin = clean
    opened = json.loads((PAYLOADS / "app_home_opened.json").read_text(encoding="utf-8"))
    assert post(server, json.dumps(opened, ensure_ascii=False), "application/json")[0] == 200
    [suggestion] = standin.wait_for(1, "assistant.threads.setSuggestedPrompts")
    sent = suggestion["payload"]
    assert sent["channel_id"] == opened["event"]["channel"] and "thread_ts" not in sent
    assert 1 <= len(sent["prompts"]) <= 4 and sent["title"] == officials.ASSISTANT_PROMPTS_TITLE
    opened["event"]["tab"], opened["event_id"] = "home", "EvHome2"  # the Home tab: nothing to suggest
    assert post(server, json.dumps(opened, ensure_ascii=False), "application/json")[0] == 200
    time.sleep(1.0)
    assert len(standin.posts()) == 1


def test_a_dm_outside_a_thread_opens_its_own_thread_and_typed_follow_ups_carry_either_way(clean):
    server, standin = clean
    root = "1700002000.000100"
    assert post(server, dm("大阪府のCIO補佐官の任期は？", root, "EvAgent1"), "application/json")[0] == 200
    [answer] = standin.wait_for(1, "chat.postMessage")
    assert answer["payload"]["channel"] == "D0AGENT" and answer["payload"]["thread_ts"] == root
    [working] = standin.posts("assistant.threads.setStatus")
    assert (working["payload"]["thread_ts"], working["payload"]["status"]) == (root, officials.ASSISTANT_THINKING)
    [titled] = standin.posts("assistant.threads.setTitle")
    assert (titled["payload"]["thread_ts"], titled["payload"]["title"]) == (root, "大阪府のCIO補佐官の任期は？")
    time.sleep(1.0)
    assert len(standin.posts("chat.postMessage")) == 1  # answered once
    osaka = next(c for c in server.conversation.service.retriever.casebook.cases if c.municipality == "大阪府")
    # a follow-up in the answer's thread …
    post(server, said("報酬は？", root, "EvAgent2", channel="D0AGENT"), "application/json")
    in_thread_reply = standin.wait_for(2, "chat.postMessage")[-1]["payload"]
    assert in_thread_reply["thread_ts"] == root and osaka.compensation[0].as_written in all_text(
        in_thread_reply["blocks"])
    # … and one typed in the DM as before threads: both go on from the question
    post(server, dm("報酬は？", "1700002100.000100", "EvAgent3"), "application/json")
    typed = standin.wait_for(3, "chat.postMessage")[-1]["payload"]
    assert typed["thread_ts"] == "1700002100.000100" and "（大阪府・CIO補佐官について）" in all_text(typed["blocks"])


def test_bot_messages_and_a_context_change_in_a_thread_get_no_answer(clean):
    server, standin = clean
    thread = "1700001000.000100"
    assert post(server, said("大阪府のCIO補佐官の任期は？", thread, "EvBot1", bot_id="B0OTHER"),
                "application/json")[0] == 200
    status, _, _ = post(server, thread_event("assistant_thread_context_changed", thread, "EvContext1"),
                        "application/json")
    assert status == 200  # handled, not refused as unknown
    time.sleep(1.0)
    assert standin.posts() == []


def test_the_manifest_turns_the_agent_view_on_not_the_legacy_assistant_view():
    manifest = yaml.safe_load((Path(__file__).parent.parent / "adapters" / "slack" / "manifest.yaml")
                              .read_text(encoding="utf-8"))
    assert "assistant_view" not in manifest["features"]
    view = manifest["features"]["agent_view"]
    assert "自治体" in view["agent_description"] and "生成AI" in view["agent_description"]
    assert view["suggested_prompts"] and {p["message"] for p in view["suggested_prompts"]} <= set(officials.EXAMPLES)
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert "assistant:write" in manifest["oauth_config"]["scopes"]["bot"]
    assert {"app_home_opened", "message.im"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
