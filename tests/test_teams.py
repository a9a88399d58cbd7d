"""The Teams bot through botbuilder's CloudAdapter on `hosakan serve`'s aiohttp server, receiving
Activity JSON shaped as Teams sends it, replying to a stand-in Bot Connector on 127.0.0.1."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hosakan.adapters.server import Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.bot.events import Action
from hosakan.bot.operations.report import build_report
from hosakan.bot.storage.history import History, SentMessage, now
from tests.support.connector_standin import ConnectorStandIn
from tests.support.knowledge import recording_conversation
from tests.support.loop_thread import LoopThread

PAYLOADS = Path(__file__).parent / "payloads" / "teams"
APP_ID = "11111111-2222-4333-8444-555555555555"
MISCHIEF = """---
id: mischief-village
kind: case
title: 悪戯村 CIO補佐官 <at>All</at>
summary: "悪戯村の事例 [ここをクリック](https://evil.example/) **太字** <b>html</b> <at>Everyone</at>"
municipality: 悪戯村
prefecture: 東京都
reading: いたずらむら
roles: [CIO補佐官]
reviewed: 2026-11-23
source:
  title: テスト
---
## 概要
悪戯村のCIO補佐官。[リンク](https://evil.example/) と <script>alert(1)</script> を含む。
"""


@pytest.fixture(scope="module")
def world(loop, tmp_path_factory):
    # The stand-in gets a loop of its own: botbuilder fetches signing keys with blocking `requests`.
    connector_loop = LoopThread()
    connector = ConnectorStandIn()
    connector_loop.run(connector.start())
    talk = recording_conversation(tmp_path_factory.mktemp("teams"), {"mischief-village": MISCHIEF})
    base = TeamsSettings(teams_admins=["00000000-0000-4000-8000-0000000000a9"],
                         teams_escalation_conversation="19:maintainers@thread.tacv2")
    no_slack = SlackSettings(slack_bot_token=None)

    def server(**teams) -> Server:
        return Server(talk.settings, talk, slack=no_slack, teams=base.model_copy(update=teams))

    local = server(teams_local=True)
    credentials = {"microsoft_app_id": APP_ID, "microsoft_app_password": "not-a-real-secret"}
    secured = server(**credentials)
    stand_in_keys = server(**credentials, teams_openid_metadata_url=f"{connector.url}/openid")
    servers = {"local": local, "secured": secured, "stand_in_keys": stand_in_keys}
    for server in servers.values():
        loop.run(server.start())
    yield {**servers, "connector": connector}
    for server in servers.values():
        loop.run(server.stop())
    connector_loop.run(connector.stop())
    connector_loop.close()


@pytest.fixture
def teams(world):
    world["connector"].calls.clear()
    return world


def activity(name: str, connector: ConnectorStandIn, message: str = "", **fields) -> dict:
    """A recorded payload, sent by the stand-in's service URL; ``message``: the bot message a vote names."""
    raw = (PAYLOADS / f"{name}.json").read_text(encoding="utf-8").replace("{service}", f"{connector.url}/")
    raw = raw.replace("{message}", message)
    payload = json.loads(raw)
    payload["id"] = f"{payload['id']}-{uuid.uuid4().hex[:8]}"  # every activity the Bot Connector sends has its own id
    payload.update(fields)
    return payload


def send(server: Server, payload: dict, token: str | None = None, content_type: str = "application/json"):
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/messages", method="POST",
                                     data=json.dumps(payload, ensure_ascii=False).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def card_of(reply: dict) -> dict:
    [attachment] = reply["activity"]["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def claims(reply: dict) -> list[dict]:
    """The Teams citations of a message: its one schema.org Message entity's ``citation`` list."""
    [entity] = [e for e in reply["activity"].get("entities", []) if e.get("@type") == "Message"]
    assert entity["type"] == "https://schema.org/Message" and entity["@context"] == "https://schema.org"
    assert entity["@id"] == "" and "additionalType" not in entity  # quotations: never the AI-generated label
    return entity["citation"]


def window(claim: dict) -> dict:
    """The Adaptive Card a citation opens (its ``text``)."""
    assert claim["appearance"]["encodingFormat"] == "application/vnd.microsoft.card.adaptive"
    return json.loads(claim["appearance"]["text"])


def feedback_loop(reply: dict) -> bool:
    data = reply["activity"].get("channelData") or {}
    return data.get("feedbackLoopEnabled") is True and data.get("feedbackLoop") == {"type": "default"}


def card_text(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


def blocks(card: dict) -> list[dict]:
    """Every element of the card's body, those inside containers (folded evidence) included."""
    found, waiting = [], list(card["body"])
    while waiting:
        block = waiting.pop(0)
        found.append(block)
        waiting[:0] = block.get("items", [])
    return found


def runs(card: dict) -> str:
    """All the text a person sees in the card's RichTextBlocks (once unfolded)."""
    return "".join(
        run["text"] for block in blocks(card) if block["type"] == "RichTextBlock" for run in block["inlines"]
    )


def said(reply: dict) -> str:
    """All a person reads of a message: its text and its card."""
    cards = [a["content"] for a in reply["activity"].get("attachments", [])]
    return reply["activity"]["text"] + "".join(runs(card) for card in cards)


def opens(card: dict) -> list[dict]:
    return [a for b in blocks(card) if b["type"] == "ActionSet" for a in b["actions"]]


def pressable(card: dict) -> list[str]:
    """The titles of the buttons under the card that send something back."""
    return [a["title"] for a in card.get("actions", []) if a["type"] == "Action.Submit"]


def submit(card: dict, title: str) -> dict:
    return next(a["data"] for a in card["actions"] if title in a["title"].split())


def test_a_channel_mention_is_answered_in_the_conversation(teams):
    connector = teams["connector"]
    mention = activity("channel_mention", connector)
    status, _ = send(teams["local"], mention)
    assert status in (200, 201)
    [reply] = connector.replies()
    assert reply["conversation"] == "19:forumchannel@thread.tacv2;messageid=1700000000001"
    assert reply["reply_to"] == mention["id"]
    # the Bot Connector delivering it again (to this replica or another) gets no second answer
    assert send(teams["local"], mention)[0] == 200 and len(connector.replies()) == 1
    text = reply["activity"]["text"]
    assert reply["activity"]["textFormat"] == "markdown"
    assert "質問：奈良県のCIOの月収は？" in text and "at＞" not in text and "<at>" not in text  # the mention went
    assert "60万円" in text and "出典：" in text
    cited = claims(reply)
    assert "[1]" in text and cited[0]["appearance"]["name"] == "奈良県 任期付職員（CIO・地域DXマネージャー）の募集"
    bold = [r["text"] for b in window(cited[0])["body"] if b["type"] == "RichTextBlock" for r in b["inlines"]
            if r.get("weight") == "Bolder"]
    assert "月収" in bold  # the question's terms, marked in the passage the citation opens
    assert feedback_loop(reply) and not any("👍" in t or "👎" in t for t in pressable(card_of(reply)))


def test_a_personal_chat_message_is_a_question(teams):
    connector = teams["connector"]
    send(teams["local"], activity("personal_message", connector))
    [reply] = connector.replies()
    assert reply["conversation"] == "a:1personalchat"
    assert "273,800円" in reply["activity"]["text"]
    card = card_of(reply)
    assert pressable(card) == ["他の候補", "担当者に聞く"]  # 👍/👎 are Teams' own, under the message
    assert feedback_loop(reply)
    assert not opens(card) and "根拠" not in runs(card)  # the citations are Teams', not drawn again


def test_an_answer_cites_each_passage_as_a_teams_citation_with_its_title_quote_and_url(teams):
    connector = teams["connector"]
    fresh = {"conversationType": "personal", "id": f"a:1{uuid.uuid4().hex}"}  # nothing carried from before
    send(teams["local"], activity("personal_message", connector, text="Sakata DX office", conversation=fresh))
    [reply] = connector.replies()
    text, cited = reply["activity"]["text"], claims(reply)
    answer = teams["local"].conversation.service.ask("Sakata DX office")
    assert [c["position"] for c in cited] == list(range(1, len(answer.hits) + 1))
    assert all(f"[{c['position']}]" in text for c in cited)  # each cited where Teams draws it
    for claim, hit in zip(cited, answer.hits):
        appearance = claim["appearance"]
        assert claim["@type"] == "Claim" and appearance["@type"] == "DigitalDocument"
        assert appearance["name"] == hit.title[:80]
        assert len(appearance["abstract"]) <= 160 and appearance["abstract"].rstrip("…") in hit.snippet
        assert appearance.get("url") == hit.url
        assert hit.section in appearance["keywords"] and all(len(k) <= 28 for k in appearance["keywords"][:3])
        assert hit.snippet in runs(window(claim))  # the whole passage, in its window
    assert cited[0]["appearance"]["url"] == "https://www.city.sakata.lg.jp/shisei/dx/index.html"
    assert "AIGeneratedContent" not in json.dumps(reply["activity"])


def test_a_long_quote_is_cut_for_teams_after_its_last_whole_sentence():
    from hosakan.adapters.teams.render import abstract

    sentences = "CIO補佐官は週2日、庁内のDX推進を支援する。" * 12
    cut = abstract(sentences)
    assert len(cut) <= 160 and cut.endswith("する。…") and sentences.startswith(cut[:-1])
    unbroken = "あ" * 300
    assert abstract(unbroken) == "あ" * 159 + "…"
    assert abstract("短い引用。\n改行あり") == "短い引用。 改行あり"


def test_feedback_from_an_older_card_and_more_actions_work_when_clicked(teams):
    connector, server = teams["connector"], teams["local"]
    send(server, activity("personal_message", connector, text="CIO補佐官の報酬"))
    card = card_of(connector.replies()[0])
    # a 👎 button on a card sent before Teams' own feedback replaced ours still counts
    down = {"hosakan": Action.about("down", server.conversation.service.ask("CIO補佐官の報酬")).encode()}
    connector.calls.clear()
    status, _ = send(server, activity("card_action", connector, value=down))
    assert status in (200, 201)
    [thanks] = connector.replies()
    assert "ありがとうございました" in thanks["activity"]["text"]
    entry = server.conversation.history.feedback(now() - timedelta(minutes=5))[-1]
    assert entry.platform == "teams" and entry.helpful is False and entry.hit_ids == Action.decode(down["hosakan"]).hits
    assert entry.question == "CIO補佐官の報酬"

    connector.calls.clear()
    send(server, activity("card_action", connector, value=submit(card, "他の候補")))
    [more] = connector.replies()
    others = card_of(more)
    assert "他の候補" in more["activity"]["text"] and feedback_loop(more) and len(claims(more)) >= 1
    next_page = Action.decode(submit(others, "担当者に聞く")["hosakan"])
    assert next_page.page == 1 and not set(next_page.hits) & set(Action.decode(down["hosakan"]).hits)


def test_the_bot_introduces_itself_once_when_added(teams):
    connector, server = teams["connector"], teams["local"]
    conversation_update = activity("members_added", connector)
    assert send(server, conversation_update)[0] in (200, 201)
    [welcome] = connector.replies()
    assert welcome["reply_to"] is None  # a new message in the conversation, not a reply
    assert "はじめまして" in runs(card_of(welcome)) and "質問の例" in runs(card_of(welcome))
    send(server, conversation_update)
    assert len(connector.replies()) == 1


@pytest.mark.parametrize("text", ["help", "ヘルプ", "<at>Hosakan</at>"])
def test_help_shows_usage(teams, text):
    connector = teams["connector"]
    payload = activity("channel_mention", connector, text=text)
    send(teams["local"], payload)
    assert "質問の例" in runs(card_of(connector.replies()[0]))


def test_out_of_scope_questions_get_the_honest_answer(teams):
    connector = teams["connector"]
    send(teams["local"], activity("personal_message", connector, text="今日の天気は？"))
    [reply] = connector.replies()
    assert "見つかりませんでした" in reply["activity"]["text"]
    assert pressable(card_of(reply)) == ["担当者に聞く"] and not feedback_loop(reply)  # a person to ask, no 👍/👎


def test_a_long_message_gets_a_polite_refusal(teams):
    connector = teams["connector"]
    send(teams["local"], activity("personal_message", connector, text="奈良県" * 3_400))
    assert "長すぎます" in said(connector.replies()[0])


def test_markup_in_records_and_questions_is_shown_as_text(teams):
    connector = teams["connector"]
    send(teams["local"], activity("personal_message", connector, text="悪戯村のCIO補佐官 <b>太字</b> [x](https://evil.example/)"))
    [reply] = connector.replies()
    text = reply["activity"]["text"]
    # the message text is Markdown: what would be markup, a mention or a citation marker is shown full-width
    assert "質問：悪戯村のCIO補佐官 太字 ［x］(https://evil.example/)" in text  # Teams' HTML tags are dropped
    assert "［ここをクリック］(https://evil.example/) ＊＊太字＊＊ ＜b＞html＜/b＞ ＜at＞Everyone＜/at＞" in text
    for markup in ("<", ">", "**", "](", "[x]"):
        assert markup not in text.replace("[1]", "").replace("[2]", "").replace("[3]", "")
    cited = claims(reply)
    mischief = next(c for c in cited if c["appearance"]["name"].startswith("悪戯村"))
    assert mischief["appearance"]["name"] == "悪戯村 CIO補佐官 ＜at＞All＜/at＞" and "url" not in mischief["appearance"]
    assert all("<" not in c["appearance"]["abstract"] and "[" not in c["appearance"]["abstract"] for c in cited)
    # a citation's window is a card: the passage as typed, in TextRuns that are never read as Markdown
    shown = [runs(window(c)) for c in cited]
    assert any("[リンク](https://evil.example/)" in t and "<script>" in t for t in shown)
    kinds = {b["type"] for c in cited for b in blocks(window(c))}
    assert "TextBlock" not in kinds and "evil.example" not in json.dumps([c["appearance"].get("url") for c in cited])


def send_raw(server: Server, body: bytes, content_type: str = "application/json") -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/messages", method="POST", data=body,
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("body, content_type", [
    (b'{"type": "message"}', "text/plain"),
    (b"garbage", "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"{}", "application/json"),
    (b'{"type": "message", "text": "hi"}', "application/json"),  # no conversation, no serviceUrl
    (b'{"type": "message", "text": "hi", "serviceUrl": 5, "conversation": {"id": "a"}}', "application/json"),
    (b'{"type": "message", "from": "not an account", "conversation": []}', "application/json"),
])
def test_a_malformed_request_gets_400_and_no_reply(teams, body, content_type):
    assert send_raw(teams["local"], body, content_type) == 400
    time.sleep(0.2)
    assert teams["connector"].replies() == []


def test_local_mode_replies_only_to_loopback(teams, caplog):
    connector = teams["connector"]
    payload = activity("personal_message", connector, serviceUrl="https://evil.example/")
    with caplog.at_level("WARNING", logger="hosakan.teams"):
        status, _ = send(teams["local"], payload)
    assert status == 403 and "evil.example" in caplog.text
    time.sleep(0.2)
    assert connector.replies() == []


def test_an_authenticated_request_naming_a_service_url_off_the_allowlist_is_refused(teams):
    """A token Microsoft's keys sign proves the sender; the reply still goes only to the Bot
    Connector's hosts or the ones listed in HOSAKAN_TEAMS_SERVICE_URLS."""
    connector = teams["connector"]
    payload = activity("personal_message", connector, serviceUrl="https://evil.example/teams/")
    token = connector.signed_token(APP_ID, payload["serviceUrl"])
    assert send(teams["stand_in_keys"], payload, token=token)[0] == 403
    forged = connector.forged_token(APP_ID, payload["serviceUrl"])
    assert send(teams["stand_in_keys"], payload, token=forged)[0] == 401  # the signature is checked first
    time.sleep(0.2)
    assert connector.replies() == []


def test_the_service_url_allowlist():
    closed = TeamsSettings(microsoft_app_id=APP_ID, microsoft_app_password="x")
    assert closed.may_reply_to("https://smba.trafficmanager.net/apac/", "auth")
    assert closed.may_reply_to("https://smba.infra.gcc.teams.microsoft.com/teams", "auth")
    assert closed.may_reply_to("https://europe.directline.botframework.com/", "auth")
    for url in ("http://smba.trafficmanager.net/apac/", "https://smba.trafficmanager.net.evil.example/",
                "https://evil.example/?smba.trafficmanager.net", "http://127.0.0.1:3978/", "not a url"):
        assert not closed.may_reply_to(url, "auth"), url
    assert TeamsSettings().may_reply_to("http://127.0.0.1:9000/", "local")
    assert not TeamsSettings().may_reply_to("http://10.0.0.5/", "local")
    listed = TeamsSettings(teams_service_urls="https://bots.example.lg.jp/connector")
    assert listed.may_reply_to("https://bots.example.lg.jp/connector/v3", "auth")
    assert not listed.may_reply_to("https://bots.example.lg.jp/connectors-evil/", "auth")


@pytest.mark.parametrize("server", ["secured", "stand_in_keys"])
def test_with_credentials_a_request_without_a_token_gets_401_and_no_reply(teams, server):
    connector = teams["connector"]
    status, _ = send(teams[server], activity("personal_message", connector))
    assert status == 401
    time.sleep(0.3)
    assert connector.replies() == []


def test_with_credentials_a_forged_token_gets_401_and_no_reply(teams, caplog):
    connector = teams["connector"]
    payload = activity("personal_message", connector)
    with caplog.at_level("WARNING", logger="hosakan.teams"):
        status, _ = send(teams["stand_in_keys"], payload, token=connector.forged_token(APP_ID, payload["serviceUrl"]))
    assert status == 401
    time.sleep(0.3)
    assert connector.replies() == []
    assert "InvalidSignatureError" in caplog.text  # its signature was checked against the published keys


@pytest.mark.parametrize("server", ["secured", "stand_in_keys", "local"])
def test_an_over_long_token_gets_the_json_refusal_not_aiohttps_plain_text(teams, server):
    connector = teams["connector"]
    status, body = send(teams[server], activity("personal_message", connector), token="e" * 10_000)
    assert status == 400 and json.loads(body)["error"] == "header_too_large" and json.loads(body)["message"]
    if server != "local":  # a long token within the header limit is checked, and refused as any bad token
        status, body = send(teams[server], activity("personal_message", connector), token="e" * 7_000)
        assert status == 401 and json.loads(body) == {"error": "unauthorized"}
    time.sleep(0.3)
    assert connector.replies() == []


def test_teams_is_closed_by_default_and_local_mode_is_asked_for_and_loopback_only():
    mode, why = TeamsSettings().mode("127.0.0.1")
    assert mode == "off" and "HOSAKAN_TEAMS_LOCAL" in why  # a Slack-only deployment leaves no Teams door open
    assert TeamsSettings(teams_local=True).mode("127.0.0.1")[0] == "local"
    mode, why = TeamsSettings(teams_local=True).mode("0.0.0.0")
    assert mode == "off" and "0.0.0.0" in why and "MicrosoftAppId" in why
    assert TeamsSettings(microsoft_app_id=APP_ID, microsoft_app_password="x").mode("0.0.0.0")[0] == "auth"
    assert TeamsSettings(microsoft_app_id=APP_ID).mode("127.0.0.1")[0] == "off"


def _png_size(data: bytes) -> tuple[int, int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), data[25]


def test_the_teams_package_is_complete_and_follows_the_declared_manifest_schema(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "MicrosoftAppId": APP_ID, "HOSAKAN_INDEX_DIR": str(tmp_path / "unused")}
    target = tmp_path / "hosakan-teams.zip"
    done = subprocess.run([str(Path(sys.executable).parent / "hosakan"), "teams-package", "--output", str(target)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color, outline = _png_size(archive.read("color.png")), _png_size(archive.read("outline.png"))
    assert manifest["manifestVersion"] == "1.17" and manifest["$schema"].endswith("/v1.17/MicrosoftTeams.schema.json")
    for field in ("version", "id", "developer", "name", "description", "icons", "accentColor"):
        assert manifest[field]
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["description"]["full"]) <= 4000
    assert all(manifest["developer"][k].startswith("https://") for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl"))
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    assert color[:2] == (192, 192) and outline[:2] == (32, 32) and outline[2] == 6  # outline: RGBA, transparent


def test_the_teams_package_needs_the_app_id(tmp_path):
    from hosakan.adapters.teams.package import PackageError, write_package

    with pytest.raises(PackageError, match="MicrosoftAppId"):
        write_package(TeamsSettings(microsoft_app_id=None), tmp_path / "x.zip")


def test_admin_commands_need_an_admin(teams):
    connector, server = teams["connector"], teams["local"]
    send(server, activity("personal_message", connector, text="stats"))
    assert "管理者のみ" in runs(card_of(connector.replies()[0]))
    connector.calls.clear()
    admin = activity("personal_message", connector, text="stats")
    admin["from"]["aadObjectId"] = "00000000-0000-4000-8000-0000000000a9"
    send(server, admin)
    assert "インデックス：gen-" in runs(card_of(connector.replies()[0]))


def test_ask_a_person_posts_to_the_maintainers_conversation(teams):
    connector, server = teams["connector"], teams["local"]
    send(server, activity("personal_message", connector, text="大津市のCIO補佐官は？"))
    card = card_of(connector.replies()[0])
    connector.calls.clear()
    send(server, activity("card_action", connector, value=submit(card, "担当者に聞く")))
    replies = connector.replies()
    forwarded = [r for r in replies if r["conversation"] == "19:maintainers@thread.tacv2"]
    told = [r for r in replies if r["conversation"] == "a:1personalchat"]
    assert len(forwarded) == 1 and "大津市のCIO補佐官は？" in runs(card_of(forwarded[0]))
    assert "鈴木 一郎" in runs(card_of(forwarded[0]))
    assert "CIOフォーラム事務局に質問を転送しました" in runs(card_of(told[0]))
    assert server.conversation.history.escalations()[-1].sent_to == "teams:19:maintainers@thread.tacv2"


def test_a_reply_chain_is_one_conversation_and_comparisons_are_card_tables(teams):
    connector, server = teams["connector"], teams["local"]
    chain = "19:forumchannel@thread.tacv2;messageid=1700000000777"
    conversation = {"id": chain, "conversationType": "channel", "isGroup": True}
    send(server, activity("channel_mention", connector, text="<at>Hosakan</at> 大阪府のCIO補佐官の報酬は？",
                          conversation=conversation, id="1700000000777"))
    send(server, activity("channel_mention", connector, text="<at>Hosakan</at> 奈良県と比べて",
                          conversation=conversation, id="1700000000778"))
    first, second = connector.replies()
    assert first["conversation"] == second["conversation"] == chain
    card = card_of(second)
    assert "（大阪府・CIO補佐官・報酬について）" in second["activity"]["text"]
    [table] = [b for b in card["body"] if b["type"] == "Table"]
    assert table["firstRowAsHeader"] is True
    cells = [
        ["".join(r["text"] for r in cell["items"][0]["inlines"]) for cell in row["cells"]] for row in table["rows"]
    ]
    assert cells[0][:3] == ["自治体", "役職", "報酬（年額換算）"]
    assert ["奈良県", "CIO", "720万円（月額×12）"] in [row[:3] for row in cells]
    notes = card["body"][card["body"].index(table) + 1]  # the basis, and each row's source said once
    assert "出典" in runs({"body": [notes]}) and runs({"body": [notes]}).count("出典") == 1
    # another channel thread knows nothing of it
    connector.calls.clear()
    send(server, activity("channel_mention", connector, text="<at>Hosakan</at> 奈良県と比べて"))
    assert "（大阪府" not in said(connector.replies()[0])


def answered(teams, question: str) -> dict:
    """The answer Hosakan posted to a question in the personal chat (with its message id)."""
    connector = teams["connector"]
    send(teams["local"], activity("personal_message", connector, text=question))
    [reply] = connector.replies()
    connector.calls.clear()
    assert feedback_loop(reply)
    return reply


def votes(server: Server) -> list:
    return [v for v in server.conversation.history.feedback(now() - timedelta(minutes=5)) if v.platform == "teams"]


def test_a_thumbs_down_in_teams_is_recorded_with_its_reason_and_nothing_is_posted(teams):
    server, connector = teams["local"], teams["connector"]
    reply = answered(teams, "奈良県のCIOの任期は？")
    before = len(votes(server))
    status, body = send(server, activity("feedback_dislike", connector, message=reply["id"]))
    assert (status, json.loads(body)) == (200, {})  # what Teams expects after a vote: 200 and an empty object
    time.sleep(0.2)
    assert connector.replies() == []  # Teams says thank you itself
    [vote] = votes(server)[before:]
    answer = server.conversation.service.ask("奈良県のCIOの任期は？")
    assert (vote.helpful, vote.reason, vote.question) == (False, "2021年の数字で古いです", "奈良県のCIOの任期は？")
    assert vote.hit_ids == [h.doc_id for h in answer.hits]
    records = server.conversation.service.index.records
    worst = next(w for w in build_report(server.conversation.history, records).worst_rated
                 if w["question"] == "奈良県のCIOの任期は？")
    assert "2021年の数字で古いです" in worst["reasons"]  # what `hosakan report` lists


def test_a_thumbs_up_in_teams_is_recorded_and_nothing_is_posted(teams):
    server, connector = teams["local"], teams["connector"]
    reply = answered(teams, "大阪府のCIO補佐官の任期は？")
    before = len(votes(server))
    status, body = send(server, activity("feedback_like", connector, message=reply["id"]))
    assert (status, json.loads(body)) == (200, {})
    time.sleep(0.2)
    assert connector.replies() == []
    [vote] = votes(server)[before:]
    assert (vote.helpful, vote.reason, vote.question) == (True, None, "大阪府のCIO補佐官の任期は？")


def test_a_vote_finds_its_answer_on_another_replica_by_a_hashed_message_id(teams):
    """The message id is all a vote names: what it needs is in the database every replica shares,
    under a salted hash (the id names a chat), and goes with the answer after the retention period."""
    server = teams["local"]
    reply = answered(teams, "奈良県のCIOの月収は？")
    history = server.conversation.history
    assert history.recorder.flush()
    other = History(str(history.engine.url), history.salt)  # another replica's view of the same database
    key = f"teams:a:1personalchat:{reply['id']}"
    kept = other.kept_message(key)
    assert kept["question"] == "奈良県のCIOの月収は？" and kept["hits"]
    assert other.kept_message("teams:a:1personalchat:1") is None
    with Session(other.engine) as session:
        stored = [row.key for row in session.scalars(select(SentMessage))]
    assert stored and not any("personalchat" in k or reply["id"] in k for k in stored)
    with Session(other.engine) as session, session.begin():  # past the retention period: it goes
        session.execute(update(SentMessage).where(SentMessage.key == other._message_key(key))
                        .values(at=now() - timedelta(days=other.retention_days + 1)))
    other.purge()
    later = History(str(history.engine.url), history.salt)
    assert later.kept_message(key) is None
    other.close()
    later.close()


@pytest.mark.parametrize("change", [
    {"replyToId": "1800000999999"},                                       # a message Hosakan keeps no answer for
    {"value": {"actionName": "feedback", "actionValue": {"reaction": "love", "feedback": "{}"}}},
    {"value": {"actionName": "feedback", "actionValue": {"reaction": "dislike", "feedback": ["x"]}}},
    {"value": {"actionName": "feedback", "actionValue": {"reaction": "dislike",
                                                         "feedback": {"feedbackText": 5}}}},
    {"value": {"actionName": "feedback", "actionValue": "dislike"}},
    {"value": {"actionName": "other", "actionValue": {"reaction": "like"}}},
    {"value": "feedback"},
    {"value": None},
    {"replyToId": None},
    {"replyToId": 5},
    {"name": "task/fetch"},
    {"name": None},
])
def test_a_malformed_or_unknown_vote_records_nothing_posts_nothing_and_is_never_a_5xx(teams, change, caplog):
    server, connector = teams["local"], teams["connector"]
    reply = answered(teams, "大洲市のCDO補佐官の報酬は？")
    before = len(votes(server))
    payload = {**activity("feedback_dislike", connector, message=reply["id"]), **change}
    with caplog.at_level("INFO"):
        status, body = send(server, payload)
    expected = 200 if change.get("replyToId") in ("1800000999999", 5) else 400  # a vote, on a message not ours
    assert (status, json.loads(body)) == (expected, {})
    time.sleep(0.2)
    assert connector.replies() == [] and len(votes(server)) == before
    assert not [r for r in caplog.records if r.levelname == "ERROR" or r.exc_info]  # no traceback either
