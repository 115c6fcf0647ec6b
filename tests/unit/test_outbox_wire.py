"""The outbox's HTTP/1.1 client against canned answers: the body framings a server may use, a
connection the server closes after its answer, and answers that are not HTTP (network errors
to the engine, so the message is retried)."""

from __future__ import annotations

import socket
import threading

import pytest
from slack_sdk.errors import SlackApiError

from smmbot.slack.outbox_http import KeepAliveWebApi

OK = b'{"ok": true, "ts": "1.5"}'


class CannedServer:
    """Answers each request on one connection with the next canned answer, then closes."""

    def __init__(self, answers: list[bytes]) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/api/"
        self.requests: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, args=(answers,), daemon=True)
        self._thread.start()

    def _serve(self, answers: list[bytes]) -> None:
        connection, _ = self._listener.accept()
        with connection:
            for answer in answers:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += connection.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                while len(body) < length:
                    body += connection.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + body)
                connection.sendall(answer)

    def close(self) -> None:
        self._thread.join(timeout=5)
        self._listener.close()


def call(answers: list[bytes]) -> tuple[dict[str, object], CannedServer]:
    server = CannedServer(answers)
    try:
        api = KeepAliveWebApi(api_url=server.url, timeout=5)
        results = [api.call("chat.postMessage", token="xoxb-1", body={"channel": "C1"}).data]
        for _ in answers[1:]:
            results.append(api.call("chat.postMessage", token="xoxb-1", body={"text": "x"}).data)
    finally:
        server.close()
    last = results[-1]
    assert isinstance(last, dict)
    return last, server


def answer(headers: str, body: bytes) -> bytes:
    return f"HTTP/1.1 200 OK\r\n{headers}\r\n".encode() + body


def test_a_post_is_one_json_request_with_the_token_and_its_length() -> None:
    data, server = call([answer(f"Content-Length: {len(OK)}\r\n", OK)])
    assert data == {"ok": True, "ts": "1.5"}
    (request,) = server.requests
    assert request.startswith(b"POST /api/chat.postMessage HTTP/1.1\r\n")
    assert b"\r\nAuthorization: Bearer xoxb-1\r\n" in request
    assert request.endswith(b'\r\nContent-Length: 17\r\n\r\n{"channel": "C1"}')


def test_kept_alive_answers_with_a_length_then_chunked_are_read_whole() -> None:
    chunked = (
        b"5\r\n" + OK[:5] + b"\r\n" + b"%x;ext=1\r\n" % (len(OK) - 5) + OK[5:] + b"\r\n0\r\n\r\n"
    )
    data, server = call(
        [
            answer(f"Content-Length: {len(OK)}\r\n", OK),
            answer("Transfer-Encoding: chunked\r\n", chunked),
        ]
    )
    assert data == {"ok": True, "ts": "1.5"}
    assert len(server.requests) == 2


def test_an_answer_that_closes_the_connection_is_read_to_its_end() -> None:
    data, _ = call([answer("Connection: close\r\n", OK)])
    assert data == {"ok": True, "ts": "1.5"}


def test_a_slack_error_keeps_its_status_and_headers() -> None:
    server = CannedServer(
        [b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n"]
    )
    api = KeepAliveWebApi(api_url=server.url, timeout=5)
    with pytest.raises(SlackApiError) as raised:
        api.call("chat.postMessage", token="xoxb-1", body={})
    server.close()
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"


@pytest.mark.parametrize(
    "reply",
    [
        b"SSH-2.0-OpenSSH\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + OK,  # cut short
        b"",  # closed before answering
    ],
)
def test_an_answer_that_is_not_whole_http_is_a_network_error(reply: bytes) -> None:
    server = CannedServer([reply])
    api = KeepAliveWebApi(api_url=server.url, timeout=5)
    with pytest.raises(OSError, match="WireError"):
        api.call("chat.postMessage", token="xoxb-1", body={})
    server.close()
