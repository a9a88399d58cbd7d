"""Nothing personal kept where it should not be: the user-id salt and the log lines."""

from __future__ import annotations

import json
import logging
import sys
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from hosakan.bot.logs import JsonLines
from hosakan.bot.storage.history import History
from hosakan.bot.storage.salt import user_id_salt


def test_without_a_configured_salt_one_random_salt_is_made_once_owner_only_beside_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'data' / 'hosakan.db'}"
    with ThreadPoolExecutor(8) as pool:  # replicas starting together agree on one salt
        salts = set(pool.map(lambda _: user_id_salt(None, url, tmp_path), range(8)))
    [salt] = salts
    path = tmp_path / "data" / "hosakan.salt"
    assert path.read_text().strip() == salt and len(salt) == 64 and path.stat().st_mode & 0o777 == 0o600
    assert user_id_salt(None, url, tmp_path) == salt  # kept across restarts
    assert user_id_salt(None, f"sqlite:///{tmp_path / 'other.db'}", tmp_path) != salt  # never a constant
    assert user_id_salt("configured-salt-0123456789", url, tmp_path) == "configured-salt-0123456789"
    path.chmod(0o644)
    assert user_id_salt(None, url, tmp_path) == salt and path.stat().st_mode & 0o777 == 0o600


def test_hashed_user_ids_depend_on_the_salt(tmp_path):
    one = History(f"sqlite:///{tmp_path / 'a.db'}", user_id_salt(None, f"sqlite:///{tmp_path / 'a.db'}", tmp_path))
    two = History(f"sqlite:///{tmp_path / 'b.db'}", user_id_salt(None, f"sqlite:///{tmp_path / 'b.db'}", tmp_path))
    assert one.user_hash("slack", "U1") != two.user_hash("slack", "U1") and "U1" not in one.user_hash("slack", "U1")


def _line(logger: str, message: str, *args, exc_info=None) -> dict:
    record = logging.LogRecord(logger, logging.ERROR, __file__, 1, message, args, exc_info)
    formatted = JsonLines().format(record)
    assert formatted.splitlines() == [formatted]  # one line, whatever it holds
    return json.loads(formatted)


def test_a_log_line_is_one_json_object_whatever_it_holds():
    line = _line("hosakan.bot", "a\nb\r\x1b[31m\u2028\u2029\u0085 %s", "x")
    assert line["message"] == "a\nb\r\x1b[31m\u2028\u2029\u0085 x" and line["level"] == "error"


def test_slack_bolt_lines_are_withheld_and_errors_keep_their_type_not_their_message():
    assert "U0PRIVATE" not in json.dumps(_line("slack_bolt.AsyncApp", "Unhandled request ({'user': 'U0PRIVATE'})"))
    try:
        raise ValueError("質問：大阪府の秘密")
    except ValueError:
        line = _line("hosakan.bot", "a request failed", exc_info=sys.exc_info())
    assert line["error"]["type"] == "ValueError" and "秘密" not in json.dumps(line, ensure_ascii=False)
    assert any("test_privacy.py" in frame for frame in line["error"]["at"])
    try:
        with create_engine("sqlite://").connect() as connection:
            connection.execute(text("SELECT * FROM missing"))
    except OperationalError:
        line = _line("hosakan.recorder", "failed", exc_info=sys.exc_info())
    assert "no such table" in line["error"]["message"]  # the database's own words are kept


def test_the_database_and_its_data_directory_are_owner_only_whatever_the_umask(tmp_path, monkeypatch):
    import os

    from hosakan.bot.settings import Settings

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    monkeypatch.setenv("HOSAKAN_HOME", str(data))
    old = os.umask(0o000)  # the loosest umask: every file would be world-writable
    try:
        history = History.from_settings(Settings(database_url=f"sqlite:///{data / 'hosakan.db'}"))
        history.keep({"question": "大阪府のCIO補佐官の任期は？"})
        history.close()
        elsewhere = History(f"sqlite:///{tmp_path / 'new' / 'deep' / 'h.db'}", "a-test-salt-of-32-characters-xyz")
        elsewhere.close()
    finally:
        os.umask(old)
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "hosakan.db").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new" / "deep").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "new" / "deep" / "h.db").stat().st_mode & 0o777 == 0o600
