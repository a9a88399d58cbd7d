"""The `hosakan` console script, run as a user runs it."""

from __future__ import annotations

import json
import os
import socketserver
import subprocess
import threading
import time

import pytest

from tests.support.cli import HOSAKAN, clean_env, free_port, health_once_up, run
from tests.support.knowledge import KNOWLEDGE


def test_ask_json_follows_the_contract(index_dir):
    result = run("ask", "--json", "奈良県のCIOの月収は？", index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answered"] is True and "60万円" in answer["direct_answer"]
    hit = answer["hits"][0]
    assert hit["doc_id"].startswith("nara-pref-cio-dx-manager#") and hit["kind"] == "case"
    assert isinstance(hit["score"], float) and answer["elapsed_ms"] > 0


def test_a_stdin_batch_gets_exactly_one_json_line_per_line_read_in_order(index_dir):
    lines = ["大阪府のCIO補佐官の任期は？".encode(), b"", "今日の天気は？".encode(), b"\xff\xfe not utf-8",
             "* AND title:x (".encode(), b"\xed\xa0\x80 a lone surrogate", ("あ" * 10_000).encode(),
             "奈良県のCIOの月収は？".encode()]
    env = {**os.environ, "HOSAKAN_INDEX_DIR": str(index_dir), "HOSAKAN_KNOWLEDGE_DIR": str(KNOWLEDGE)}
    result = subprocess.run([HOSAKAN, "ask", "--json", "-"], input=b"\n".join(lines) + b"\n", capture_output=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(answers) == len(lines)
    assert [a["answered"] for a in answers] == [True, False, False, False, False, False, False, True]
    assert [a.get("error") for a in answers] == [None, "empty", None, "unreadable", None, "unreadable", None, None]
    assert answers[3]["line"] == 4 and "UTF-8" in answers[3]["message"]
    assert answers[0]["question"] == "大阪府のCIO補佐官の任期は？" and answers[7]["question"] == "奈良県のCIOの月収は？"
    assert b"Traceback" not in result.stderr


def test_ask_prints_a_readable_answer_with_its_source(index_dir):
    result = run("ask", "大州市のCDO補差官の報酬", index_dir=index_dir)
    assert result.returncode == 0
    assert "273,800円" in result.stdout and "出典" in result.stdout


def test_ask_builds_the_index_when_there_is_none(tmp_path):
    result = run("ask", "--json", "三重県のCDOの選考方法は？", index_dir=tmp_path / "fresh")
    assert result.returncode == 0, result.stderr
    assert "書類審査" in json.loads(result.stdout)["direct_answer"]
    assert "インデックスがまだないので、先に作ります" in result.stderr


# what these tests check is validation and the live index kept, not the embedding: built lexically
LEXICAL = {"HOSAKAN_SEMANTIC": "false"}


def test_a_record_over_the_size_limit_is_named_by_validate_and_refused_by_index(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    assert run("index", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL).returncode == 0
    huge = knowledge_copy / "cases" / "huge-town-cio.md"
    huge.write_text((knowledge_copy / "cases" / "mie-pref-cdo.md").read_text(encoding="utf-8")
                    .replace("id: mie-pref-cdo", "id: huge-town-cio") + "大きな記事。\n" * 200_000, encoding="utf-8")
    checked = run("validate", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL)
    assert (checked.returncode == 1 and "huge-town-cio.md" in checked.stderr
            and "HOSAKAN_MAX_RECORD_BYTES" in checked.stderr)
    refused = run("index", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL)
    assert (refused.returncode == 1 and "huge-town-cio.md" in refused.stderr
            and "これまでのインデックス" in refused.stderr)
    assert json.loads(run("ask", "--json", "三重県のCDOの選考方法は？", index_dir=index_dir,
                          knowledge=knowledge_copy, **LEXICAL).stdout)["answered"]  # the live index keeps serving
    raised = run("validate", index_dir=index_dir, knowledge=knowledge_copy, HOSAKAN_MAX_RECORD_BYTES="10000000",
                 **LEXICAL)
    assert "huge-town-cio.md" not in raised.stderr  # the limit is a setting


def test_validate_and_index_report_broken_records_by_file_and_field(knowledge_copy, tmp_path):
    index_dir = tmp_path / "index"
    assert run("index", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL).returncode == 0
    fresh = run("index", "--if-stale", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL)
    assert "インデックスは最新です" in fresh.stdout
    record = knowledge_copy / "cases" / "mie-pref-cdo.md"
    record.write_text(record.read_text(encoding="utf-8").replace("roles: [CDO]", "roles: [CTO]"), encoding="utf-8")
    checked = run("validate", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL)
    assert checked.returncode == 1
    assert ("mie-pref-cdo.md" in checked.stderr and "roles.0" in checked.stderr
            and "知られていない役職「CTO」" in checked.stderr)
    rebuilt = run("index", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL)
    assert rebuilt.returncode == 1 and "これまでのインデックス" in rebuilt.stderr
    still = run("ask", "--json", "三重県のCDOの選考方法は？", index_dir=index_dir, knowledge=knowledge_copy, **LEXICAL)
    assert json.loads(still.stdout)["answered"] is True


@pytest.mark.parametrize("command", ["validate", "eval --json"])
def test_commands_succeed_on_the_real_records(index_dir, command):
    result = run(*command.split(), index_dir=index_dir)
    assert result.returncode == 0, result.stderr


def test_serve_without_platform_settings_keeps_both_closed_says_why_and_serves_healthz(index_dir, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "HOSAKAN_SLACK", "Microsoft", "HOSAKAN_MICROSOFT"))}
    env = {k: v for k, v in env.items() if k not in ("HOSAKAN_USER_ID_SALT", "HOSAKAN_TEAMS_LOCAL")
           and not k.startswith("HOSAKAN_WEB")}
    env.pop("COLUMNS", None)  # as under systemd: no terminal, no width
    env.update(HOSAKAN_INDEX_DIR=str(index_dir), HOSAKAN_KNOWLEDGE_DIR=str(KNOWLEDGE), NO_COLOR="1",
               HOSAKAN_WORKERS="1",  # workers: tests/test_workers.py
               HOSAKAN_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    process = subprocess.Popen([HOSAKAN, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        health = health_once_up(port, 20)
        assert health["status"] == "ok" and health["platforms"] == {"slack": "off", "teams": "off", "api": "off",
                                                                        "mcp": "off", "web": "local"}
        assert health["history"]["status"] == "ok" and health["history"]["dropped"] == 0
    finally:
        process.terminate()
        output, logged = process.communicate(timeout=10)
    assert "Slack：無効 — SLACK_BOT_TOKEN が設定されていません" in output
    # no unauthenticated door by default; and the line is whole, never broken at 80 columns into the log
    assert any(line.startswith("Teams：無効") and "HOSAKAN_TEAMS_LOCAL" in line for line in output.splitlines()), output
    assert "Web：有効 — このマシンからだけ開けます（127.0.0.1）" in output  # loopback: the web chat is this machine's
    # no salt configured: a random one, made once, owner-only, beside the database, and the log says so
    salt = tmp_path / "serve.salt"
    assert len(salt.read_text().strip()) == 64 and salt.stat().st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in logged.splitlines()]  # every log line is one JSON object
    assert any("generated a random user-id salt" in line["message"] for line in lines)


class ConnectRecorder(socketserver.ThreadingTCPServer):
    """A stand-in for a municipality's outbound proxy on 127.0.0.1: it records each CONNECT line and refuses it."""
    daemon_threads = True

    def __init__(self):
        self.asked: list[str] = []
        recorder = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                recorder.asked.append(self.rfile.readline().decode("latin-1").strip())
                self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

        super().__init__(("127.0.0.1", 0), Handler)


def test_serve_in_socket_mode_keeps_serving_while_slack_is_unreachable_and_goes_out_through_https_proxy(
        index_dir, tmp_path):
    proxy = ConnectRecorder()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    port = free_port()
    env = clean_env(HOSAKAN_INDEX_DIR=str(index_dir), HOSAKAN_KNOWLEDGE_DIR=str(KNOWLEDGE), HOSAKAN_WORKERS="1",
                    HOSAKAN_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
                    SLACK_BOT_TOKEN="xoxb-0-not-a-real-token", SLACK_APP_TOKEN="xapp-0-not-a-real-token",
                    HTTPS_PROXY=f"http://127.0.0.1:{proxy.server_address[1]}")
    process = subprocess.Popen([HOSAKAN, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        health = health_once_up(port, 60)
        assert health is not None and health["platforms"]["slack"] == "socket", (
            process.stderr.read() if health is None else health)
        deadline = time.monotonic() + 30
        while not proxy.asked and time.monotonic() < deadline:
            time.sleep(0.2)
        assert health_once_up(port, 5)["status"] == "ok"  # still serving after Slack could not be reached
    finally:
        process.terminate()
        output, logged = process.communicate(timeout=20)
        proxy.shutdown()
    assert proxy.asked and all(line == "CONNECT slack.com:443 HTTP/1.1" for line in proxy.asked), proxy.asked
    assert "Traceback" not in logged and "Slack：有効 — ソケットモード" in output


def test_serve_on_a_port_in_use_says_so_in_one_line(index_dir):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), index_dir=index_dir,
                     HOSAKAN_USER_ID_SALT="a-test-salt-of-32-characters-xyz")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"127.0.0.1:{port} で待ち受けできません"
                                                  "（ほかのプログラムが使っています）。"
                                                  "--host / --port（HOSAKAN_HOST / HOSAKAN_PORT）を変えてください。"]


def test_a_named_conversation_keeps_its_context_across_invocations(index_dir, tmp_path):
    database = {"HOSAKAN_DATABASE_URL": f"sqlite:///{tmp_path / 'talk.db'}"}
    asked = [json.loads(run("ask", "--json", "--conversation", name, text, index_dir=index_dir, **database).stdout)
             for name, text in [("forum", "印西市のCIO補佐官の募集について"), ("forum", "勤務日数は？"),
                                ("other", "勤務日数は？"), ("forum", "奈良市は？")]]
    assert asked[1]["context"] == "印西市・CIO補佐官" and "週1回以外はリモートワーク" in asked[1]["direct_answer"]
    assert asked[2]["context"] is None  # another conversation knows nothing of 印西市
    assert asked[3]["context"] == "CIO補佐官・勤務日数" and "奈良市" in asked[3]["message"]


def test_a_batch_on_stdin_is_one_conversation_and_tables_come_as_json(index_dir, tmp_path):
    lines = "大阪府のCIO補佐官の報酬は？\n奈良県と比べて\n"
    result = run("ask", "--json", "--conversation", "batch", "-", index_dir=index_dir, stdin=lines,
                 HOSAKAN_DATABASE_URL=f"sqlite:///{tmp_path / 'batch.db'}")
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["table"] is None and second["context"].startswith("大阪府")
    table = second["table"]
    assert set(table) == {"title", "columns", "rows", "citations", "basis", "undated"}
    assert all(0 <= n < len(table["rows"]) for n in table["undated"])  # rows whose 時点 cell gives no date
    assert len(table["rows"]) == len(table["citations"]) >= 2
    assert {row[0] for row in table["rows"]} == {"大阪府", "奈良県"}


def test_the_console_chat_follows_up_pages_and_draws_tables(index_dir, tmp_path):
    lines = "help\n印西市のCIO補佐官の募集について\n勤務日数は？\nもっと\n報酬が一番高い募集は？\nexit\n"
    result = run("chat", index_dir=index_dir, stdin=lines, HOSAKAN_DATABASE_URL=f"sqlite:///{tmp_path / 'chat.db'}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "exit" in out and "reindex" in out  # the console user is an admin; help says how to leave
    assert "（印西市・CIO補佐官について）" in out
    assert "の他の候補（4〜6件目）" in out
    assert "┃ 順位 ┃ 自治体 ┃" in out and "│ 1    │ 大阪府 │" in out  # a rich table, highest first
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command, name, value, accepted", [
    ("ask", "HOSAKAN_CONTEXT_MINUTES", "abc", "1 以上の整数"),
    ("ask", "HOSAKAN_HITS", "abc", "1〜10 の整数"),
    ("serve", "HOSAKAN_PORT", "99999", "0〜65535 の整数"),
    ("ask", "HOSAKAN_INDEX_DIR", str(KNOWLEDGE / "glossary.yaml"), "フォルダーのパス"),
    ("ask", "HOSAKAN_DATABASE_URL", "not a url", "SQLAlchemy の URL"),
    ("ask", "HOSAKAN_DATABASE_URL", "mysql+mysqldb://hosakan@db.example/hosakan", "ドライバー"),
    ("ask", "HOSAKAN_USER_ID_SALT", "short", "16 文字以上"),
    ("serve", "HOSAKAN_TEAMS_LOCAL", "maybe", "true または false"),
])
def test_a_bad_setting_ends_the_command_with_one_japanese_line_naming_its_variable(index_dir, command, name, value,
                                                                                   accepted):
    args = ["ask", "--conversation", "x", "奈良県のCIOは？"] if command == "ask" else [command]
    result = run(*args, index_dir=index_dir, **{name: value})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert f"環境変数 {name}" in result.stderr and accepted in result.stderr
    assert value not in result.stderr  # never echoed: the value may be a secret


def test_ctrl_c_during_a_first_index_says_so_and_leaves_nothing_half_built(knowledge_copy, tmp_path):
    import signal

    index_dir = tmp_path / "index"
    env = {**os.environ, "HOSAKAN_INDEX_DIR": str(index_dir), "HOSAKAN_KNOWLEDGE_DIR": str(knowledge_copy),
           "COLUMNS": "80", "NO_COLOR": "1"}
    building = subprocess.Popen([HOSAKAN, "index", "--full"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    until = time.monotonic() + 60
    while not list(index_dir.glob(".building-*")) and time.monotonic() < until and building.poll() is None:
        time.sleep(0.05)
    building.send_signal(signal.SIGINT)  # as Ctrl-C in the terminal does
    out, err = building.communicate(timeout=60)
    assert building.returncode == 130, err
    assert "中断しました。インデックスはまだ作られていません。" in err and "Traceback" not in err + out
    assert not list(index_dir.glob(".building-*")) and not list(index_dir.glob("gen-*"))
