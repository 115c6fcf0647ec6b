"""The outbox's HTTP connections to Slack's Web API: one kept-alive connection per sending thread.

Why not slack_sdk's WebClient here: it sends every request through urllib with a new TCP (and,
against slack.com, TLS) connection, and that set-up was the largest part of the engine's CPU
for a message in a burst of reminders (`bench/reminder_fanout.py`). The outbox makes only a few
kinds of call (chat.postMessage, chat.update, views.publish, a digest's file upload), so each of
the engine's sending threads keeps one connection open and reuses it. Not httpx (its HTTP parser
is pure Python: 1.5 ms of CPU a request on a reused connection), nor `http.client` (0.5 ms, most
of it parsing the answer's headers through the `email` package): these few POSTs are written
as one buffer and their answers read with a handful of byte operations (`outbox_wire`).

A connection the server closed while idle (Slack closes them after a while) is noticed before
it is reused: its socket reads as ready (EOF) and a new connection is made, so a request is never
written to a dead connection. Like the sender's former client it never retries by itself (the
engine owns retries, see `slack.notifier`), and it answers in slack_sdk's terms: `SlackApiError`
for ok=false and HTTP errors, `OSError` for the network, so the sender sorts them in one place.
"""

from __future__ import annotations

import json
import select
import threading
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from smmbot.slack.outbox_wire import WireConnection, WireError

_JSON: Final = "application/json; charset=utf-8"
_FORM: Final = "application/x-www-form-urlencoded"
_BYTES: Final = "application/octet-stream"


class KeepAliveWebApi:
    """POSTs Web API methods as JSON; thread-safe: each thread has a connection of its own."""

    def __init__(self, *, api_url: str, timeout: float) -> None:
        parts = urlsplit(api_url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._https else 80)
        self._path = parts.path if parts.path.endswith("/") else f"{parts.path}/"
        self._url = f"{parts.scheme}://{parts.netloc}{self._path}"
        self._timeout = timeout
        self._local = threading.local()

    def call(
        self, method: str, *, token: str, body: Mapping[str, Any], form: bool = False
    ) -> SlackResponse:
        """The method's answer; raises SlackApiError (ok=false, HTTP != 200) or OSError.
        `form`: sent form-encoded, for the methods that take no JSON (the upload flow's)."""
        data, kind = (_form(body), _FORM) if form else (_json(body), _JSON)
        response = self._request(self._path + method, data, kind, token, self._url + method)
        if response.get("ok") is not True:
            reason = f"{method} failed: {response.get('error') or response.status_code}"
            raise SlackApiError(reason, response)  # type: ignore[no-untyped-call]
        return response

    def upload(self, url: str, content: bytes) -> None:
        """The bytes of a file, POSTed raw to the upload URL files.getUploadURLExternal gave:
        on the kept-alive connection when it is Slack's API host, else on a connection of its
        own (Slack's is files.slack.com). Raises SlackApiError for HTTP != 200, or OSError."""
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if (parts.hostname, port) == (self._host, self._port):
            self._request(path, content, _BYTES, None, url)
            return
        other = KeepAliveWebApi(api_url=f"{parts.scheme}://{parts.netloc}/", timeout=self._timeout)
        try:
            other._request(path, content, _BYTES, None, url)
        finally:
            other._close()

    def _request(
        self, path: str, data: bytes, kind: str, token: str | None, url: str
    ) -> SlackResponse:
        connection = self._connection()
        try:
            answer = connection.post(path, token=token, body=data, content_type=kind)
        except (OSError, WireError) as error:  # refused, reset, timed out, not HTTP
            self._close()
            raise OSError(f"{type(error).__name__}: {error}") from error
        if answer.will_close:
            self._close()
        response = SlackResponse(
            client=None,
            http_verb="POST",
            api_url=url,
            req_args={},
            data=_decoded(answer.body),
            headers=answer.headers,
            status_code=answer.status,
        )
        if answer.status != 200:
            reason = f"{url} failed: {response.get('error') or answer.status}"
            raise SlackApiError(reason, response)  # type: ignore[no-untyped-call]
        return response

    def _close(self) -> None:
        connection: WireConnection | None = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._local.connection = None

    def _connection(self) -> WireConnection:
        connection: WireConnection | None = getattr(self._local, "connection", None)
        if connection is not None and _closed_by_server(connection):
            connection.close()
            connection = None
        if connection is None:
            connection = WireConnection(
                self._host, self._port, https=self._https, timeout=self._timeout
            )
            self._local.connection = connection
        return connection


def _closed_by_server(connection: WireConnection) -> bool:
    """An idle kept-alive socket that reads as ready has been closed (or broken) by the server."""
    sock = connection.sock
    if sock is None:
        return False  # not connected yet: the first post connects
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _json(body: Mapping[str, Any]) -> bytes:
    """As slack_sdk does, an argument given as None is not sent at all."""
    return json.dumps({key: value for key, value in body.items() if value is not None}).encode()


def _form(body: Mapping[str, Any]) -> bytes:
    """Form fields; lists and objects as JSON text, as slack_sdk sends them."""
    fields = {
        key: value if isinstance(value, str | int) else json.dumps(value)
        for key, value in body.items()
        if value is not None
    }
    return urlencode(fields).encode()


def _decoded(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:  # an HTML error page from a proxy, an empty 503
        return {}
    return data if isinstance(data, dict) else {}
