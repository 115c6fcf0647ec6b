"""HTTP/1.1 for the outbox's requests to Slack: one kept-alive socket, a POST written whole.

Only what these requests need (see `outbox_http`): a POST (JSON, a form, a file's bytes) with
a bearer token where it goes to the Web API, and an
answer with a status, headers and a body given by Content-Length, chunked, or read to the end of
a closing connection. Anything else (a malformed status line, an over-long line, a body cut
short) is a `WireError`, which the caller treats as a network error: the connection is dropped
and the engine retries the message later.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from typing import Final

_MAX_LINE: Final = 65536
_MAX_HEADERS: Final = 100
_JSON: Final = "application/json; charset=utf-8"


class WireError(Exception):
    """The server's answer is not HTTP/1.x as expected, or it ended early."""


@dataclass(frozen=True)
class WireAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    will_close: bool  # the server closes the connection after this answer


class WireConnection:
    """Not thread-safe: one per sending thread. Connects on the first post."""

    def __init__(self, host: str, port: int, *, https: bool, timeout: float) -> None:
        self._address = (host, port)
        default_port = 443 if https else 80
        self._host_header = host if port == default_port else f"{host}:{port}"
        self._tls = ssl.create_default_context() if https else None
        self._timeout = timeout
        self.sock: socket.socket | None = None
        self._buffer = b""

    def post(
        self, path: str, *, token: str | None, body: bytes, content_type: str = _JSON
    ) -> WireAnswer:
        sock = self.sock or self._connect()
        authorization = f"Authorization: Bearer {token}\r\n" if token else ""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self._host_header}\r\n"
            f"{authorization}Content-Type: {content_type}\r\n"
            f"Accept-Encoding: identity\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode("latin-1") + body)
        return self._answer()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self._buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self._address, timeout=self._timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self._address[0])
        self.sock = sock
        return sock

    def _answer(self) -> WireAnswer:
        status_line = self._line()
        version, _, rest = status_line.partition(b" ")
        code = rest[:3]
        if not version.startswith(b"HTTP/1.") or not code.isdigit():
            raise WireError(f"not an HTTP answer: {status_line[:80]!r}")
        headers: dict[str, str] = {}
        for _ in range(_MAX_HEADERS):
            line = self._line()
            if not line:
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip()] = value.strip()
        else:
            raise WireError("too many headers")
        lowered = {name.lower(): value.lower() for name, value in headers.items()}
        close = lowered.get("connection") == "close" or (
            version == b"HTTP/1.0" and lowered.get("connection") != "keep-alive"
        )
        if lowered.get("transfer-encoding", "").endswith("chunked"):
            body = self._chunked()
        elif "content-length" in lowered:
            body = self._exactly(int(lowered["content-length"]))
        else:
            body, close = self._to_end(), True
        return WireAnswer(status=int(code), headers=headers, body=body, will_close=close)

    def _chunked(self) -> bytes:
        chunks = []
        while size := int(self._line().split(b";", 1)[0], 16):
            chunks.append(self._exactly(size))
            self._line()  # the CRLF after the chunk
        while self._line():  # trailers, up to the empty line
            pass
        return b"".join(chunks)

    def _line(self) -> bytes:
        """The next line without its CRLF."""
        while (end := self._buffer.find(b"\n")) < 0:
            if len(self._buffer) > _MAX_LINE:
                raise WireError("line too long")
            self._fill()
        line, self._buffer = self._buffer[:end], self._buffer[end + 1 :]
        return line.rstrip(b"\r")

    def _exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            self._fill()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _to_end(self) -> bytes:
        while data := self._received():
            self._buffer += data
        data, self._buffer = self._buffer, b""
        return data

    def _fill(self) -> None:
        data = self._received()
        if not data:
            raise WireError("the connection closed mid-answer")
        self._buffer += data

    def _received(self) -> bytes:
        if self.sock is None:
            raise WireError("not connected")
        return self.sock.recv(65536)
