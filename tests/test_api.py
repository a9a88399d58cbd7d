"""The HTTP API on `hosakan serve`'s aiohttp server on 127.0.0.1, called as a portal or chat tool
would call it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import hypothesis
import pytest
import schemathesis

from hosakan.adapters.api.settings import ApiSettings
from hosakan.adapters.server import Server
from hosakan.adapters.slack.settings import SlackSettings
from hosakan.adapters.teams.settings import TeamsSettings
from tests.support.knowledge import recording_conversation

TOKEN = "portal-token-0123456789abcdef"
SLOW_TOKEN = "rate-limited-token-0123456789"


@pytest.fixture(scope="module")
def api(loop, tmp_path_factory):
    talk = recording_conversation(tmp_path_factory.mktemp("api"), {})
    servers = {}
    for name, settings in {"open": ApiSettings(api_tokens=[TOKEN]),
                           "slow": ApiSettings(api_tokens=[SLOW_TOKEN], api_requests_per_minute=3),
                           "fuzzed": ApiSettings(api_tokens=[TOKEN], api_requests_per_minute=100_000)}.items():
        servers[name] = Server(talk.settings, talk, slack=SlackSettings(), teams=TeamsSettings(), api=settings)
        loop.run(servers[name].start())
    yield servers
    for server in servers.values():
        loop.run(server.stop())


def call(server: Server, method: str, path: str, body: bytes | dict | None = None, token: str | None = TOKEN,
         content_type: str = "application/json") -> tuple[int, dict, dict]:
    data = json.dumps(body, ensure_ascii=False).encode() if isinstance(body, dict) else body
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


def test_ask_returns_the_cli_json_object_with_an_answer_id_that_reads_back(api):
    server = api["open"]
    status, answer, _ = call(server, "POST", "/api/v1/ask", {"question": "大阪府のCIO補佐官の任期は？"})
    assert status == 200 and answer["answered"] is True and "任期1年間" in answer["direct_answer"]
    assert answer["hits"][0]["citation"] and answer["answer_id"]
    status, again, _ = call(server, "GET", f"/api/v1/answers/{answer['answer_id']}")
    assert status == 200 and again == answer  # the permalink shows the same answer
    assert call(server, "GET", "/api/v1/answers/no-such-answer")[0] == 404


def test_a_named_conversation_carries_follow_ups_per_client(api):
    server = api["open"]
    call(server, "POST", "/api/v1/ask", {"question": "印西市のCIO補佐官の募集について", "conversation": "portal-1"})
    _, follow_up, _ = call(server, "POST", "/api/v1/ask", {"question": "勤務日数は？", "conversation": "portal-1"})
    assert follow_up["context"] == "印西市・CIO補佐官"
    _, alone, _ = call(server, "POST", "/api/v1/ask", {"question": "勤務日数は？", "conversation": None})
    assert alone["context"] is None


def test_feedback_is_recorded_against_the_answer(api):
    from datetime import timedelta

    from hosakan.bot.storage.history import now

    server = api["open"]
    _, answer, _ = call(server, "POST", "/api/v1/ask", {"question": "奈良県のCIOの月収は？"})
    status, thanks, _ = call(server, "POST", "/api/v1/feedback", {"answer_id": answer["answer_id"], "helpful": False})
    assert status == 200 and thanks["ok"] is True and thanks["message"]
    vote = server.conversation.history.feedback(now() - timedelta(minutes=5))[-1]
    assert vote.question == "奈良県のCIOの月収は？" and vote.helpful is False and vote.platform == "api"
    assert vote.hit_ids == [hit["doc_id"] for hit in answer["hits"]] and TOKEN not in vote.user_hash
    assert call(server, "POST", "/api/v1/feedback", {"answer_id": "nope", "helpful": True})[0] == 404


@pytest.mark.parametrize("token", [None, "wrong-token-0123456789abcdef", TOKEN[:-1]])
def test_without_a_valid_token_every_endpoint_says_401(api, token):
    server = api["open"]
    for method, path, body in [("POST", "/api/v1/ask", {"question": "奈良県のCIOは？"}),
                               ("POST", "/api/v1/feedback", {"answer_id": "x", "helpful": True}),
                               ("GET", "/api/v1/answers/x", None)]:
        status, refusal, headers = call(server, method, path, body, token=token)
        assert status == 401 and refusal["error"] == "unauthorized" and "トークン" in refusal["message"]
        assert headers["WWW-Authenticate"].startswith("Bearer")


def test_each_token_is_rate_limited_with_retry_after(api):
    server = api["slow"]
    statuses = [call(server, "POST", "/api/v1/ask", {"question": "奈良県のCIOは？"}, token=SLOW_TOKEN)
                for _ in range(4)]
    assert [s for s, _, _ in statuses] == [200, 200, 200, 429]
    _, refusal, headers = statuses[3]
    assert int(headers["Retry-After"]) >= 1 and "秒後" in refusal["message"]


@pytest.mark.parametrize("body, content_type, status", [
    (b"", "application/json", 400),
    (b"not json", "application/json", 400),
    (b"\xff\xfe", "application/json", 400),
    (b"[1, 2]", "application/json", 400),
    (b'{"question": 5}', "application/json", 400),
    (b'{"question": "\\ud800"}', "application/json", 400),
    (b'{"question": "x", "conversation": ["a"]}', "application/json", 400),
    (b'{"question": "' + "あ".encode() * 20_000 + b'"}', "application/json", 413),
    (b"\x00\x01\x02binary", "application/octet-stream", 400),
])
def test_bad_bodies_get_a_japanese_message_in_json_never_a_500(api, body, content_type, status):
    got, refusal, _ = call(api["open"], "POST", "/api/v1/ask", body, content_type=content_type)
    assert got == status and refusal["message"] and refusal["error"]
    assert any("\u3040" <= c <= "\u30ff" for c in refusal["message"])  # in Japanese


def test_a_blank_question_gets_the_polite_answer_the_openapi_document_allows(api):
    status, answer, _ = call(api["open"], "POST", "/api/v1/ask", {"question": "   "})
    assert status == 200 and answer["answered"] is False and "質問の例" in answer["message"]  # the help


def test_an_over_long_question_gets_the_polite_refusal_not_an_error(api):
    status, answer, _ = call(api["open"], "POST", "/api/v1/ask", {"question": "あ" * 2_000})
    assert status == 200 and answer["answered"] is False and answer["message"]


def test_the_openapi_document_describes_every_endpoint(api):
    status, spec, _ = call(api["open"], "GET", "/api/v1/openapi.json", token=None)
    assert status == 200 and spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/v1/ask", "/api/v1/feedback", "/api/v1/answers/{answer_id}"}
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_short_tokens_are_refused_as_a_setting():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        ApiSettings(api_tokens="short")
    assert ApiSettings().mode()[0] == "off"


def test_generated_requests_get_what_the_openapi_document_promises(api):
    """Requests generated from the OpenAPI document (schemathesis, 40 a route): no 5xx, and every
    response, refusals included, has a declared status, content type and shape."""
    from hosakan.adapters.api.openapi import document

    schema = schemathesis.openapi.from_dict(document())
    schema.config.update(
        base_url=f"http://127.0.0.1:{api['fuzzed'].port}", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 3
    for operation in operations:
        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=40, deadline=None, database=None,
                             suppress_health_check=list(hypothesis.HealthCheck))
        def generated(case):
            case.call_and_validate()
        generated()
