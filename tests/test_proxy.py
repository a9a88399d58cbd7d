"""deploy/nginx.conf as a municipality runs it: Debian's nginx with TLS and Basic sign-in in front of a
real `hosakan serve` on loopback, which trusts only that proxy (HOSAKAN_TRUSTED_PROXIES)."""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import ssl
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hosakan.bot.sentences import http_replies
from hosakan.bot.storage.history import History
from tests.support.cli import HOSAKAN, clean_env, free_port

ROOT = Path(__file__).resolve().parent.parent
NAME = "hosakan.example.lg.jp"
TOKEN = "proxy-test-token-0123456789abcdef"
QUESTION = "大阪府のCIO補佐官の任期は？"
SINCE = datetime(2000, 1, 1, tzinfo=timezone.utc)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian's nginx is not installed (make system)")


def site_config(serve_port: int, https_port: int, http_port: int, folder: Path) -> str:
    """deploy/nginx.conf with this test's ports and files in place of the example's."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for old, new in (("server 127.0.0.1:3978;", f"server 127.0.0.1:{serve_port};"),
                     ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("/etc/pki/tls/certs/hosakan.crt", str(folder / "hosakan.crt")),
                     ("/etc/pki/tls/private/hosakan.key", str(folder / "hosakan.key")),
                     ("/etc/nginx/hosakan.htpasswd", str(folder / "hosakan.htpasswd"))):
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def main_config(folder: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the test's owner-only files
    temps = "".join(f"{kind}_temp_path {folder / kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\naccess_log off;\n"
            f"{temps}include {folder / 'hosakan.conf'};\n}}\n")


@dataclass
class Site:
    serve: int
    https: int
    http: int
    home: Path
    cert: Path

    def proxy(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        return request(self.https, method, path, body, headers, cert=self.cert)


@pytest.fixture(scope="module")
def site(index_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={NAME}",
                    "-addext", f"subjectAltName=DNS:{NAME},IP:127.0.0.1", "-keyout", str(folder / "hosakan.key"),
                    "-out", str(folder / "hosakan.crt")], check=True, capture_output=True, timeout=60)
    hashed = subprocess.run(["openssl", "passwd", "-apr1", "tanaka-pass"], check=True, capture_output=True, text=True)
    (folder / "hosakan.htpasswd").write_text(f"tanaka:{hashed.stdout.strip()}\n")
    serve_port, https_port, http_port = free_port(), free_port(), free_port()
    (folder / "hosakan.conf").write_text(site_config(serve_port, https_port, http_port, folder))
    (folder / "nginx.conf").write_text(main_config(folder))

    home = tmp_path_factory.mktemp("proxied-home")
    env = clean_env(HOSAKAN_HOME=str(home), HOSAKAN_KNOWLEDGE_DIR=str(ROOT / "knowledge"),
                    HOSAKAN_INDEX_DIR=str(index_dir), HOSAKAN_WORKERS="1", HOSAKAN_SEMANTIC="false",
                    HOSAKAN_TRUSTED_PROXIES="127.0.0.2",
                    HOSAKAN_ALLOWED_HOSTS=NAME, HOSAKAN_WEB_USER_HEADER="X-Forwarded-User", HOSAKAN_API_TOKENS=TOKEN)
    serve = subprocess.Popen([HOSAKAN, "serve", "--port", str(serve_port)],
                             env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    nginx = subprocess.Popen([NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder),
                              "-e", str(folder / "error.log")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if request(serve_port, "GET", "/healthz")[0] == 200 and \
                        request(https_port, "GET", "/healthz", cert=folder / "hosakan.crt")[0] == 200:
                    break
            except OSError:
                pass
            assert serve.poll() is None, serve.communicate()[0][-3000:]
            assert nginx.poll() is None, nginx.communicate()[0][-3000:] + (folder / "error.log").read_text()
            assert time.monotonic() < deadline, "serve or nginx did not come up"
            time.sleep(0.3)
        yield Site(serve_port, https_port, http_port, home, folder / "hosakan.crt")
    finally:
        for process in (nginx, serve):
            process.terminate()
            process.wait(timeout=20)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            cert: Path | None = None) -> tuple[int, dict, bytes]:
    """One request to 127.0.0.1:``port`` for the site's name: over TLS, checked against ``cert``, when given."""
    if cert is not None:
        context = ssl.create_default_context(cafile=str(cert))
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": NAME, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def signed_in(**headers: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(b"tanaka:tanaka-pass").decode(), **headers}


def test_the_page_and_the_api_answer_through_the_proxy_over_https(site):
    status, _, body = site.proxy("GET", "/")
    assert status == 401  # nginx's sign-in comes first
    status, headers, body = site.proxy("GET", "/", headers=signed_in())
    assert status == 200 and http_replies.WEB_TITLE in body.decode() and headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")

    status, _, body = site.proxy("POST", "/api/v1/ask", json.dumps({"question": QUESTION}).encode(),
                              {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert status == 200 and "任期1年間" in json.loads(body)["direct_answer"]

    status, headers, _ = request(site.http, "GET", "/?q=1")
    assert status == 301 and headers["Location"] == f"https://{NAME}/?q=1"
    status, _, _ = site.proxy("POST", "/api/v1/ask", b"x" * (2 * 2**20),
                           {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert status == 413  # refused by nginx before serve reads it


def test_the_user_is_the_one_the_proxy_signed_in_never_the_one_a_client_names(site):
    ask = json.dumps({"question": QUESTION}).encode()
    forged = {"X-Forwarded-User": "admin", "Content-Type": "application/json", "Origin": f"https://{NAME}"}
    status, _, _ = site.proxy("POST", "/web/ask", ask, forged)
    assert status == 401  # a client naming itself gets nothing without signing in
    status, _, body = site.proxy("POST", "/web/ask", ask, signed_in(**forged))
    assert status == 200 and "任期1年間" in json.dumps(json.loads(body), ensure_ascii=False)

    history = History(f"sqlite:///{site.home / 'hosakan.db'}", (site.home / "hosakan.salt").read_text().strip())
    try:
        deadline = time.monotonic() + 30
        while not history.questions(since=SINCE) and time.monotonic() < deadline:
            time.sleep(0.2)
        users = {row.user_hash for row in history.questions(since=SINCE) if row.platform == "web"}
    finally:
        history.close()
    assert users == {history.user_hash("web", "tanaka")}, "the client's own X-Forwarded-User reached serve"


def test_serve_refuses_whatever_bypasses_the_proxy_but_answers_its_own_health_check(site):
    status, _, body = request(site.serve, "GET", "/", headers={"X-Forwarded-User": "tanaka"})
    assert status == 403
    assert json.loads(body) == {"error": "not_through_proxy", "message": http_replies.HTTP_NOT_PROXIED}
    status, _, _ = request(site.serve, "POST", "/api/v1/ask", json.dumps({"question": QUESTION}).encode(),
                           {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert status == 403
    status, _, body = request(site.serve, "GET", "/healthz")
    assert status == 200 and json.loads(body)["platforms"]["web"] == "header"

