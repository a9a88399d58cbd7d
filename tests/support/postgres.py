"""A real PostgreSQL server for the tests, from Debian's package (`make test` installs
postgresql when it is missing): a fresh cluster in a temporary folder, on a free loopback port,
stopped afterwards. PostgreSQL refuses to run as root, so as root it runs as the package's
`postgres` user."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _binaries() -> Path:
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)),
                                           None)
    if not found:
        pytest.fail("PostgreSQL is not installed: `make test` installs Debian's postgresql package "
                    "(apt-get install postgresql).")
    return Path(found).resolve().parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class PostgresServer:
    def __init__(self, root: Path):
        self.bin = _binaries()
        self.data = root / "pgdata"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        if os.geteuid() == 0:  # the server's user must own its folder and reach it
            account = pwd.getpwnam("postgres")
            root.chmod(0o755)
            for parent in root.parents:
                if parent == Path("/"):
                    break
                parent.chmod(parent.stat().st_mode | 0o005)
            self.data.mkdir()
            os.chown(self.data, account.pw_uid, account.pw_gid)

    def run(self, *command: str) -> None:
        result = subprocess.run(_as_server_user([str(self.bin / command[0]), *command[1:]]), capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self) -> "PostgresServer":
        self.run("initdb", "-D", str(self.data), "-U", "hosakan", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.data / "server.log"), "-o",
                 f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c max_connections=200 -c fsync=off",
                 "start")
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "hosakan", "hosakan")
        return self

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://hosakan@127.0.0.1:{self.port}/hosakan"


@pytest.fixture(scope="module")
def postgres():
    # not under pytest's own temporary folder: a second pytest run on the machine sets that back to
    # owner-only, and the server's user could no longer reach its data
    root = Path(tempfile.mkdtemp(prefix="hosakan-postgres-"))
    try:
        server = PostgresServer(root).start()
        yield server
        server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
