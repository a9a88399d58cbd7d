"""Maintainers act as the service: a command run by another user on the service's data directory
stops with one Japanese line and writes nothing, and deploy/hosakan-as-service runs a command as
the service user (here `nobody`, as root) so that what it writes is the service's."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import HOSAKAN, clean_env

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = ROOT / "deploy" / "hosakan-as-service"

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="handing a folder to another user needs root")


def files_in(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p.relative_to(folder)): (p.stat().st_uid, p.stat().st_mtime) for p in folder.rglob("*")}


@as_root
def test_a_command_on_a_data_directory_of_another_user_says_so_in_one_line_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    made = subprocess.run([HOSAKAN, "init"], env=clean_env(HOSAKAN_HOME=str(data)), capture_output=True,
                          text=True, timeout=600)
    assert made.returncode == 0, made.stderr[-2000:]
    nobody = pwd.getpwnam("nobody")
    for path in [data, *data.rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)
    before = files_in(data)
    for args in (["index"], ["report"], ["ask", "大阪府のCIO補佐官の任期は？"], ["init", "--update", "--yes"],
                 ["serve"]):
        result = subprocess.run([HOSAKAN, *args], env=clean_env(HOSAKAN_HOME=str(data)), capture_output=True,
                                text=True, timeout=120)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1, (args, result.stderr[-2000:])
        assert ("所有者は nobody" in lines[0] and "sudo -u nobody hosakan" in lines[0]
                and "Traceback" not in result.stderr)
    assert files_in(data) == before


@as_root
def test_the_service_wrapper_runs_a_command_as_the_service_user_on_its_data_directory(tmp_path):
    # Python itself lives where `nobody` cannot read it (root's pyenv), so the command the wrapper
    # runs is a small script that writes what a real command writes: a file in the data directory
    data = Path(os.environ.get("TMPDIR", "/tmp")) / f"hosakan-wrapper-{os.getpid()}"
    data.mkdir(mode=0o700)
    # installed as an administrator installs it (/usr/local/bin/hosakan): readable by everyone,
    # wherever this checkout lies
    installed = data.with_name(f"hosakan-bin-{os.getpid()}")
    installed.mkdir(mode=0o755)
    wrapper = installed / "hosakan"
    shutil.copyfile(WRAPPER, wrapper)
    wrapper.chmod(0o755)
    try:
        nobody = pwd.getpwnam("nobody")
        os.chown(data, nobody.pw_uid, nobody.pw_gid)
        command = data / "hosakan"
        command.write_text('#!/bin/sh\necho "$(id -un) $HOSAKAN_HOME $*"\ntouch "$HOSAKAN_HOME/written"\n')
        command.chmod(0o755)
        env = clean_env(HOSAKAN_SERVICE_USER="nobody", HOSAKAN=str(command), HOSAKAN_HOME=str(data))
        ran = subprocess.run([str(wrapper), "index", "--full"], env=env, capture_output=True, text=True,
                             timeout=60, cwd=tmp_path)  # a folder nobody cannot enter, like root's home
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.split() == ["nobody", str(data), "index", "--full"]
        assert (data / "written").stat().st_uid == nobody.pw_uid

        # anyone else is told to use sudo, in one line, and nothing runs
        refused = subprocess.run(["runuser", "-u", "daemon", "--", str(wrapper), "index"], env=env,
                                 capture_output=True, text=True, timeout=60, cwd="/")
        assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
        assert "sudo hosakan" in refused.stderr and refused.stdout == ""
    finally:
        subprocess.run(["rm", "-rf", str(data), str(installed)], check=True)
