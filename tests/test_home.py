"""One data directory (HOSAKAN_HOME / --home) holds the knowledge, the index, the database, the
salt and .env; `hosakan init` makes it from the bundled records."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.support.cli import HOSAKAN


def hosakan(*args: str, cwd: Path, **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("HOSAKAN_INDEX_DIR", "HOSAKAN_KNOWLEDGE_DIR", "HOSAKAN_DATABASE_URL", "HOSAKAN_HOME",
                        "HOSAKAN_USER_ID_SALT", "HOSAKAN_HITS")}
    env.update(COLUMNS="200", NO_COLOR="1", **env_vars)
    return subprocess.run([HOSAKAN, *args], capture_output=True, text=True, env=env, timeout=300, cwd=cwd)


def test_init_makes_a_data_directory_that_every_command_then_uses(tmp_path):
    data = tmp_path / "hosakan-data"
    missing = hosakan("--home", str(data), "ask", "奈良県のCIOの月収は？", cwd=tmp_path)
    assert missing.returncode == 2 and "hosakan init" in missing.stderr and "Traceback" not in missing.stderr

    made = hosakan("init", str(data), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert f"HOSAKAN_HOME={data}" in made.stdout
    assert (len(list((data / "knowledge" / "cases").glob("*.md"))) >= 10
            and (data / "knowledge" / "glossary.yaml").exists())
    assert (data / ".env").stat().st_mode & 0o777 == 0o600 and (data / "index" / "CURRENT").exists()

    # every command reads and writes there: questions and the salt, a new record, settings from its .env
    (data / ".env").write_text((data / ".env").read_text(encoding="utf-8") + "HOSAKAN_HITS=1\n", encoding="utf-8")
    asked = hosakan("ask", "--json", "--conversation", "t", "奈良県のCIOの月収は？", cwd=tmp_path,
                    HOSAKAN_HOME=str(data))
    assert asked.returncode == 0, asked.stderr
    assert "60万円" in json.loads(asked.stdout)["direct_answer"] and len(json.loads(asked.stdout)["hits"]) == 1
    assert (data / "hosakan.db").exists() and (data / "hosakan.salt").stat().st_mode & 0o777 == 0o600
    created = hosakan("--home", str(data), "new", "case", "sample-town-cio", cwd=tmp_path)
    assert created.returncode == 0 and (data / "knowledge" / "cases" / "sample-town-cio.md").exists()

    # init again keeps what the maintainers changed
    record = data / "knowledge" / "cases" / "mie-pref-cdo.md"
    record.write_text(record.read_text(encoding="utf-8").replace("三重県", "三重県（編集済み）", 1), encoding="utf-8")
    again = hosakan("init", str(data), cwd=tmp_path)
    assert "（編集済み）" in record.read_text(encoding="utf-8"), again.stdout + again.stderr


def test_eval_uses_the_bundled_development_set_wherever_it_runs(tmp_path, index_dir):
    from tests.support.knowledge import KNOWLEDGE

    scored = hosakan("eval", "--json", cwd=tmp_path, HOSAKAN_INDEX_DIR=str(index_dir),
                     HOSAKAN_KNOWLEDGE_DIR=str(KNOWLEDGE),
                     HOSAKAN_HOME=str(tmp_path / "home"))  # the stored run lands there, not in the checkout
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["overall"]["questions"] > 100
