"""The real slack-bolt app, served by `hosakan serve`'s aiohttp server on 127.0.0.1, receiving
requests signed the way Slack signs them, and talking to a stand-in of Slack's servers."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from hosakan.adapters.server import Server
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Action
from hosakan.bot.sentences import officials
from hosakan.bot.service import LiveIndex
from hosakan.bot.storage.history import now
from tests.support.knowledge import recording_conversation
from tests.support.slack import (
    PAYLOADS,
    SECRET,
    all_text,
    button,
    event,
    feedback,
    has_feedback,
    post,
    reason_submitted,
    serving_slack,
    signature,
    trigger,
    vote,
)
from tests.support.slack_standin import SlackStandIn

MISCHIEF = """---
id: mischief-town-cio
kind: case
title: 悪戯町 CIO補佐官の募集 <!channel>
summary: "悪戯町の事例 <!channel> <@U0VICTIM> <https://evil.example/|ここをクリック> & more"
municipality: 悪戯町
prefecture: 東京都
reading: いたずらちょう
roles: [CIO補佐官]
term: 任期1年 <!here>
reviewed: 2026-11-23
source:
  title: テスト <@U0VICTIM>
---
## 概要
悪戯町のCIO補佐官。<!everyone> *太字* と <https://evil.example/|リンク> を含む。
"""


@pytest.fixture(scope="module")
def slack(loop, tmp_path_factory):
    """Hosakan serving Slack, with one mischievous record in its index."""
    talk = recording_conversation(tmp_path_factory.mktemp("slack"), {"mischief-town-cio": MISCHIEF})
    with serving_slack(loop, talk, slack_admins=["U0ADMIN"]) as served:
        yield served


@pytest.fixture
def clean(slack):
    server, standin = slack
    standin.calls.clear()
    return server, standin


def command(standin: SlackStandIn, text: str, trigger_id: str | None = None) -> str:
    payload = json.loads((PAYLOADS / "slash_command.json").read_text(encoding="utf-8"))
    payload.update(text=text, response_url=payload["response_url"].replace("{hooks}", standin.url),
                   trigger_id=trigger_id or trigger())
    return urlencode(payload)


def click(standin: SlackStandIn, action_id: str, value: str) -> str:
    raw = (PAYLOADS / "block_actions.json").read_text(encoding="utf-8").replace("{hooks}", standin.url)
    payload = json.loads(raw)
    payload["trigger_id"] = trigger()
    payload["actions"][0].update(action_id=action_id, value=value)
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)})


def test_a_mention_is_answered_in_its_thread_after_the_ack(clean):
    server, standin = clean
    status, _, acked_at = post(server, event("app_mention", event_id="EvMention1"), "application/json")
    assert status == 200
    [message] = standin.wait_for(1, "chat.postMessage")
    assert message["at"] >= acked_at  # Slack got its 200 before the answer was posted
    payload = message["payload"]
    assert payload["channel"] == "C0FORUM" and payload["thread_ts"] == "1700000000.000100"
    assert message["auth"] == "Bearer xoxb-test-token"
    text = all_text(payload["blocks"])
    assert "60万円" in payload["text"] and "60万円" in text
    assert "出典：" in text and "\u200b*" in text  # citation context line, matched terms in bold
    assert Action.decode(feedback(payload["blocks"], True)["value"]).kind == "up"  # Slack's own 👍/👎
    assert Action.decode(feedback(payload["blocks"], False)["value"]).kind == "down"
    assert officials.QUOTED_NOT_GENERATED in text  # said to be quoted, not generated
    assert len(payload["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in payload["blocks"] if b["type"] == "section")


def test_a_direct_message_is_answered_in_its_own_thread_in_the_dm(clean):
    server, standin = clean
    assert post(server, event("message_im", event_id="EvDirect1"), "application/json")[0] == 200
    [message] = standin.wait_for(1, "chat.postMessage")
    assert message["payload"]["channel"] == "D0DIRECT" and message["payload"]["thread_ts"] == "1700000100.000200"
    assert "273,800円" in all_text(message["payload"]["blocks"])


def test_a_retried_delivery_is_answered_once(clean):
    server, standin = clean
    body = event("app_mention", "<@UHOSAKAN> 三重県のCDOの選考方法は？", event_id="EvRetry1")
    assert post(server, body, "application/json")[0] == 200
    retried = post(server, body, "application/json",
                   headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retried[0] == 200
    standin.wait_for(1, "chat.postMessage")
    time.sleep(1.0)  # give a wrongly processed retry time to show up
    assert len(standin.posts("chat.postMessage")) == 1


@pytest.mark.parametrize("case", ["wrong secret", "stale", "missing"])
def test_bad_signatures_are_rejected_and_nothing_is_posted(clean, case):
    server, standin = clean
    body = event("app_mention", event_id=f"EvBad-{case}")
    now = int(time.time())
    if case == "wrong secret":
        status = post(server, body, "application/json", sign=signature(body, now, "not-the-secret"))[0]
    elif case == "stale":
        old = now - 6 * 60
        status = post(server, body, "application/json", timestamp=old, sign=signature(body, old))[0]
    else:
        status = post(server, body, "application/json", sign="")[0]
    assert status == 401
    time.sleep(0.5)
    assert standin.posts() == []


def test_a_refused_request_leaves_no_user_id_or_question_in_the_log(clean, capfd):
    """slack-bolt logs the whole body of a request whose signature fails; `serve`'s JSON log lines
    withhold it, and a newline in the body cannot forge a line."""
    import logging

    from hosakan.bot import logs

    server, standin = clean
    body = event("app_mention", "<@UHOSAKAN> 秘密の質問\n{\"level\": \"forged\"}", event_id="EvLog1", user="U0PRIVATE")
    logs.configure(logging.DEBUG)
    try:
        assert post(server, body, "application/json", sign="v0=" + "0" * 64)[0] == 401
        unsigned_bolt = logging.getLogger("slack_bolt.App")
        unsigned_bolt.warning(f"Unhandled request ({body})")  # what bolt writes for a request nothing handles
    finally:
        logging.getLogger().handlers.clear()
    logged = capfd.readouterr().err.splitlines()
    lines = [json.loads(line) for line in logged]  # one JSON object a line, none forged
    assert lines and all(line.get("level") != "forged" for line in lines)
    assert "U0PRIVATE" not in "".join(logged) and "秘密" not in "".join(logged)
    assert any(line["logger"] == "hosakan.slack" and "signature" in line["message"] for line in lines)


def test_a_malformed_request_gets_400_or_401_never_500(clean):
    server, standin = clean
    now = int(time.time())
    cases = [  # (body, content type, timestamp header, signed?)
        ("{}", "application/json", "not-a-number", False),
        ("{}", "application/json", "1e9", False),
        ("hello", "application/json", str(now), True),
        ("[1, 2]", "application/json", str(now), True),
        ('{"type": "event_callback"}', "application/json", str(now), True),
        ('{"type": "event_callback", "event": "text"}', "application/json", str(now), True),
        ("payload=%7Bbad", "application/x-www-form-urlencoded", str(now), True),
        ("payload=%5B1%5D", "application/x-www-form-urlencoded", str(now), True),
        ("text=%FF%FE&command=%2Fhosakan", "application/x-www-form-urlencoded", str(now), True),
    ]
    for body, content_type, timestamp, signed in cases:
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.port}/slack/events", data=body.encode(), method="POST",
            headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                     "X-Slack-Signature": signature(body, int(timestamp)) if signed else "v0=00"})
        try:
            status = urllib.request.urlopen(request, timeout=10).status
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == (400 if signed else 401), (body, status)
    signed_garbage = b"\xff\xfe"
    base = f"v0:{now}:".encode() + signed_garbage
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/slack/events", data=signed_garbage, method="POST",
        headers={"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(now),
                 "X-Slack-Signature": "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    time.sleep(0.3)
    assert standin.posts() == []


def test_a_replayed_slash_command_is_answered_once(clean):
    server, standin = clean
    body = command(standin, "奈良県のCIOの月収は？", trigger_id="1700000999.0001.replay")
    assert post(server, body, "application/x-www-form-urlencoded")[0] == 200
    assert post(server, body, "application/x-www-form-urlencoded")[0] == 200  # the same request, sent again
    standin.wait_for(1, "hook:command1")
    time.sleep(1.0)
    assert len([c for c in standin.calls if c["method"].startswith("hook:")]) == 1


def test_the_slash_command_answers_only_the_asker_and_can_be_shared(clean):
    server, standin = clean
    status, body, _ = post(server, command(standin, "業務委託でCIO補佐官を置いた例は？"),
                           "application/x-www-form-urlencoded")
    assert status == 200 and body == ""
    [reply] = standin.wait_for(1, "hook:command1")
    payload = reply["payload"]
    assert payload["response_type"] == "ephemeral"
    text = all_text(payload["blocks"])
    assert "質問：業務委託でCIO補佐官を置いた例は？" in text  # Slack shows nobody the command's text
    assert "米原市" in text and "小松島市" in text
    share = button(payload["blocks"], "hosakan_share")
    assert share["text"]["text"] == "チャンネルに共有"

    standin.calls.clear()
    assert post(server, click(standin, "hosakan_share", share["value"]), "application/x-www-form-urlencoded")[0] == 200
    [shared] = standin.wait_for(1, "hook:action1")
    assert shared["payload"]["response_type"] == "in_channel"
    shared_text = all_text(shared["payload"]["blocks"])
    assert "<@U0CLICKER> さんが共有した回答です" in shared_text and "米原市" in shared_text
    assert "hosakan_share" not in shared_text


def test_a_thumbs_down_is_recorded_and_asks_why_in_a_dialog_whose_reason_joins_the_vote(clean):
    server, standin = clean
    history = server.conversation.history
    post(
        server, event("app_mention", "<@UHOSAKAN> 大阪府のCIO補佐官の任期は？", event_id="EvVote1"), "application/json"
    )
    [message] = standin.wait_for(1, "chat.postMessage")
    down = feedback(message["payload"]["blocks"], False)
    assert down["text"]["text"] == "👎" and down["accessibility_label"] == officials.UNHELPFUL_LABEL
    assert post(server, vote(standin, down), "application/x-www-form-urlencoded")[0] == 200
    [opened] = standin.wait_for(1, "views.open")
    assert opened["payload"]["trigger_id"]  # the press's own trigger, within its 3 seconds
    entry = history.feedback(now() - timedelta(minutes=5))[-1]
    assert entry.question == "大阪府のCIO補佐官の任期は？" and entry.helpful is False and entry.reason is None
    assert entry.hit_ids and entry.hit_ids[0].startswith("osaka-pref-cio-hosakan#")
    assert entry.user_hash != "U0CLICKER" and len(entry.user_hash) == 16  # stored hashed
    assert not standin.posts("hook:action1")  # the dialog is the acknowledgement: nothing in the thread

    status, body, _ = post(server, reason_submitted(standin, opened, 2, "<!channel> 2019年の数字です"),
                           "application/x-www-form-urlencoded")
    assert status == 200 and json.loads(body)["response_action"] == "update"
    assert officials.REASON_THANKS in all_text(json.loads(body)["view"]["blocks"])
    assert history.recorder.flush()
    votes = [v for v in history.feedback(now() - timedelta(minutes=5)) if v.question == entry.question]
    assert len(votes) == 1 and votes[0].reason == f"{officials.REASONS[2]}：<!channel> 2019年の数字です"
    assert post(server, reason_submitted(standin, opened, None, None), "application/x-www-form-urlencoded")[0] == 200


def test_a_thumbs_up_thanks_and_a_refused_dialog_still_keeps_the_thumbs_down(clean):
    server, standin = clean
    post(server, event("app_mention", "<@UHOSAKAN> 奈良県のCIOの月収は？", event_id="EvVote2"), "application/json")
    [message] = standin.wait_for(1, "chat.postMessage")
    assert post(server, vote(standin, feedback(message["payload"]["blocks"], True)),
                "application/x-www-form-urlencoded")[0] == 200
    [thanks] = standin.wait_for(1, "hook:action1")
    assert thanks["payload"]["response_type"] == "ephemeral" and thanks["payload"]["text"] == officials.thanks(True)
    assert not standin.posts("views.open")
    standin.refused["views.open"] = "expired_trigger_id"
    try:
        post(server, vote(standin, feedback(message["payload"]["blocks"], False)), "application/x-www-form-urlencoded")
        thanked = standin.wait_for(2, "hook:action1")[-1]
    finally:
        standin.refused.clear()
    assert thanked["payload"]["text"] == officials.thanks(False)
    votes = server.conversation.history.feedback(now() - timedelta(minutes=5))
    assert [v.helpful for v in votes if v.question == "奈良県のCIOの月収は？"] == [True, False]


def test_more_candidates_shows_the_next_hits(clean):
    server, standin = clean
    post(server, event("app_mention", "<@UHOSAKAN> CIO補佐官の報酬", event_id="EvMore1"), "application/json")
    [message] = standin.wait_for(1, "chat.postMessage")
    first = json.loads(button(message["payload"]["blocks"], "hosakan_more")["value"])
    more = button(message["payload"]["blocks"], "hosakan_more")
    post(server, click(standin, "hosakan_more", more["value"]), "application/x-www-form-urlencoded")
    [others] = standin.wait_for(1, "hook:action1")
    text = all_text(others["payload"]["blocks"])
    assert "他の候補" in text
    shown = json.loads(feedback(others["payload"]["blocks"], True)["value"])["h"]
    assert shown and not set(shown) & set(first["h"])


def test_record_text_cannot_ping_or_link(clean):
    server, standin = clean
    post(server, event("app_mention", "<@UHOSAKAN> 悪戯町のCIO補佐官", event_id="EvMischief1"), "application/json")
    [message] = standin.wait_for(1, "chat.postMessage")
    text = all_text(message["payload"]["blocks"]) + message["payload"]["text"]
    assert "悪戯町" in text
    for raw in ("<!channel>", "<@U0VICTIM>", "<https://evil.example/|", "<!here>", "<!everyone>"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U0VICTIM&gt;" in text and "&amp; more" in text


def test_a_question_with_markup_is_echoed_as_text(clean):
    server, standin = clean
    asked = "<!channel> 奈良県 <https://evil.example/|x> *太字* _斜体_ ~取消~ `コード` のCIO"
    post(server, command(standin, asked), "application/x-www-form-urlencoded")
    [reply] = standin.wait_for(1, "hook:command1")
    echoed = next(e["text"] for b in reply["payload"]["blocks"] if b["type"] == "context" for e in b["elements"]
                  if "質問：" in e["text"])
    assert "<!channel>" not in echoed
    for marker in ("*", "_", "~", "`"):  # Slack has no escape for these: they would format the echo
        assert marker not in echoed
    assert "＊太字＊ ＿斜体＿ ～取消～ ｀コード｀" in echoed


def test_a_very_long_message_gets_a_short_polite_refusal(clean):
    server, standin = clean
    post(server, event("message_im", "奈良県" * 3_400, event_id="EvLong1"), "application/json")
    [message] = standin.wait_for(1, "chat.postMessage")
    assert "長すぎます" in message["payload"]["text"] and len(all_text(message["payload"]["blocks"])) < 1_000


@pytest.mark.parametrize("text", ["<@UHOSAKAN>", "<@UHOSAKAN> help", "<@UHOSAKAN> ヘルプ"])
def test_an_empty_mention_or_help_shows_usage(clean, text):
    server, standin = clean
    post(server, event("app_mention", text, event_id=f"EvHelp-{text}"), "application/json")
    [message] = standin.wait_for(1, "chat.postMessage")
    assert "質問の例" in all_text(message["payload"]["blocks"])


@pytest.mark.parametrize("fields", [
    {"bot_id": "B0OTHER"},
    {"subtype": "message_changed"},
    {"subtype": "channel_join"},
    {"user": "UHOSAKAN", "bot_id": "BHOSAKAN"},
])
def test_bots_edits_and_joins_are_ignored(clean, fields):
    server, standin = clean
    assert post(server, event("message_im", event_id=f"EvIgnore-{sorted(fields.items())}", **fields),
                "application/json")[0] == 200
    time.sleep(0.7)
    assert standin.posts("chat.postMessage") == []


def test_out_of_scope_questions_get_the_honest_answer(clean):
    server, standin = clean
    post(server, event("message_im", "今日の天気は？", event_id="EvWeather1"), "application/json")
    [message] = standin.wait_for(1, "chat.postMessage")
    assert "見つかりませんでした" in message["payload"]["text"]
    assert not has_feedback(message["payload"]["blocks"])


def test_a_failure_inside_gets_an_apology_with_an_error_id(loop, slack, caplog):
    server, standin = slack
    closed = LiveIndex(server.settings)
    closed.close()  # its index readers are gone: every search fails
    failing = Server(server.settings, Conversation(closed), slack=server.given["slack"], teams=TeamsSettings())
    loop.run(failing.start())
    try:
        standin.calls.clear()
        with caplog.at_level("ERROR", logger="hosakan.bot"):
            post(failing, event("app_mention", "<@UHOSAKAN> 大阪府のCIO補佐官の任期は？", event_id="EvBroken1"),
                 "application/json")
            [apology] = standin.wait_for(1, "chat.postMessage")
        text = apology["payload"]["text"]
        error_id = text.split("エラーID：")[1].rstrip("）。")
        assert "申し訳ありません" in text and len(error_id) == 8
        assert error_id in caplog.text and "大阪府" not in caplog.text
    finally:
        loop.run(failing.stop())


def test_a_failing_database_still_thanks_for_the_vote_and_records_it_when_it_is_back(clean, tmp_path):
    import sqlite3

    server, standin = clean
    history = server.conversation.history
    assert history.recorder.flush()
    with sqlite3.connect(history.engine.url.database) as database:
        database.execute("DROP TABLE feedback")  # the database fails under the bot
    value = Action(a="up", q="大阪府のCIO補佐官の任期は？", h=["osaka-pref-cio-hosakan#01"]).encode()
    assert post(server, vote(standin, {"value": value}), "application/x-www-form-urlencoded")[0] == 200
    [thanks] = standin.wait_for(1, "hook:action1")
    assert "申し訳ありません" not in thanks["payload"]["text"]  # thanked, not apologised to
    assert history.recorder.flush(timeout=10)  # the Recorder recreates the table and writes the vote
    votes = history.feedback(now() - timedelta(minutes=1))
    assert [(v.question, v.helpful) for v in votes] == [("大阪府のCIO補佐官の任期は？", True)]


def test_healthz_reports_the_index_and_platforms(clean):
    server, _ = clean
    assert server.conversation.history.recorder.flush()  # what earlier tests' answers left to record
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=10) as response:
        health = json.loads(response.read())
    assert health["status"] == "ok" and health["platforms"] == {
        "slack": "http", "teams": "off", "api": "off", "mcp": "off", "web": "local",
    }
    assert health["history"]["status"] == "ok" and health["history"]["pending"] == 0
    assert health["index"]["records"] == 20 and health["index"]["generation"].startswith("gen-")


def test_the_manifest_asks_for_exactly_what_the_app_uses():
    import yaml

    manifest = yaml.safe_load(
        (Path(__file__).parent.parent / "adapters" / "slack" / "manifest.yaml").read_text(encoding="utf-8")
    )
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention", "message.im", "message.channels", "message.groups", "app_home_opened",
    }
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read", "chat:write", "commands", "im:history",
        "channels:history", "groups:history", "assistant:write",
    }
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/hosakan"]
    assert settings["interactivity"]["is_enabled"] is True
    urls = {settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            manifest["features"]["slash_commands"][0]["url"]}
    assert urls == {"https://YOUR-HOST/slack/events"}


def test_questions_are_recorded_with_hashed_users(clean):
    server, standin = clean
    post(server, event("message_im", "横浜市のCIO補佐官の報酬は？", event_id="EvRecord1"), "application/json")
    standin.wait_for(1, "chat.postMessage")
    recorded = server.conversation.history.questions(now() - timedelta(minutes=5))[-1]
    assert recorded.question == "横浜市のCIO補佐官の報酬は？" and recorded.answered is False
    assert recorded.platform == "slack" and recorded.user_hash != "U0ASKER"


@pytest.mark.parametrize("command", ["stats", "reindex", "gaps"])
def test_admin_commands_are_refused_to_others_and_logged(clean, command, caplog):
    server, standin = clean
    with caplog.at_level("WARNING", logger="hosakan.bot"):
        post(server, event("message_im", command, event_id=f"EvRefuse-{command}"), "application/json")
        [message] = standin.wait_for(1, "chat.postMessage")
    assert "管理者のみ" in message["payload"]["text"]
    assert f"refused admin command '{command}'" in caplog.text


def test_admins_get_stats_gaps_and_reindex(clean):
    server, standin = clean
    post(server, event("message_im", "札幌市のCDOの任期は？", event_id="EvGap1"), "application/json")
    standin.wait_for(1, "chat.postMessage")
    replies = []
    for number, command in enumerate(["stats", "gaps", "reindex"], 2):
        post(server, event("message_im", command, event_id=f"EvAdmin-{command}", user="U0ADMIN"), "application/json")
        replies.append(all_text(standin.wait_for(number, "chat.postMessage")[-1]["payload"]["blocks"]))
    assert "インデックス：gen-" in replies[0] and "直近30日：質問" in replies[0]
    assert "札幌市のCDOの任期は？" in replies[1]
    assert "記録に変更はありませんでした" in replies[2]


def test_ask_a_person_forwards_the_question_to_the_maintainers(clean):
    server, standin = clean
    post(server, event("app_mention", "<@UHOSAKAN> 大津市のCIO補佐官は？", event_id="EvEscalate1"), "application/json")
    [message] = standin.wait_for(1, "chat.postMessage")
    escalate = button(message["payload"]["blocks"], "hosakan_escalate")
    assert escalate["text"]["text"] == "担当者に聞く"
    standin.calls.clear()
    payload = json.loads((PAYLOADS / "block_actions.json").read_text(encoding="utf-8").replace("{hooks}", standin.url))
    payload["actions"][0].update(action_id="hosakan_escalate", value=escalate["value"])
    payload["container"].update(is_ephemeral=False, message_ts="1700000000.000100")
    post(server, urlencode({"payload": json.dumps(payload, ensure_ascii=False)}), "application/x-www-form-urlencoded")
    [told] = standin.wait_for(1, "hook:action1")
    assert "CIOフォーラム事務局に質問を転送しました" in told["payload"]["text"]
    forwarded = [c for c in standin.posts("chat.postMessage") if c["payload"]["channel"] == "C0MAINTAINERS"]
    assert len(forwarded) == 1
    text = all_text(forwarded[0]["payload"]["blocks"])
    assert "大津市のCIO補佐官は？" in text and "<@U0CLICKER>" in text and "元の回答" in text
    assert standin.posts("chat.getPermalink")
    assert server.conversation.history.escalations()[-1].sent_to == "slack:C0MAINTAINERS"


def _thread(server, standin, first: str, follow_up: str, thread: str) -> list[dict]:
    """A mention that starts a thread, then a reply in it without a mention: what Hosakan posted."""
    post(
        server, event("app_mention", f"<@UHOSAKAN> {first}", event_id=f"EvStart{thread}", ts=thread), "application/json"
    )
    standin.wait_for(1, "chat.postMessage")
    post(server, event("message_thread", follow_up, event_id=f"EvFollow{thread}", thread_ts=thread,
                       ts=f"{thread[:-1]}9"), "application/json")
    return standin.wait_for(2, "chat.postMessage")


def test_a_reply_in_a_thread_hosakan_answered_is_a_follow_up_without_a_mention(clean):
    server, standin = clean
    first, second = _thread(server, standin, "印西市のCIO補佐官の募集について", "勤務日数は？", "1700000200.000300")
    assert second["payload"]["thread_ts"] == "1700000200.000300"
    text = all_text(second["payload"]["blocks"])
    assert "（印西市・CIO補佐官について）" in text and "週1回以外はリモートワーク" in text
    # and a reply naming another place keeps the topic and switches the place
    post(server, event("message_thread", "奈良市は？", event_id="EvFollow3", thread_ts="1700000200.000300",
                       ts="1700000200.000400"), "application/json")
    third = all_text(standin.wait_for(3, "chat.postMessage")[-1]["payload"]["blocks"])
    assert "（CIO補佐官・勤務日数について）" in third and "奈良市の記録には勤務形態の記載がありません" in third


def test_replies_in_other_threads_and_mentions_in_threads_are_not_answered_twice(clean):
    server, standin = clean
    post(server, event("message_thread", "勤務日数は？", event_id="EvStranger1", thread_ts="1600000000.000100",
                       ts="1600000000.000200"), "application/json")
    # a reply that mentions Hosakan arrives twice (app_mention and message): one answer
    post(server, event("message_thread", "<@UHOSAKAN> 任期は？", event_id="EvMentionInThread1",
                       thread_ts="1700000200.000300", ts="1700000200.000500"), "application/json")
    time.sleep(1.0)
    assert standin.posts("chat.postMessage") == []


def test_a_comparison_is_a_native_table_with_a_text_fallback(clean):
    server, standin = clean
    post(
        server, event("message_im", "大阪府と奈良県のCIO補佐官の報酬を比べて", event_id="EvTable1"), "application/json"
    )
    [message] = standin.wait_for(1, "chat.postMessage")
    [table] = [b for b in message["payload"]["blocks"] if b["type"] == "table"]
    rows = [[cell["text"] for cell in row] for row in table["rows"]]
    assert rows[0][:3] == ["自治体", "役職", "報酬（年額換算）"]
    assert ["大阪府", "CIO補佐官", "1,140万円（年額）"] in [row[:3] for row in rows]
    assert ["奈良県", "CIO", "720万円（月額×12）"] in [row[:3] for row in rows]  # 月収 約60万円, as a year
    assert all(cell["type"] == "raw_text" for row in table["rows"] for cell in row)
    text = all_text(message["payload"]["blocks"])
    assert "賞与・手当は加えていません" in text
    blocks = message["payload"]["blocks"]
    notes = blocks[blocks.index(table) + 1]["elements"][0]["text"]  # both rows' one source, said once
    assert notes.count("出典：") == 1
    assert "1,140万円" in message["payload"]["text"] and "720万円" in message["payload"]["text"]


def test_more_in_a_dm_pages_onward_until_the_candidates_run_out(clean):
    server, standin = clean
    post(server, event("message_im", "CIO補佐官の報酬", event_id="EvPage0", channel="D0PAGING"), "application/json")
    standin.wait_for(1, "chat.postMessage")
    seen, pages = set(), 0
    for number in range(1, 20):
        post(server, event("message_im", "もっと", event_id=f"EvPage{number}", channel="D0PAGING"), "application/json")
        message = standin.wait_for(number + 1, "chat.postMessage")[-1]["payload"]
        if "もうありません" in message["text"]:
            break
        shown = Action.decode(feedback(message["blocks"], True)["value"]).hits
        assert shown and not set(shown) & seen  # every page shows new candidates
        assert "件目）" in all_text(message["blocks"])
        seen |= set(shown)
        pages += 1
    else:
        pytest.fail("paging never ran out")
    assert pages >= 1 and f"これまでに{(pages + 1) * 3}件" in message["text"]


def test_an_answer_past_slacks_fifty_blocks_is_folded_keeping_the_label_and_every_button():
    from hosakan.adapters.slack.render import context_block, folded

    body = [{"type": "section", "text": {"type": "mrkdwn", "text": f"事例{n}"}} for n in range(70)]
    body.insert(40, {"type": "divider"})
    tail = [context_block(officials.QUOTED_NOT_GENERATED), {"type": "context_actions", "elements": []},
            {"type": "actions", "elements": []}]
    blocks = folded(body, tail)
    assert len(blocks) == 50 and blocks[-3:] == tail
    assert blocks[-4] == context_block(officials.FOLDED) and blocks[-5]["type"] == "section"
    assert folded(body[:10], tail) == body[:10] + tail  # what fits is not touched
