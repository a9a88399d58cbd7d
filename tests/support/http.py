"""Raw HTTP/1.1 to a server on 127.0.0.1, sent byte by byte, and the check that a refusal is Japanese JSON."""

from __future__ import annotations

import json
import socket
import time

from hosakan.adapters.server import Server


def raw(server: Server, head: bytes, pieces: list[bytes] = (), pause: float = 0.0) -> tuple[int, dict, bytes]:
    """Send a request as bytes (the head, then each piece after ``pause``) and read the response."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(head)
        for piece in pieces:
            time.sleep(pause)
            connection.sendall(piece)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def request(server: Server, method: str, path: str, body: bytes = b"", headers: dict | None = None,
            host: str | None = None) -> tuple[int, dict, bytes]:
    headers = {"Host": host or f"127.0.0.1:{server.port}", "Content-Length": str(len(body)),
               "Connection": "close", **(headers or {})}
    head = f"{method} {path} HTTP/1.1\r\n".encode() + b"".join(
        (k.encode() + b": " + (v if isinstance(v, bytes) else v.encode()) + b"\r\n") for k, v in headers.items())
    return raw(server, head + b"\r\n" + body)


def refused_in_japanese(status: int, headers: dict, body: bytes, *codes: int) -> None:
    assert status in codes, (status, body[:200])
    assert headers["content-type"].startswith("application/json")
    message = json.loads(body)["message"]
    assert message and any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in message)
    assert (headers["x-content-type-options"] == "nosniff"
            and "frame-ancestors 'none'" in headers["content-security-policy"])
    assert headers["server"] == "Hosakan"  # no library name or version
