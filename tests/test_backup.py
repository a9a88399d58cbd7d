"""`hosakan backup` while a real `hosakan serve` runs, and `hosakan restore` into an empty data
directory: the questions, the feedback, the permalinks and the sign-ins survive the round trip."""

from __future__ import annotations

import copy
import gzip
import io
import json
import subprocess
import sys
import tarfile
import time
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from hosakan.bot.storage.history import History, now
from hosakan.bot.storage.salt import user_id_salt
from tests.support.cli import clean_env, free_port, health_once_up

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
        request = urllib.request.Request(self.base + path, data=data,
                                         headers={"Content-Type": kind, "Origin": self.base})
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
    (first / ".env").write_text(f"HOSAKAN_WEB_ACCESS_CODE={CODE}\nSLACK_BOT_TOKEN=xoxb-secret-value\n",
                                encoding="utf-8")
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
    assert ("cases/mie-pref-cdo.md（内容が変わった記録）" in listed.stdout
            and "何もコピーしませんでした" in listed.stdout)
    assert "（旧版）" in record.read_text(encoding="utf-8")
    copied = hosakan(data, "init", "--update", "--yes")
    assert copied.returncode == 0 and "1件をコピー" in copied.stdout
    assert record.read_bytes() == (bundled / "cases" / "mie-pref-cdo.md").read_bytes()


# --- restore is all or nothing ---------------------------------------------------------------------
# Archives made here: a real backup of a data directory with a database, then copies of it with one
# member changed, added or cut, written as `tar` writes them.

