"""The web chat on `hosakan serve`, as an official uses it: headless Chromium (Debian's) on the
real page over real HTTP on 127.0.0.1, plus the refusals a browser never sends."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.server import Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from hosakan.adapters.web.settings import WebSettings
from hosakan.bot.operations.report import build_report
from hosakan.bot.storage.history import now
from tests.support.browser import browser  # noqa: F401 - the fixture
from tests.support.knowledge import recording_conversation

TRAP = """---
id: trap-town
kind: case
title: 罠町 CIO補佐官 <script>window.__pwned = 1</script>
summary: "罠町の事例 <img src=x onerror=\\"window.__pwned = 1\\"> と **太字**"
municipality: 罠町
prefecture: 東京都
reading: わなまち
roles: [CIO補佐官]
reviewed: 2026-11-23
source:
  title: テスト <b>資料</b>
---
## 概要
罠町のCIO補佐官。<script>window.__pwned = 1</script> と <a href="javascript:window.__pwned=1">リンク</a> を含む。
"""
CODE = "kasumigaseki-2026"
USER_HEADER = "X-Forwarded-User"


@pytest.fixture(scope="module")
def web(loop, tmp_path_factory):
    talk = recording_conversation(tmp_path_factory.mktemp("web"), {"trap-town": TRAP})
    quiet = {"slack": SlackSettings(slack_bot_token=None), "teams": TeamsSettings(), "api": ApiSettings()}
    anywhere = talk.settings.model_copy(update={"host": "0.0.0.0"})
    servers = {
        "local": Server(talk.settings, talk, web=WebSettings(), **quiet),
        "header": Server(anywhere, talk, web=WebSettings(web_user_header=USER_HEADER), **quiet),
        "code": Server(anywhere, talk, web=WebSettings(web_access_code=CODE, web_sign_ins_per_minute=3), **quiet),
    }
    for server in servers.values():
        loop.run(server.start())
    yield servers
    for server in servers.values():
        loop.run(server.stop())


def url(server: Server, path: str = "/") -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def fetch(server: Server, path: str, body: bytes | dict | None = None, headers: dict | None = None,
          method: str | None = None) -> tuple[int, bytes, dict]:
    data = json.dumps(body, ensure_ascii=False).encode() if isinstance(body, dict) else body
    headers = {"Content-Type": "application/json", **(headers or {})} if data is not None else dict(headers or {})
    request = urllib.request.Request(url(server, path), data=data, headers=headers, method=method)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def ask_in(page, question: str) -> None:
    """Type a question as an official does and send it with Enter; wait for the reply."""
    turns = page.locator("article.turn").count()
    page.get_by_label("質問", exact=True).fill(question)
    page.get_by_label("質問", exact=True).press("Enter")
    page.locator("article.turn").nth(turns).locator(".reply").wait_for()


# -- in the browser -----------------------------------------------------------------------------
def test_an_official_asks_and_sees_the_answer_its_marked_evidence_source_and_date(web, browser):
    page = browser.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(url(web["local"]))
    assert page.get_by_role("log").get_attribute("aria-live") == "polite"
    ask_in(page, "大阪府のCIO補佐官の任期は？")
    turn = page.locator("article.turn").last
    assert "大阪府のCIO補佐官の任期は？" in turn.locator(".asked").inner_text()
    assert "任期1年間" in turn.locator(".direct").inner_text()
    first = turn.locator("li.hit").first
    assert not first.is_visible()  # the evidence is folded under the answer …
    turn.get_by_text("根拠を表示").click()  # … until asked for
    assert "任期" in first.locator("mark").all_inner_texts()
    assert "2022年時点" in first.locator(".citation").inner_text()
    assert "出典：「CIOやCIO補佐官を自治体に設置するには?」" in first.locator(".citation").inner_text()
    source = first.get_by_role("link", name="出典を開く")
    assert source.get_attribute("href") == "https://www.pref.osaka.lg.jp/jinji/senkou/r4_ninki_ciohosakan.html"
    assert source.get_attribute("target") == "_blank" and "noopener" in source.get_attribute("rel")
    assert page.locator("#status[role=status]").inner_text() == "回答しました。"
    # a follow-up in the same page is in the same conversation
    ask_in(page, "奈良市は？")
    follow_up = page.locator("article.turn").last
    assert follow_up.locator(".direct .case .name").all_inner_texts() == ["奈良市"]  # one block per case
    assert "CIO補佐官・任期" in follow_up.locator(".reading").inner_text()
    # a source without a date says so once, quietly, under the answer; no passage repeats it
    assert (
        follow_up.locator(".footnote").count() == 1
        and "掲載日の記載なし" in follow_up.locator(".footnote").inner_text()
    )
    assert "掲載日" not in follow_up.locator(".direct").inner_text() + follow_up.locator(".hits").inner_text()
    # 新しい会話 forgets it
    page.get_by_role("button", name="新しい会話").click()
    ask_in(page, "勤務日数は？")
    assert page.locator("article.turn").last.locator(".reading").count() == 0
    assert problems == []


def test_other_candidates_feedback_and_the_permalink(web, browser):
    page = browser.new_page()
    page.goto(url(web["local"]))
    page.get_by_role("button", name="業務委託でCIO補佐官を置いた例は？").click()  # an example question
    answer = page.locator("article.turn").first
    answer.locator(".actions").wait_for()
    answer.get_by_text("根拠を表示").click()
    shown = answer.locator("li.hit .title strong").all_inner_texts()
    answer.get_by_role("button", name="他の候補").click()
    more = page.locator("article.turn").nth(1)
    more.locator(".reply").wait_for()
    assert more.locator(".asked").inner_text().endswith("他の候補")
    assert (
        more.locator(".hits ol").get_attribute("start") == "4"
        and "4〜" in more.locator(".hits summary").inner_text()
    )
    assert more.locator("li.hit").count() >= 1
    # 👍 on the first answer: said thanks, pressed, recorded under a hashed id
    answer.get_by_role("button", name="役に立った").click()
    answer.get_by_text("フィードバックありがとうございました。").wait_for()
    assert answer.get_by_role("button", name="役に立った").get_attribute("aria-pressed") == "true"
    assert answer.get_by_role("button", name="役に立たなかった").is_disabled()
    history = web["local"].conversation.history
    vote = next(v for v in reversed(history.feedback(now() - timedelta(minutes=5))) if v.platform == "web")
    assert vote.helpful is True and vote.question == "業務委託でCIO補佐官を置いた例は？"
    asked = [q for q in history.questions(now() - timedelta(minutes=5)) if q.platform == "web"]
    assert asked and all(len(q.user_hash) >= 16 and q.user_hash != "local" for q in asked)
    # the permalink shows the same answer, and its buttons work there too
    link = answer.get_by_role("link", name="この回答へのリンク").get_attribute("href")
    shared = browser.new_page()
    shared.goto(link)
    turn = shared.locator("article.turn")
    turn.locator(".actions").wait_for()
    assert "リンクで共有された回答です。" in turn.inner_text()
    turn.get_by_text("根拠を表示").click()
    assert turn.locator("li.hit .title strong").all_inner_texts() == shown
    turn.get_by_role("button", name="担当者に聞く").click()
    turn.get_by_text("CIOフォーラム事務局が確認してお答えします", exact=False).wait_for()
    # the web has no maintainers' channel: the question waits for them in `hosakan report`
    escalated = build_report(history, web["local"].bot.index.records).escalated
    assert any(row["platform"] == "web" and row["question"] == "業務委託でCIO補佐官を置いた例は？" for row in escalated)
    gone = browser.new_page()
    gone.goto(url(web["local"], "/a/no-such-answer"))
    assert "見つかりません" in gone.locator("article.turn").inner_text()


def test_record_and_question_markup_is_shown_as_text_never_run(web, browser):
    page = browser.new_page()
    page.goto(url(web["local"]))
    ask_in(page, "罠町のCIO補佐官は？")
    turn = page.locator("article.turn").last
    turn.get_by_text("根拠を表示").click()
    assert "<script>window.__pwned = 1</script>" in turn.inner_text()
    ask_in(page, '<img src=x onerror="window.__pwned = 1">罠町')
    assert (
        '<img src=x onerror="window.__pwned = 1">罠町'
        in page.locator("article.turn").last.locator(".asked").inner_text()
    )
    assert page.evaluate("window.__pwned") is None
    assert page.locator("article.turn script, article.turn img, article.turn b").count() == 0
    hrefs = page.locator("article.turn a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and not any(h.startswith("javascript:") for h in hrefs)


def test_enter_while_an_ime_composes_does_not_send_and_the_keyboard_alone_works(web, browser):
    page = browser.new_page()
    page.goto(url(web["local"]))
    box = page.get_by_label("質問", exact=True)
    box.fill("なら")
    # the Enter that confirms an IME's conversion arrives with isComposing (keyCode 229 in Chromium)
    box.dispatch_event("compositionstart")
    box.evaluate("b => b.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', isComposing: true, bubbles: true,"
                 " cancelable: true}))")
    box.dispatch_event("compositionend")
    box.press("Shift+Enter")
    page.wait_for_timeout(300)
    assert page.locator("article.turn").count() == 0 and box.input_value() == "なら\n"
    box.fill("奈良県のCIOの月収は？")
    box.press("Enter")
    page.locator("article.turn .reply").wait_for()
    assert "奈良県" in page.locator("article.turn").inner_text()
    # Tab from the top of the page reaches an example question, and Enter asks it
    page.locator("body").focus()
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('example')"):
            break
    assert page.evaluate("document.activeElement.textContent") == "大阪府のCIO補佐官の任期は？"
    page.keyboard.press("Enter")
    page.locator("article.turn").nth(1).locator(".reply").wait_for()
    assert "任期1年間" in page.locator("article.turn").nth(1).inner_text()


def test_a_follow_up_s_permalink_shows_what_it_followed_and_the_answer_copies_as_text(web, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url(web["local"]))
    ask_in(page, "大阪府のCIO補佐官の報酬は？")
    ask_in(page, "奈良県と比べて")
    turn = page.locator("article.turn").last
    turn.locator(".actions").wait_for()
    turn.get_by_role("button", name="回答を文章でコピー").click()
    turn.get_by_text("出典つきの文章としてコピーしました", exact=False).wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    # plain text for an email or a 起案: the answer, the table's rows and where each fact comes from
    assert "奈良県" in copied and "720万円" in copied and "出典：" in copied and "<" not in copied
    link = turn.get_by_role("link", name="この回答へのリンク").get_attribute("href")
    shared = context.new_page()
    shared.goto(link)
    opened = shared.locator("article.turn")
    opened.locator(".actions").wait_for()
    assert "大阪府のCIO補佐官の報酬は？" in opened.locator(".before").inner_text()  # what 「奈良県と比べて」 followed
    context.close()


@pytest.mark.parametrize("width,height,name", [(390, 844, "mobile"), (1366, 768, "desktop")])
def test_the_page_fits_a_phone_and_a_wide_screen(web, browser, width, height, name):
    page = browser.new_page(viewport={"width": width, "height": height}, reduced_motion="reduce")
    page.goto(url(web["local"]))
    ask_in(page, "大阪府と奈良市の任期を比べて")  # a table: the widest thing the page shows
    assert page.locator("article.turn table").count() == 1
    ask_in(page, "座談会で東京都CIOは研修について何と言っていた？")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # the whole width of a phone, a readable centred column on a wide screen
    column = page.locator("main").bounding_box()
    assert column["width"] >= min(width, 1000) - 1 and abs(column["x"] * 2 + column["width"] - width) <= 2
    box = page.get_by_label("質問", exact=True).bounding_box()
    assert box["x"] >= column["x"] and box["x"] + box["width"] <= column["x"] + column["width"]
    assert 0 <= box["y"] and box["y"] + box["height"] <= height  # after two answers the box is still on screen
    # no word breaks inside: each of these stays on one line wherever it occurs
    broken = page.evaluate("""words => {
      const found = [];
      const walker = document.createTreeWalker(document.querySelector('#log'), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of words) {
          for (let at = node.data.indexOf(word); at >= 0; at = node.data.indexOf(word, at + 1)) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
            if (tops.size > 1) found.push(`${word} in ${node.parentElement.tagName}.${node.parentElement.className}`);
          }
        }
      }
      return found;
    }""", ["CIO補佐官", "任期付職員", "東京都"])
    assert broken == []
    if name == "mobile":  # below 600 px a table is one card per row, each cell labelled with its column
        row = page.locator("article.turn tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        label = row.locator("td").first.evaluate("c => getComputedStyle(c, '::before').content")
        assert "役職" in label
    folder = os.environ.get("HOSAKAN_SCREENSHOTS")  # `HOSAKAN_SCREENSHOTS=docs make test` renews docs/web-*.png
    if folder:  # the table's answer, with the question box where it stays
        page.locator("article.turn").first.evaluate("turn => turn.scrollIntoView()")
        page.screenshot(path=str(Path(folder) / f"web-{width}.png"))


# -- over HTTP: what a browser never sends, and who may come in --------------------------------
def test_every_page_forbids_inline_scripts_and_other_origins(web):
    for path in ("/", "/a/anything", "/static/hosakan.js"):
        status, _, headers = fetch(web["local"], path)
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        assert (
            "default-src 'none'" in headers["Content-Security-Policy"]
            and headers["X-Content-Type-Options"] == "nosniff"
        )
    _, body, _ = fetch(web["local"], "/")
    assert b"<script>" not in body and b"http://" not in body and b"https://" not in body  # nothing from outside


@pytest.mark.parametrize("body,headers,status,code", [
    (b"", {}, 400, "not_json"),
    (b"\xff\xfe\x00binary", {}, 400, "not_json"),
    (b'{"question": ', {}, 400, "not_json"),
    (b"[1, 2]", {}, 400, "not_json"),
    ({"question": 42}, {}, 400, "bad_field"),
    ({"question": "任期は？", "conversation": "../../etc"}, {}, 400, "bad_field"),
    ({"question": "x" * 20_000}, {}, 413, "too_large"),
    ({"question": "任期は？"}, {"Content-Type": "text/plain"}, 400, "not_json"),
    ({"question": "任期は？"}, {"Sec-Fetch-Site": "cross-site"}, 403, "cross_site"),
    ({"question": "任期は？"}, {"Origin": "https://evil.example"}, 403, "cross_site"),
])
def test_bad_posts_get_a_japanese_json_refusal_never_a_500(web, body, headers, status, code):
    got, raw, _ = fetch(web["local"], "/web/ask", body, headers)
    refusal = json.loads(raw)
    assert got == status and refusal["error"] == code and any("\u3040" <= c <= "\u30ff" for c in refusal["message"])
    got, raw, _ = fetch(web["local"], "/web/act", {"answer_id": "x", "kind": "delete"})
    assert got == 400 and json.loads(raw)["error"] == "bad_field"


def test_off_loopback_the_page_is_off_without_a_proxy_header_or_access_code(web, loop):
    talk = web["local"].conversation
    server = Server(
        talk.settings.model_copy(update={"host": "0.0.0.0"}),
        talk,
        slack=SlackSettings(slack_bot_token=None),
        teams=TeamsSettings(),
        api=ApiSettings(),
        web=WebSettings(),
    )
    assert server.platform("web").mode == "off" and "HOSAKAN_WEB_USER_HEADER" in server.platform("web").why
    assert "/" not in [route.resource.canonical for route in server.web_app().router.routes()]


def test_on_loopback_behind_a_reverse_proxy_the_open_page_closes(web, caplog):
    # nginx → 127.0.0.1:3978 without a user header or code would open the page to the whole network
    with caplog.at_level("WARNING", logger="hosakan.web"):
        status, body, _ = fetch(web["local"], "/", headers={"X-Forwarded-For": "10.1.2.3"})
    # the official is told to ask IT, in Japanese and without a setting's name; the log names them
    assert status == 401 and "システムの担当者" in body.decode() and "HOSAKAN_" not in body.decode()
    assert any("HOSAKAN_WEB_ACCESS_CODE" in r.getMessage() for r in caplog.records)
    assert fetch(web["local"], "/web/ask", {"question": "任期は？"}, {"Forwarded": "for=10.1.2.3"})[0] == 401


def test_behind_a_single_sign_on_proxy_the_header_names_the_user(web):
    server = web["header"]
    status, body, _ = fetch(server, "/")
    assert status == 401 and "シングルサインオン" in body.decode()
    assert fetch(server, "/web/ask", {"question": "任期は？"})[0] == 401
    status, _, _ = fetch(server, "/", headers={USER_HEADER: "tanaka@city.example.lg.jp"})
    assert status == 200
    status, raw, _ = fetch(
        server, "/web/ask", {"question": "三重県のCDOは？"}, {USER_HEADER: "tanaka@city.example.lg.jp"}
    )
    assert status == 200 and json.loads(raw)["answered"] is True
    history = server.conversation.history
    row = [q for q in history.questions(now() - timedelta(minutes=5)) if q.question == "三重県のCDOは？"][-1]
    assert row.platform == "web" and row.user_hash == history.user_hash("web", "tanaka@city.example.lg.jp")
    assert "tanaka" not in row.user_hash


def test_sign_in_with_the_access_code(web):
    server = web["code"]
    status, _, headers = fetch(server, "/a/some-answer")
    assert status == 303 and headers["Location"] == "/signin?next=/a/some-answer"
    assert fetch(server, "/web/ask", {"question": "任期は？"})[0] == 401
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, body, _ = fetch(server, "/signin", b"code=wrong-code-123", form)
    assert status == 401 and "合言葉が違います" in body.decode()
    status, _, headers = fetch(server, "/signin?next=/a/some-answer", f"code={CODE}".encode(), form)
    assert status == 303 and headers["Location"] == "/a/some-answer"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and CODE not in cookie
    session = {"Cookie": cookie.split(";")[0]}
    status, raw, _ = fetch(server, "/web/ask", {"question": "三重県のCDOは？"}, session)
    assert status == 200 and json.loads(raw)["type"] == "answer"
    forged = {"Cookie": cookie.split(";")[0][:-4] + "0000"}
    assert fetch(server, "/web/ask", {"question": "三重県のCDOは？"}, forged)[0] == 401
    # attempts are limited (3 a minute here): the fourth is turned away before the code is read
    assert fetch(server, "/signin", b"code=wrong-code-456", form)[0] == 401
    status, body, headers = fetch(server, "/signin", f"code={CODE}".encode(), form)
    assert status == 429 and int(headers["Retry-After"]) >= 1 and "秒後" in body.decode()
    assert fetch(server, "/signin", f"code={CODE}".encode(), {**form, "Sec-Fetch-Site": "cross-site"})[0] == 403


def test_sign_out_ends_the_session_on_every_replica_not_just_in_this_browser(web, loop):
    from hosakan.adapters.web.app import COOKIE
    from hosakan.bot.chat.conversation import Conversation
    from hosakan.bot.storage.contexts import Contexts
    from hosakan.bot.storage.history import History

    shared = web["code"].conversation  # two replicas on its database, each with its own connections

    def replica_of() -> Conversation:
        history = History(shared.settings.database_url, shared.history.salt)
        return Conversation(shared.service, history, Contexts(history.recorder, history.salt, 30))

    talk = replica_of()
    anywhere = shared.settings.model_copy(update={"host": "0.0.0.0"})
    quiet = {"slack": SlackSettings(slack_bot_token=None), "teams": TeamsSettings(), "api": ApiSettings()}
    here, replica = (Server(anywhere, conversation, web=WebSettings(web_access_code=CODE), **quiet)
                     for conversation in (talk, replica_of()))
    loop.run(here.start())
    loop.run(replica.start())
    try:
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        _, _, headers = fetch(here, "/signin", f"code={CODE}".encode(), form)
        copied = {"Cookie": headers["Set-Cookie"].split(";")[0]}
        assert copied["Cookie"].startswith(COOKIE)
        question = {"question": "三重県のCDOは？"}
        assert fetch(here, "/web/ask", question, copied)[0] == 200
        assert fetch(replica, "/web/ask", question, copied)[0] == 200  # a signed cookie works on any replica
        status, _, headers = fetch(here, "/signout", b"", {**copied, **form})
        assert status == 303 and f"{COOKIE}=\"\"" in headers["Set-Cookie"]
        assert fetch(here, "/web/ask", question, copied)[0] == 401  # the copy no longer works here …
        talk.history.recorder.flush()
        deadline = time.monotonic() + 10
        while fetch(replica, "/web/ask", question, copied)[0] != 401:  # … nor, within seconds, there
            assert time.monotonic() < deadline, "the replica still takes a signed-out cookie"
            time.sleep(0.5)
    finally:
        loop.run(replica.stop())
        loop.run(here.stop())
