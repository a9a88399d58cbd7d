"""Installing as a municipal IT department does, without internet: the wheelhouse (`make
wheelhouse`, for every Python 3.11-3.13 this machine has) into a fresh venv with --no-index, beside
another package that is called ``bot``, then the commands a new user runs, with nothing ever written
into the installed package. The running Python goes through every command; each other Python
found installs, sets up a data directory and answers, so a break on 3.13 shows up here."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.support.cli import clean_env, free_port

ROOT = Path(__file__).resolve().parent.parent


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def pythons() -> dict[str, str]:
    """One interpreter per supported version this machine has (PATH's and pyenv's), the running one
    first, by "3.x"."""
    candidates = [sys.executable, *(shutil.which(f"python3.{minor}") for minor in (11, 12, 13)),
                  *map(str, sorted((Path.home() / ".pyenv" / "versions").glob("3.1[123].*/bin/python3")))]
    found: dict[str, str] = {}
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys, ensurepip; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True, timeout=60, env={**os.environ, "PYENV_VERSION": ""})
        version = probe.stdout.strip()
        if probe.returncode == 0 and version in ("3.11", "3.12", "3.13"):
            found.setdefault(version, candidate)
    return found


PYTHONS = pythons()
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
OTHERS = sorted(set(PYTHONS) - {RUNNING})


def another_bot(wheel: Path) -> None:
    """The wheel of another project's package that is also called ``bot``, with a ``bot/models.py``
    of its own (written as a wheel is: the files, METADATA, WHEEL and a RECORD of their digests)."""
    files = {"bot/__init__.py": "", "bot/models.py": 'OWNER = "another project"\n',
             "other_bot-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: other-bot\nVersion: 1.0\n",
             "other_bot-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\n"
                                              "Tag: py3-none-any\n"}
    record = [f"{name},"
              f"sha256={base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()},"
              f"{len(text.encode())}" for name, text in files.items()]
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr("other_bot-1.0.dist-info/RECORD",
                         "\n".join([*record, "other_bot-1.0.dist-info/RECORD,,"]) + "\n")


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    """`make wheelhouse` for every Python found, plus the wheel of a package of another project's that
    is also called ``bot`` (with a ``bot/models.py`` of its own)."""
    folder = tmp_path_factory.mktemp("carry") / "wheelhouse"
    env = {**os.environ, "PY": sys.executable, "OUT": str(folder), "PYTHONS": " ".join(PYTHONS)}
    made = subprocess.run(["sh", "deploy/wheelhouse.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert made.returncode == 0, made.stderr[-2000:]
    another_bot(folder / "other_bot-1.0-py3-none-any.whl")
    return folder


def install(python: str, wheelhouse: Path, venv: Path) -> Path:
    """A fresh venv with the other ``bot`` package, then Hosakan, both offline; its site-packages."""
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120, env={**os.environ, "PYENV_VERSION": ""})
    for wanted in ("other-bot", "hosakan[semantic,postgresql]"):
        installed = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", "--no-index", "--find-links", str(wheelhouse),
             "--isolated", wanted], capture_output=True, text=True, timeout=600)
        assert installed.returncode == 0, (wanted, installed.stderr[-2000:])
    site = next((venv / "lib").glob("python3.*/site-packages"))
    record = next(site.glob("hosakan-*.dist-info")) / "RECORD"
    top = {line.split("/", 1)[0] for line in record.read_text().splitlines()}
    assert {name for name in top if not name.endswith(".dist-info") and name != ".."} == {"hosakan"}, top
    other = subprocess.run([str(venv / "bin" / "python"), "-c", "import bot.models; print(bot.models.OWNER)"],
                           capture_output=True, text=True, timeout=60, cwd=venv)
    assert other.stdout.strip() == "another project", other.stderr[-2000:]
    return site




def test_the_wheelhouse_installs_offline_and_the_installed_hosakan_writes_only_its_data_directory(wheelhouse, tmp_path):
    with tarfile.open(wheelhouse.parent / "wheelhouse.tar.gz") as archive:  # the one archive carried in
        carried = set(archive.getnames())
    assert {"deploy/hosakan.service", "deploy/start.sh", "deploy/hosakan-as-service", "deploy/nginx.conf",
            "docs/operations.md"} <= carried and any(name.startswith("wheelhouse/hosakan-") for name in carried)
    venv = tmp_path / "venv"
    started = time.monotonic()
    site = install(sys.executable, wheelhouse, venv)
    before = files_under(site)
    print(f"\ninstalled from the wheelhouse in {time.monotonic() - started:.0f} s; venv "
          f"{sum(p.stat().st_size for p in venv.rglob('*') if p.is_file()) / 2**20:.0f} MiB")

    data, elsewhere = tmp_path / "data", tmp_path / "work"
    elsewhere.mkdir()

    def hosakan(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "hosakan"), *args], cwd=elsewhere, capture_output=True, text=True,
                              timeout=300, env=clean_env(HOSAKAN_HOME=str(data)))

    for args in (("init",), ("ask", "--json", "--conversation", "c", "大阪府のCIO補佐官の任期は？"),
                 ("new", "case", "sample-city-cio"), ("validate",), ("eval", "--json")):
        result = hosakan(*args)
        if args[0] == "validate":  # the new record is a template with blanks: named by file and field
            assert result.returncode == 1 and "sample-city-cio.md" in result.stderr, result.stderr
        else:
            assert result.returncode == 0, (args, result.stderr[-2000:])
    assert (data / "knowledge" / "cases" / "sample-city-cio.md").exists() and (data / "hosakan.db").exists()
    assert (data / "index" / "CURRENT").exists() and (data / "hosakan.salt").exists()
    assert files_under(site) - before == set(), "the installed package was written into"

    # the container's and the systemd unit's start: an empty data directory is filled, then serve
    # answers the health check the image runs
    fresh = tmp_path / "volume"
    port = free_port()
    server = subprocess.Popen(["sh", str(ROOT / "deploy" / "start.sh"), "--port", str(port)], cwd=elsewhere,
                              env=clean_env(HOSAKAN_HOME=str(fresh), HOSAKAN=str(venv / "bin" / "hosakan")),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200 and json.loads(response.read())["index"]["records"] > 10
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.communicate()[0][-2000:]
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (fresh / "knowledge" / "cases").is_dir() and (fresh / "hosakan.salt").exists()


@pytest.mark.parametrize("version", OTHERS)
def test_every_other_python_found_installs_the_wheelhouse_and_answers(wheelhouse, tmp_path, version):
    venv = tmp_path / "venv"
    install(PYTHONS[version], wheelhouse, venv)
    data = tmp_path / "data"
    # lexical only (embedding every passage takes minutes and is the running Python's part); the
    # semantic engine loads and embeds a question on this Python all the same
    for args in (("init",), ("ask", "--json", "--conversation", "c", "大阪府のCIO補佐官の任期は？")):
        result = subprocess.run([str(venv / "bin" / "hosakan"), *args], cwd=tmp_path, capture_output=True, text=True,
                                timeout=300, env=clean_env(HOSAKAN_HOME=str(data), HOSAKAN_SEMANTIC="false"))
        assert result.returncode == 0, (version, args, result.stderr[-2000:])
    engine = subprocess.run([str(venv / "bin" / "python"), "-c", "from hosakan.indexer.embeddings import E5; "
                             "print(E5().query('CIO補佐官の任期').shape)"], capture_output=True, text=True, timeout=300)
    assert engine.stdout.strip() == "(384,)", engine.stderr[-2000:]
    answer = json.loads(result.stdout)
    assert "任期1年間" in answer["direct_answer"] and answer["hits"][0]["citation"].startswith("大阪府"), answer