@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, list[tuple[tarfile.TarInfo, bytes]]]:
    """A backup of a data directory holding records, a database with one vote, its salt and a .env;
    and its members in order, with their contents."""
    home = tmp_path_factory.mktemp("source") / "home"
    assert hosakan(home, "init").returncode == 0
    url = f"sqlite:///{home / 'hosakan.db'}"
    history = History(url, user_id_salt(None, url, home))
    history.record_feedback("web", "u1", "大阪府のCIO補佐官の任期は？", ["osaka-pref-cio-hosakan"], True)
    history.close()
    (home / "hosakan.db").chmod(0o644)  # as a umask of 022 leaves it: the archive must not say so
    archive = home.parent / "good.tar.gz"
    done = hosakan(home, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    with tarfile.open(archive) as packed:
        members = [(m, packed.extractfile(m).read() if m.isfile() else b"") for m in packed.getmembers()]
    return archive, members


def pack(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as packed:
        for info, data in members:
            info = copy.copy(info)
            info.size = len(data) if info.isfile() else 0
            packed.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return path


def member(name: str, data: bytes = b"", **fields) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.mode, info.mtime = 0o600, int(time.time())
    for key, value in fields.items():
        setattr(info, key, value)
    return info, data


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mode & 0o777 for p in folder.rglob("*")}


def assert_the_vote_kept(target: Path) -> None:
    """The 👍 recorded before the backup is in the restored database, read with the restored salt."""
    url = f"sqlite:///{target / 'hosakan.db'}"
    history = History(url, user_id_salt(None, url, target))
    try:
        assert [v.question for v in history.feedback(now() - timedelta(hours=1))] == ["大阪府のCIO補佐官の任期は？"]
    finally:
        history.close()


def test_a_restore_that_fails_halfway_leaves_the_target_as_it_was_and_a_retry_works(tmp_path, made):
    good, members = made
    target = tmp_path / "home"
    target.mkdir()  # an empty data directory, made for the restore
    names = [info.name for info, _ in members]
    first_record = next(n for n in names if n.startswith("knowledge/cases/"))
    half = len(members) // 2
    assert names.index(first_record) < half < names.index("hosakan-backup.json")
    # a member that cannot be written where it says (under a file met earlier), halfway through
    bad = pack(tmp_path / "bad.tar.gz", members[:half] + [member(f"{first_record}/note.md", b"x")] + members[half:])
    failed = hosakan(target, "restore", str(bad))
    assert list(target.iterdir()) == []  # no database, salt, .env, records or unpacked folder left
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "ぶつかります" in failed.stderr and "\n" not in failed.stderr.strip()  # one line, in Japanese

    retried = hosakan(target, "restore", str(good))  # the documented retry, into the same directory
    assert retried.returncode == 0, retried.stderr
    assert {"hosakan.db", "hosakan.salt", ".env", "knowledge", "index"} <= {p.name for p in target.iterdir()}
    assert (target / "index" / "CURRENT").is_file()
    assert not [p for p in target.iterdir() if p.name.startswith(".restore")]
    restored = {name: mode for name, mode in modes(target).items() if not name.startswith("index")}
    assert restored and all(mode & 0o077 == 0 for mode in restored.values()), restored  # owner-only
    assert_the_vote_kept(target)


def test_restore_refuses_a_member_larger_than_the_limit_before_reading_it(tmp_path, made):
    _, members = made
    huge = tarfile.TarInfo("knowledge/sources/huge.pdf")
    huge.size, huge.mode = 8 * 1024 ** 3, 0o600  # declared 8 GiB; a few blocks follow, then the archive ends
    archive = tmp_path / "huge.tar.gz"
    with gzip.open(archive, "wb") as raw:  # written as tar would, header by header (tarfile would want the data)
        for info, data in members[:len(members) // 2]:
            raw.write(info.tobuf(tarfile.PAX_FORMAT) + data + b"\0" * (-len(data) % 512))
        raw.write(huge.tobuf(tarfile.PAX_FORMAT) + b"\0" * 4 * 1024 ** 2)
    assert archive.stat().st_size < 1024 ** 2
    target = tmp_path / "home"
    started = time.monotonic()
    refused = hosakan(target, "restore", str(archive))
    assert time.monotonic() - started < 60
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "knowledge/sources/huge.pdf が大きすぎます（8.0 GiB" in refused.stderr
    assert not target.exists()  # made for the restore, removed with it
    from hosakan.bot.operations.backup import MAX_MEMBER_BYTES

    assert huge.size > MAX_MEMBER_BYTES


def test_restore_builds_the_index_where_the_target_says_never_where_the_archives_env_says(tmp_path, made):
    _, members = made
    elsewhere = tmp_path / "other-host"
    env = (f"HOSAKAN_INDEX_DIR={elsewhere / 'index'}\nHOSAKAN_KNOWLEDGE_DIR={elsewhere / 'knowledge'}\n"
           f"HOSAKAN_QUESTION_RETENTION_DAYS=30\n").encode()
    changed = [(info, env + data if info.name == ".env" else data) for info, data in members]
    target = tmp_path / "home"
    restored = hosakan(target, "restore", str(pack(tmp_path / "moved.tar.gz", changed)))
    assert restored.returncode == 0, restored.stderr
    assert (target / "index" / "CURRENT").is_file() and not elsewhere.exists()
    text = (target / ".env").read_text(encoding="utf-8")
    assert "# HOSAKAN_INDEX_DIR=" in text and "# HOSAKAN_KNOWLEDGE_DIR=" in text  # disabled, and said so
    assert "\nHOSAKAN_QUESTION_RETENTION_DAYS=30" in text  # the rest of the .env is kept as it was
    assert "HOSAKAN_INDEX_DIR、HOSAKAN_KNOWLEDGE_DIR" in restored.stderr
    # the restored data directory answers from its own index: nothing is built on the other host's paths
    asked = hosakan(target, "ask", "--json", "大阪府のCIO補佐官の任期は？")
    assert asked.returncode == 0 and json.loads(asked.stdout)["answered"] and not elsewhere.exists()


def test_backup_writes_every_member_owner_only(made):
    good, _ = made
    with tarfile.open(good) as packed:
        found = {m.name: m.mode for m in packed.getmembers()}
    assert {"hosakan.db", "hosakan.salt", ".env", "knowledge/glossary.yaml"} <= set(found)
    assert {name: mode for name, mode in found.items() if mode & 0o077} == {}


def test_restore_names_every_member_it_left_out(tmp_path, made):
    _, members = made
    odd = [member("knowledge/cases/link.md", linkname="/etc/passwd", type=tarfile.SYMTYPE),
           member("knowledge/cases/hard.md", linkname="knowledge/glossary.yaml", type=tarfile.LNKTYPE),
           member("knowledge/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3),
           member("/tmp/absolute.md", b"x"), member("../escape.md", b"x"), member("notes.txt", b"x")]
    target = tmp_path / "home"
    restored = hosakan(target, "restore", str(pack(tmp_path / "odd.tar.gz", members[:3] + odd + members[3:])))
    assert restored.returncode == 0, restored.stderr
    said = restored.stdout + restored.stderr
    assert "次の6件は戻していません" in said
    for name, why in (("knowledge/cases/link.md", "リンク"), ("knowledge/cases/hard.md", "リンク"),
                      ("knowledge/null", "デバイス"), ("/tmp/absolute.md", "絶対パス"),
                      ("../escape.md", "「..」で外を指す"), ("notes.txt", "バックアップが書かない名前")):
        assert f"{name}（{why}" in said
    assert not (target / "knowledge" / "cases" / "link.md").exists() and not (target / "notes.txt").exists()
    assert not (tmp_path / "escape.md").exists() and not (target / "knowledge" / "null").exists()


def test_backup_takes_only_the_knowledge_folders_own_plain_files_never_a_linked_env(tmp_path):
    home = tmp_path / "home"
    (home / "knowledge" / "sources").mkdir(parents=True)
    (home / "knowledge" / "glossary.yaml").write_text("{}\n", encoding="utf-8")
    (home / ".env").write_text("SLACK_BOT_TOKEN=xoxb-linked-secret\n", encoding="utf-8")
    sources = home / "knowledge" / "sources"
    (sources / "hardenv.txt").hardlink_to(home / ".env")  # the .env's tokens, under another name
    (sources / "linkenv.txt").symlink_to(home / ".env")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("xoxb-linked-secret\n", encoding="utf-8")
    (sources / "linked-folder").symlink_to(tmp_path / "outside")
    (sources / "plain.txt").write_text("通常の原資料\n", encoding="utf-8")
    archive = tmp_path / "b.tar.gz"
    done = hosakan(home, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    with tarfile.open(archive) as packed:
        names = set(packed.getnames())
        held = b"".join(packed.extractfile(m).read() for m in packed.getmembers() if m.isfile())
    assert "knowledge/sources/plain.txt" in names and "knowledge/glossary.yaml" in names
    assert not {n for n in names if "env.txt" in n or "linked-folder" in n}, names
    assert b"xoxb-linked-secret" not in held  # the .env itself is in with its secret left out
    said = done.stdout + done.stderr
    assert "次の3件はバックアップに含めていません" in said and "Traceback" not in said
    assert "knowledge/sources/hardenv.txt（ほかの場所と同じ中身を共有するファイル（ハードリンク）" in said
    assert "knowledge/sources/linkenv.txt（リンク" in said and "knowledge/sources/linked-folder（リンク" in said
    assert "記録と原資料 2件" in said


def test_restore_puts_back_a_backup_whose_records_the_index_refuses_and_names_them(tmp_path, made):
    _, members = made
    names = [info.name for info, _ in members]
    first_record = next(n for n in names if n.startswith("knowledge/cases/"))
    original = dict((info.name, data) for info, data in members)[first_record]
    assert b"\nreviewed: " in original
    wrong = b"\n".join(b"reviewed: 2026-02-30" if line.startswith(b"reviewed: ") else line
                       for line in original.split(b"\n"))
    changed = [(info, wrong if info.name == first_record else data) for info, data in members]
    target = tmp_path / "home"
    restored = hosakan(target, "restore", str(pack(tmp_path / "mistake.tar.gz", changed)))
    assert restored.returncode == 3, restored.stderr  # restored, but no index: documented in operations.md
    assert "Traceback" not in restored.stderr
    record = target / first_record
    validated = hosakan(target, "validate")  # the restore names the problem as validate does, where it is fixed
    assert validated.returncode == 1 and f"{record}:" in validated.stderr and "2026-02-30" in validated.stderr
    assert validated.stderr.strip().splitlines()[-1] in restored.stderr
    assert "インデックスは作れませんでした" in restored.stderr and "hosakan index" in restored.stderr
    assert record.read_bytes() == wrong  # the data is exactly what was backed up
    assert {"hosakan.db", "hosakan.salt", ".env", "knowledge"} <= {p.name for p in target.iterdir()}
    assert not (target / "index" / "CURRENT").exists()
    assert not [p for p in target.iterdir() if p.name.startswith(".restore")]
    assert_the_vote_kept(target)
    record.write_bytes(original)  # the administrator fixes the record, then builds the index
    indexed = hosakan(target, "index")
    assert indexed.returncode == 0, indexed.stderr
    assert (target / "index" / "CURRENT").is_file()


@pytest.mark.parametrize("manifest", [b"[" * 200_000 + b"]" * 200_000, b"not json", b"\xff\xfe",
                                      b"[1, 2]", b'{"format": "1"}', b'{"format": 1, "secrets_left_out": 5}'],
                         ids=["deep", "text", "not-utf8", "list", "format-text", "secrets-not-a-list"])
def test_restore_refuses_a_manifest_it_cannot_read_in_one_line_and_leaves_the_target_untouched(
        tmp_path, made, manifest):
    _, members = made
    changed = [(info, manifest if info.name == "hosakan-backup.json" else data) for info, data in members]
    target = tmp_path / "home"
    refused = hosakan(target, "restore", str(pack(tmp_path / "manifest.tar.gz", changed)))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "hosakan-backup.json を読めません" in refused.stderr and "\n" not in refused.stderr.strip()
    assert not target.exists()
