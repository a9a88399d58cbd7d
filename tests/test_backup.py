"""`hosakan backup` while a real `hosakan serve` runs, and `hosakan restore` into an empty data
directory: the questions, the feedback, the permalinks and the sign-ins survive the round trip."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import time
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

from hosakan.bot.storage.history import History, now
from hosakan.bot.storage.salt import user_id_salt
from tests.test_cli import clean_env, free_port, health_once_up

HOSAKAN = str(Path(sys.executable).parent / "hosakan")
CODE = "a-shared-code-for-backups"


def env_for(home: Path) -> dict:
    return clean_env(HOSAKAN_HOME=str(home), HOSAKAN_SEMANTIC="false", HOSAKAN_WORKERS="1", COLUMNS="200",
                     HOSAKAN_WEB_ACCESS_CODE=CODE)


def hosakan(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([HOSAKAN, *args], capture_output=True, text=True, env=env_for(home), timeout=300)


class Browser:
    """A client with cookies, as a browser talks to the web chat."""

    def __init__(self, port: int, jar: CookieJar | None = None):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = jar or CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def post(self, path: str, body: dict | bytes, form: bool = False) -> tuple[int, dict | str]:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        kind = "application/x-www-form-urlencoded" if form else "application/json"
        request = urllib.request.Request(self.base + path, data=data, headers={"Content-Type": kind, "Origin": self.base})
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if not form else text
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path: str) -> int:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def serve(home: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([HOSAKAN, "serve", "--port", str(port)], env=env_for(home),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert health_once_up(port, 90) is not None
    return process, port


def test_backup_while_serving_then_restore_keeps_questions_feedback_permalinks_and_sign_ins(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert hosakan(first, "init").returncode == 0
    (first / ".env").write_text(f"HOSAKAN_WEB_ACCESS_CODE={CODE}\nSLACK_BOT_TOKEN=xoxb-secret-value\n", encoding="utf-8")
    process, port = serve(first)
    try:
        browser = Browser(port)
        assert browser.post("/signin", f"code={CODE}".encode(), form=True)[0] == 200
        status, answer = browser.post("/web/ask", {"question": "大阪府のCIO補佐官の任期は？"})
        assert status == 200 and answer["answered"]
        assert browser.post("/web/act", {"answer_id": answer["answer_id"], "kind": "up"})[0] == 200
        time.sleep(1.5)  # the recorder writes after the answer
        archive = tmp_path / "backups" / "hosakan.tar.gz"
        done = hosakan(first, "backup", str(archive))  # while serve runs
        assert done.returncode == 0, done.stderr
    finally:
        process.terminate()
        process.wait(30)
    assert archive.stat().st_mode & 0o077 == 0  # it holds question text: owner-only
    with tarfile.open(archive) as packed:
        names = set(packed.getnames())
        env = packed.extractfile(".env").read().decode()
    assert {"hosakan.db", "hosakan.salt", ".env", "knowledge/glossary.yaml"} <= names
    assert "xoxb-secret-value" not in env and "SLACK_BOT_TOKEN" in env  # secrets left out unless asked
    assert "SLACK_BOT_TOKEN" in done.stdout

    # into an empty data directory; a second restore over it is refused
    restored = hosakan(second, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    again = hosakan(second, "restore", str(archive))
    assert again.returncode == 1 and "空ではありません" in again.stderr
    salt = user_id_salt(None, f"sqlite:///{second / 'hosakan.db'}", second)
    history = History(f"sqlite:///{second / 'hosakan.db'}", salt)
    try:
        since = now() - timedelta(hours=1)
        assert [q.question for q in history.questions(since)] == ["大阪府のCIO補佐官の任期は？"]
        assert [v.helpful for v in history.feedback(since)] == [True]
        assert history.kept(answer["answer_id"])["question"] == "大阪府のCIO補佐官の任期は？"
    finally:
        history.close()
    # the restored serve knows the sign-in cookie and the permalink
    process, port = serve(second)
    try:
        still = Browser(port, browser.jar)  # cookies go by host, not port: the same browser
        assert still.get(f"/web/answers/{answer['answer_id']}") == 200
        assert Browser(port).get(f"/web/answers/{answer['answer_id']}") == 401  # without the cookie: signed out
    finally:
        process.terminate()
        process.wait(30)


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as packed:
        (tmp_path / "x").write_text("x", encoding="utf-8")
        packed.add(tmp_path / "x", "../../escape")
    result = hosakan(tmp_path / "home", "restore", str(bogus))
    assert result.returncode == 1 and "アーカイブではありません" in result.stderr
    assert not (tmp_path.parent / "escape").exists()


def test_init_update_lists_the_bundled_records_an_upgrade_changed_and_copies_only_what_is_accepted(tmp_path):
    from hosakan.knowledge.loader import DEFAULT_DIR as bundled

    data = tmp_path / "data"
    assert hosakan(data, "init").returncode == 0
    assert "同じです" in hosakan(data, "init", "--update").stdout
    record = data / "knowledge" / "cases" / "mie-pref-cdo.md"  # as an older release had it
    record.write_text(record.read_text(encoding="utf-8").replace("三重県", "三重県（旧版）", 1), encoding="utf-8")
    listed = hosakan(data, "init", "--update")  # no terminal to ask on: listed, nothing copied
    assert "cases/mie-pref-cdo.md（内容が変わった記録）" in listed.stdout and "何もコピーしませんでした" in listed.stdout
    assert "（旧版）" in record.read_text(encoding="utf-8")
    copied = hosakan(data, "init", "--update", "--yes")
    assert copied.returncode == 0 and "1件をコピー" in copied.stdout
    assert record.read_bytes() == (bundled / "cases" / "mie-pref-cdo.md").read_bytes()
