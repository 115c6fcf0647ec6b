"""A local stand-in for the Slack Web API.

Tests (and the benchmark) run the real app with ``SLACK_API_URL`` pointing at
:attr:`SlackApiMock.base_url`, because there is no network in CI and because we
need to see exactly what the app sent, and to make Slack misbehave on purpose
(rate limits, 5xx, slowness) in a way the real service never does on demand.

Everything the mock receives is kept as a :class:`RecordedCall`. Times are
``time.monotonic()`` values: ``time_machine`` does not move that clock, so time
travel in a test cannot break timeouts or rate-limit arithmetic here.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import itertools
import json
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, quote, urlsplit
from zoneinfo import ZoneInfo

from tests.support.slack_history import ChannelHistory

DEFAULT_TZ = "Asia/Jakarta"
DEFAULT_LOCALE = "en-US"
TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0001"

AUTH_TEST: dict[str, Any] = {
    "ok": True,
    "url": "https://mock.slack.com/",
    "team": "Mock",
    "user": "smmbot",
    "team_id": TEAM_ID,
    "user_id": BOT_USER_ID,
    "bot_id": BOT_ID,
    "is_enterprise_install": False,
}

#: A fixed answer, or a function of the call that builds one.
Answer = Mapping[str, Any] | Callable[["RecordedCall"], Mapping[str, Any]]

#: What Slack serves a client it does not let read a file: its sign-in page, with status 200.
LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"


@dataclass(frozen=True)
class RecordedCall:
    """One request as the mock saw it, so tests can assert on what the app sent.

    ``method`` is the Web API method (``chat.postMessage``), or ``response_url``
    / ``upload`` / ``file_download`` for those endpoints, or ``unknown``. ``headers`` has lower-case
    names, because urllib and Slack's clients disagree on capitalisation.
    ``body`` holds form fields (one value: ``str``; repeated: ``list[str]``;
    multipart file parts: ``bytes``), query-string fields (slack_sdk sends
    "GET" methods such as ``users.info`` that way), or the JSON object.
    ``status`` is the HTTP status the mock answered with, ``answer`` what it answered (the
    ``ts`` of a posted message, which a later chat.update must name).
    """

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes
    at: float
    status: int = 200
    answer: Any = None
    client_port: int = 0  # the client's TCP port: one port for calls on one kept-alive connection

    def json_field(self, name: str) -> Any:
        """Decode a field that Slack clients send as JSON text (blocks, view, ...).

        JSON requests already carry objects, which are returned unchanged.
        """
        if name not in self.body:
            raise KeyError(f"{self.method} call has no field {name!r}; fields: {sorted(self.body)}")
        value = self.body[name]
        return json.loads(value) if isinstance(value, str | bytes) else value

    def header(self, name: str) -> str | None:
        """Look a header up regardless of case."""
        return self.headers.get(name.lower())

    @property
    def token(self) -> str | None:
        """The token used: the bearer token, or a ``token`` form field."""
        auth = self.header("Authorization") or ""
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        token = self.body.get("token")
        return token if isinstance(token, str) else None

    @property
    def channel(self) -> str | None:
        """The target channel (``channel`` or ``channel_id`` field), if any."""
        for key in ("channel", "channel_id"):
            value = self.body.get(key)
            if isinstance(value, str) and value:
                return value
        return None


@dataclass(frozen=True)
class UploadedFile:
    """A file that went through the three-step external upload flow."""

    file_id: str
    filename: str
    length: int | None
    content: bytes | None = None


@dataclass(frozen=True)
class SharedFileEntry:
    """A file members shared, served at its ``url_private_download`` to ``token`` only."""

    info: dict[str, Any]
    content: bytes
    token: str


@dataclass(frozen=True)
class OAuthGrant:
    """An install a member approved on Slack's authorize page: the one-time ``code`` Slack sends
    to the app's redirect URL, and what oauth.v2.access gives the app for it."""

    code: str
    team_id: str
    team_name: str
    installer_id: str
    scope: str
    bot_token: str
    bot_user_id: str
    bot_id: str


@dataclass(frozen=True)
class _Fault:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


#: A JSON answer, or raw bytes (a file download) sent with the Content-Type in the headers.
_Body = dict[str, Any] | bytes


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: dict[str, str]
    body: _Body


def _parse_multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    """Split a multipart body into fields: text parts as str, file parts as bytes."""
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
    )
    fields: dict[str, Any] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        fields[name] = data if part.get_filename() is not None else data.decode("utf-8", "replace")
    return fields


def _file_content(content_type: str, raw: bytes) -> bytes:
    """The uploaded bytes, whether sent raw (slack_sdk) or as multipart (curl -F)."""
    if content_type.lower().startswith("multipart/"):
        for value in _parse_multipart(content_type, raw).values():
            if isinstance(value, bytes):
                return value
    return raw


def _parse_form(text: str) -> dict[str, Any]:
    return {
        k: v[0] if len(v) == 1 else v for k, v in parse_qs(text, keep_blank_values=True).items()
    }


def _parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    kind = content_type.lower()
    if kind.startswith("application/json"):
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {"_json": value}
    if kind.startswith("multipart/"):
        return _parse_multipart(content_type, raw)
    return _parse_form(raw.decode("utf-8", "replace"))


def _default_fault_body(status: int) -> dict[str, Any]:
    if status == 429:
        return {"ok": False, "error": "ratelimited"}
    if status >= 500:
        return {"ok": False, "error": "internal_error"}
    return {"ok": False, "error": "mock_error"}


def _zone_fields(tz: str) -> dict[str, Any]:
    """tz_label/tz_offset as Slack derives them, for the current moment."""
    now = datetime.now(ZoneInfo(tz))
    offset = now.utcoffset()
    return {
        "tz": tz,
        "tz_label": now.tzname() or tz,
        "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
    }


def _user_object(
    user_id: str,
    *,
    tz: str = DEFAULT_TZ,
    locale: str = DEFAULT_LOCALE,
    name: str | None = None,
    real_name: str | None = None,
    is_bot: bool = False,
    deleted: bool = False,
    is_admin: bool = False,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    handle = name or user_id.lower()
    full = real_name or handle
    return {
        "id": user_id,
        "team_id": team_id,
        "name": handle,
        "deleted": deleted,
        "real_name": full,
        **_zone_fields(tz),
        "is_admin": is_admin,
        "is_owner": False,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": 1700000000,
        "locale": locale,
        "profile": {
            "real_name": full,
            "real_name_normalized": full,
            "display_name": handle,
            "display_name_normalized": handle,
            "team": team_id,
        },
    }


def _client_credentials(call: RecordedCall) -> tuple[str | None, str | None]:
    """client_id and client_secret from HTTP Basic auth (slack_sdk) or form fields (curl)."""
    scheme, _, encoded = (call.header("Authorization") or "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        return client_id, secret
    form_id, form_secret = call.body.get("client_id"), call.body.get("client_secret")
    return (
        form_id if isinstance(form_id, str) else None,
        form_secret if isinstance(form_secret, str) else None,
    )


def _auth_test(grant: OAuthGrant) -> dict[str, Any]:
    """auth.test for a token issued by oauth.v2.access: that workspace's bot."""
    return {
        **AUTH_TEST,
        "url": f"https://{grant.team_id.lower()}.slack.com/",
        "team": grant.team_name,
        "team_id": grant.team_id,
        "user_id": grant.bot_user_id,
        "bot_id": grant.bot_id,
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the benchmark fires many requests at once

    def __init__(self, mock: SlackApiMock) -> None:
        self.mock = mock
        self.idle_timeout: float | None = None  # seconds a kept-alive connection may idle
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    """Speaks HTTP/1.1 with keep-alive, as Slack does, so a client's connection reuse (the
    outbox's pool) is measured as it would be against Slack; every answer has a Content-Length."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        if self.server.idle_timeout is not None:  # as Slack, close connections left idle
            self.connection.settimeout(self.server.idle_timeout)

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.mock._dispatch(self.path, headers, raw, self.client_address[1])
        extra = dict(reply.headers)
        if isinstance(reply.body, bytes):
            payload = reply.body
            content_type = extra.pop("Content-Type", "application/octet-stream")
        else:
            payload = json.dumps(reply.body).encode()
            content_type = "application/json; charset=utf-8"
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout fired during set_delay)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep pytest output clean; the recorded calls are the log."""


class SlackApiMock:
    """A threaded HTTP server that answers like the Slack Web API and records calls.

    Use as ``with SlackApiMock() as slack:`` or call :meth:`start`/:meth:`stop`.
    ``users`` and ``channels`` hold the objects ``users.info`` and
    ``conversations.info`` return; fill them with :meth:`set_user` /
    :meth:`set_channel`. With ``require_include_locale=True`` the user object
    only carries ``locale`` when the request asks for it, as Slack does.
    OAuth installs: :meth:`set_oauth_app`, then :meth:`approve_install` per
    workspace gives the code that ``oauth.v2.access`` exchanges for its token.
    """

    def __init__(self, *, require_include_locale: bool = False) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.user_groups: dict[str, list[str]] = {}
        self.require_include_locale = require_include_locale
        self._cond = threading.Condition()
        self._calls: list[RecordedCall] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, float] = {}
        self._answers: dict[str, Answer] = {}
        self._rates: dict[str, float] = {}
        self._last_accepted: dict[tuple[str, str], float] = {}
        self._tiers: dict[str, int] = {}
        self._accepted_by_token: dict[tuple[str, str], deque[float]] = {}
        self._uploads: dict[str, UploadedFile] = {}
        self._shared: dict[str, SharedFileEntry] = {}
        self._oauth_client: tuple[str, str] | None = None
        self._grants: dict[str, OAuthGrant] = {}  # by code, until exchanged
        self._installed: dict[str, OAuthGrant] = {}  # by bot token, once exchanged
        self._last_ts_micros = 0
        self.history = ChannelHistory()
        self._random_faults: dict[str, tuple[float, _Fault, random.Random]] = {}
        self._id_seq = itertools.count(1)
        self._response_seq = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("SlackApiMock is already running")
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},  # stop() waits up to one interval,
            name="slack-api-mock",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut down; slow (delayed) answers are cut short so this stays quick."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash."""
        if self._server is None:
            raise RuntimeError("SlackApiMock is not running; use start() or a with block")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """The value for SLACK_API_URL / ``WebClient(base_url=...)``."""
        return f"{self.root_url}/api/"

    def response_url(self, name: str = "cmd") -> str:
        """A fresh response_url; POSTs to it are recorded as method ``response_url``."""
        return f"{self.root_url}/response/{name}-{next(self._response_seq)}"

    # -- configuration -----------------------------------------------------

    def set_user(
        self,
        user_id: str,
        *,
        tz: str = DEFAULT_TZ,
        locale: str = DEFAULT_LOCALE,
        name: str | None = None,
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
    ) -> dict[str, Any]:
        """Define what ``users.info`` says about a user (tz_offset from zoneinfo, now)."""
        user = _user_object(
            user_id,
            tz=tz,
            locale=locale,
            name=name,
            real_name=real_name,
            is_bot=is_bot,
            deleted=deleted,
            is_admin=is_admin,
        )
        with self._cond:
            self.users[user_id] = user
        return user

    def set_user_group(self, group_id: str, members: list[str]) -> None:
        """Define what ``usergroups.users.list`` answers for a user group (``S…``)."""
        with self._cond:
            self.user_groups[group_id] = list(members)

    def set_channel(self, channel_id: str, **fields: Any) -> dict[str, Any]:
        """Define (part of) what ``conversations.info`` says about a channel."""
        channel = {**self._default_channel(channel_id), **fields}
        with self._cond:
            self.channels[channel_id] = channel
        return channel

    def add_file(
        self,
        name: str,
        content: bytes,
        *,
        token: str,
        filetype: str = "csv",
        mimetype: str = "text/csv",
        size: int | None = None,
    ) -> dict[str, Any]:
        """Register a file a member shared and return Slack's file object for it.

        Its ``url_private_download`` on the mock answers ``content`` only to a
        request bearing ``token``; any other request gets Slack's HTML sign-in
        page (status 200), as Slack does when the app lacks ``files:read``.
        ``files.info`` returns the object too. ``size`` overrides the announced size.
        """
        file_id = self._next_id("F")
        url = f"{self.root_url}/files-pri/{TEAM_ID}-{file_id}/download/{quote(name)}"
        info: dict[str, Any] = {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": filetype,
            "mimetype": mimetype,
            "size": len(content) if size is None else size,
            "user": "U0001",
            "url_private": url.replace("/download/", "/"),
            "url_private_download": url,
            "permalink": f"https://mock.slack.com/files/U0001/{file_id}/{quote(name)}",
        }
        with self._cond:
            self._shared[file_id] = SharedFileEntry(info, content, token)
        return dict(info)

    def fail_next(
        self,
        method: str,
        status: int = 429,
        headers: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error.

        Without ``headers`` a 429 carries ``Retry-After: 1``; without ``body``
        it is Slack's ``ratelimited`` (429), ``internal_error`` (5xx) or a
        generic ``mock_error`` answer.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        fault_headers = dict(headers) if headers is not None else {}
        if headers is None and status == 429:
            fault_headers = {"Retry-After": "1"}
        fault_body = dict(body) if body is not None else _default_fault_body(status)
        with self._cond:
            queue = self._faults.setdefault(method, deque())
            queue.extend(_Fault(status, fault_headers, fault_body) for _ in range(times))

    def fail_randomly(self, method: str, status: int, fraction: float, seed: int = 0) -> None:
        """Answer about `fraction` of the calls of ``method`` with ``status`` (Slack unwell:
        e.g. 2% of 503s), at random but the same from run to run for a seed; 0 lifts it."""
        with self._cond:
            if fraction <= 0:
                self._random_faults.pop(method, None)
                return
            fault = _Fault(status, {}, _default_fault_body(status))
            self._random_faults[method] = (fraction, fault, random.Random(seed))

    def set_delay(self, method: str, seconds: float) -> None:
        """Hold every answer to ``method`` for ``seconds`` (0 removes the delay)."""
        with self._cond:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def set_answer(self, method: str, body: Answer | None) -> None:
        """Replace the default 200 answer to ``method`` (``None`` restores it).

        ``body`` may be a function of the :class:`RecordedCall` (status field
        not yet final) for answers that depend on the request.
        """
        with self._cond:
            if body is None:
                self._answers.pop(method, None)
            else:
                self._answers[method] = body if callable(body) else dict(body)

    def limit_rate(
        self, method: str = "chat.postMessage", per_channel_per_second: float | None = 1.0
    ) -> None:
        """Emulate Slack's per-channel limit: too-early calls get 429, Retry-After: 1.

        A call counts against the limit only if it was accepted. ``None`` lifts it.
        """
        with self._cond:
            if per_channel_per_second is None:
                self._rates.pop(method, None)
                return
            if per_channel_per_second <= 0:
                raise ValueError("per_channel_per_second must be positive")
            self._rates[method] = per_channel_per_second

    def limit_per_workspace(self, method: str, per_minute: int | None) -> None:
        """Emulate a Web API tier (Tier 4 is 100 calls a minute): per token, so per workspace,
        a call after `per_minute` accepted ones in the last 60 s gets 429 with the Retry-After
        that lets the oldest one age out. ``None`` lifts it."""
        with self._cond:
            if per_minute is None:
                self._tiers.pop(method, None)
            else:
                self._tiers[method] = per_minute

    def close_idle_after(self, seconds: float | None) -> None:
        """Close kept-alive connections idle for ``seconds`` (new connections), as Slack does."""
        if self._server is None:
            raise RuntimeError("start the mock first")
        self._server.idle_timeout = seconds

    def set_oauth_app(self, client_id: str, client_secret: str) -> None:
        """The app's credentials, which oauth.v2.access demands (Basic auth or form fields)."""
        with self._cond:
            self._oauth_client = (client_id, client_secret)

    def approve_install(
        self,
        *,
        team_id: str,
        team_name: str,
        scope: str,
        installer_id: str = "U0INSTALL",
    ) -> OAuthGrant:
        """What Slack does when ``installer_id`` approves the install for a workspace: issue a
        one-time code (for the redirect URL) that oauth.v2.access exchanges for a bot token.
        The token then answers auth.test as that workspace's bot."""
        grant = OAuthGrant(
            code=f"{team_id}.{self._next_id('')}.mockcode",
            team_id=team_id,
            team_name=team_name,
            installer_id=installer_id,
            scope=scope,
            bot_token=f"xoxb-{team_id}-{self._next_id('')}",
            bot_user_id=f"U{team_id}BOT",
            bot_id=f"B{team_id}",
        )
        with self._cond:
            self._grants[grant.code] = grant
        return grant

    # -- inspection --------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """A snapshot of the recorded calls, optionally of one method only."""
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def calls_to(self, url: str) -> list[RecordedCall]:
        """Calls whose path is that of ``url`` (e.g. one particular response_url)."""
        path = urlsplit(url).path
        with self._cond:
            return [c for c in self._calls if c.path == path]

    def last(self, method: str) -> RecordedCall:
        """The most recent call of ``method``; AssertionError if there is none."""
        found = self.calls(method)
        if not found:
            raise AssertionError(f"no {method!r} call recorded; {self._summary()}")
        return found[-1]

    def uploads(self) -> dict[str, UploadedFile]:
        """Files announced via files.getUploadURLExternal, by file id."""
        with self._cond:
            return dict(self._uploads)

    def clear(self) -> None:
        """Forget recorded calls (scripted faults, delays and answers stay)."""
        with self._cond:
            self._calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until ``count`` calls of ``method`` arrived; return all of them.

        The app talks to Slack from worker threads, so tests must wait rather
        than assert immediately. Raises AssertionError listing what did arrive.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected at least {count} {method!r} call(s) within {timeout}s, "
                        f"got {len(found)}; {self._summary()}"
                    )
                self._cond.wait(remaining)

    def _summary(self) -> str:
        with self._cond:
            calls = list(self._calls)
        if not calls:
            return "nothing was recorded"
        shown = calls[-20:]
        lines = [f"recorded {len(calls)} call(s)" + (", last 20:" if len(calls) > 20 else ":")]
        for c in shown:
            body = json.dumps(c.body, default=repr, ensure_ascii=False)
            if len(body) > 160:
                body = body[:157] + "..."
            lines.append(f"  {c.method} [{c.status}] {body}")
        return "\n".join(lines)

    # -- serving -----------------------------------------------------------

    def _method_for(self, path: str) -> str:
        if path.startswith("/api/"):
            return path[len("/api/") :]
        if path.startswith("/response/"):
            return "response_url"
        if path.startswith("/upload/"):
            return "upload"
        if path.startswith("/files-pri/"):
            return "file_download"
        return "unknown"

    def _dispatch(
        self, target: str, headers: dict[str, str], raw: bytes, client_port: int = 0
    ) -> _Reply:
        """Record one request and decide the answer (called from handler threads)."""
        at = time.monotonic()
        split = urlsplit(target)
        method = self._method_for(split.path)
        content_type = headers.get("content-type", "")  # boundary is case-sensitive
        query = _parse_form(split.query) if split.query else {}
        if method == "upload":
            body: dict[str, Any] = {"file_id": split.path[len("/upload/") :]}
            if content_type.lower().startswith("multipart/"):
                body.update(_parse_multipart(content_type, raw))
        else:
            body = {**query, **_parse_body(content_type, raw)}
        call = RecordedCall(method, split.path, headers, body, raw, at, client_port=client_port)

        with self._cond:
            status, extra_headers, answer = self._decide(call, content_type)
            self._calls.append(dataclasses.replace(call, status=status, answer=answer))
            self._cond.notify_all()
            delay = self._delays.get(method, 0.0)
        if delay > 0:
            self._stopping.wait(delay)  # stop() ends the wait early
        return _Reply(status, extra_headers, answer)

    def _decide(self, call: RecordedCall, content_type: str) -> tuple[int, dict[str, str], _Body]:
        """Pick the answer: scripted fault, then rate limit, then override/default."""
        method = call.method
        faults = self._faults.get(method)
        if faults:
            fault = faults.popleft()
            return fault.status, dict(fault.headers), dict(fault.body)
        chance = self._random_faults.get(method)
        if chance is not None and chance[2].random() < chance[0]:
            return chance[1].status, dict(chance[1].headers), dict(chance[1].body)
        if method == "file_download":
            return self._download_answer(call)
        rate = self._rates.get(method)
        if rate is not None:
            key = (method, call.channel or "")
            last = self._last_accepted.get(key)
            if last is not None and call.at - last < 1.0 / rate:
                return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
            self._last_accepted[key] = call.at
        tier = self._tiers.get(method)
        if tier is not None:
            window = self._accepted_by_token.setdefault((method, call.token or ""), deque())
            while window and call.at - window[0] >= 60.0:
                window.popleft()
            if len(window) >= tier:
                wait = str(max(1, math.ceil(60.0 - (call.at - window[0]))))
                return 429, {"Retry-After": wait}, {"ok": False, "error": "ratelimited"}
            window.append(call.at)
        override = self._answers.get(method)
        if override is not None:
            try:
                answer = override(call) if callable(override) else override
                return 200, {}, json.loads(json.dumps(answer))  # deep copy per call
            except Exception as error:  # a broken test answer must not hang the client
                return 500, {}, {"ok": False, "error": f"mock_answer_failed: {error!r}"}
        return self._default_answer(call, content_type)

    def _next_ts(self) -> str:
        """Slack's ts: the wall-clock moment of the message, unique in the workspace."""
        micros = max(int(time.time() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._id_seq):010d}"

    def _default_channel(self, channel_id: str) -> dict[str, Any]:
        return {
            "id": channel_id,
            "name": f"mock-{channel_id.lower()}",
            "is_channel": not channel_id.startswith(("D", "G")),
            "is_group": False,
            "is_im": channel_id.startswith("D"),
            "is_private": channel_id.startswith("G"),
            "is_archived": False,
            "is_member": True,
            "context_team_id": TEAM_ID,
        }

    def _default_answer(
        self, call: RecordedCall, content_type: str
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        method, body = call.method, call.body
        channel = call.channel or ""
        if method == "auth.test":
            installed = self._installed.get(call.token or "")
            return 200, {}, dict(AUTH_TEST) if installed is None else _auth_test(installed)
        if method == "oauth.v2.access":
            return 200, {}, self._oauth_access(call)
        if method == "users.info":
            return 200, {}, {"ok": True, "user": self._user_answer(call)}
        if method == "chat.postMessage":
            ts = self._next_ts()
            message = {
                "type": "message",
                "text": body.get("text", ""),
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "app_id": APP_ID,
                "ts": ts,
            }
            metadata = body.get("metadata")
            if isinstance(metadata, dict):  # Slack keeps it; history shows it when asked
                self.history.posted(channel, message | {"metadata": metadata})
            else:
                self.history.posted(channel, message)
            return 200, {}, {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            return 200, {}, self.history.answer(body)
        if method == "chat.postEphemeral":
            ts = self._next_ts()
            return 200, {}, {"ok": True, "channel": channel, "ts": ts, "message_ts": ts}
        if method == "chat.update":
            # Slack echoes the ts of the message being edited.
            given = body.get("ts")
            ts = given if isinstance(given, str) and given else self._next_ts()
            return 200, {}, {"ok": True, "channel": channel, "ts": ts, "text": body.get("text", "")}
        if method == "chat.delete":
            return 200, {}, {"ok": True, "channel": channel, "ts": body.get("ts", "")}
        if method == "chat.scheduleMessage":
            return (
                200,
                {},
                {
                    "ok": True,
                    "channel": channel,
                    "scheduled_message_id": self._next_id("Q"),
                    "post_at": body.get("post_at"),
                },
            )
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            return 200, {}, {"ok": True, "view": self._view_answer(call)}
        if method == "conversations.open":
            # A DM with one member: Slack answers its D… id, the same one every time.
            users = str(body.get("users", ""))
            return 200, {}, {"ok": True, "channel": {"id": "D" + users[1:]}}
        if method == "usergroups.users.list":
            # Slack's shape: {"ok": true, "users": ["U…", …]}, or no_such_subteam.
            members = self.user_groups.get(str(body.get("usergroup", "")))
            if members is None:
                return 200, {}, {"ok": False, "error": "no_such_subteam"}
            return 200, {}, {"ok": True, "users": list(members)}
        if method == "conversations.info":
            info = self.channels.get(channel) or self._default_channel(channel)
            return 200, {}, {"ok": True, "channel": info}
        if method == "apps.connections.open":
            return 200, {}, {"ok": False, "error": "not_allowed_token_type"}
        if method == "files.getUploadURLExternal":
            file_id = self._next_id("F")
            length = str(body.get("length", ""))
            self._uploads[file_id] = UploadedFile(
                file_id=file_id,
                filename=str(body.get("filename", "")),
                length=int(length) if length.isdigit() else None,
            )
            upload_url = f"{self.root_url}/upload/{file_id}"
            return 200, {}, {"ok": True, "upload_url": upload_url, "file_id": file_id}
        if method == "upload":
            file_id = body["file_id"]
            upload = self._uploads.get(file_id)
            if upload is None:
                return 404, {}, {"ok": False, "error": "unknown_upload"}
            content = _file_content(content_type, call.raw)
            self._uploads[file_id] = dataclasses.replace(upload, content=content)
            return 200, {}, {"ok": True}
        if method == "files.completeUploadExternal":
            return 200, {}, {"ok": True, "files": self._completed_files(call)}
        if method == "files.info":
            entry = self._shared.get(str(body.get("file", "")))
            if entry is None:
                return 200, {}, {"ok": False, "error": "file_not_found"}
            return 200, {}, {"ok": True, "file": dict(entry.info)}
        if method == "unknown":
            return 404, {}, {"ok": False, "error": "unknown_path"}
        return 200, {}, {"ok": True}

    def _oauth_access(self, call: RecordedCall) -> dict[str, Any]:
        """oauth.v2.access as Slack answers it: client credentials first, then the code, which
        works once. Called with the lock held."""
        client_id, client_secret = _client_credentials(call)
        if self._oauth_client is None or client_id != self._oauth_client[0]:
            return {"ok": False, "error": "invalid_client_id"}
        if client_secret != self._oauth_client[1]:
            return {"ok": False, "error": "bad_client_secret"}
        grant = self._grants.pop(str(call.body.get("code", "")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        self._installed[grant.bot_token] = grant
        return {
            "ok": True,
            "access_token": grant.bot_token,
            "token_type": "bot",
            "scope": grant.scope,
            "bot_user_id": grant.bot_user_id,
            "app_id": APP_ID,
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": grant.installer_id},
        }

    def _download_answer(self, call: RecordedCall) -> tuple[int, dict[str, str], _Body]:
        """The file's bytes for its token; Slack's sign-in page for anyone else."""
        file_id = call.path.split("/")[2].partition("-")[2]
        entry = self._shared.get(file_id)
        if entry is None:
            return 404, {}, {"ok": False, "error": "file_not_found"}
        if call.token != entry.token:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, LOGIN_PAGE
        return 200, {"Content-Type": str(entry.info["mimetype"])}, entry.content

    def _user_answer(self, call: RecordedCall) -> dict[str, Any]:
        user_id = str(call.body.get("user", ""))
        user = dict(self.users.get(user_id) or _user_object(user_id))
        wants_locale = str(call.body.get("include_locale", "")).lower() in ("1", "true")
        if self.require_include_locale and not wants_locale:
            user.pop("locale", None)
        return user

    def _view_answer(self, call: RecordedCall) -> dict[str, Any]:
        view: dict[str, Any] = {}
        if "view" in call.body:
            decoded = call.json_field("view")
            if isinstance(decoded, dict):
                view = decoded
        view_id = call.body.get("view_id")
        return {
            "type": "modal",
            "callback_id": "",
            "private_metadata": "",
            "external_id": "",
            "state": {"values": {}},
            **view,
            "id": view_id if isinstance(view_id, str) and view_id else self._next_id("V"),
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "hash": f"{int(call.at * 1000)}.mock",
        }

    def _completed_files(self, call: RecordedCall) -> list[dict[str, Any]]:
        try:
            requested = call.json_field("files")
        except (KeyError, ValueError):
            requested = []
        files: list[dict[str, Any]] = []
        for item in requested if isinstance(requested, list) else []:
            if not isinstance(item, dict):
                continue
            file_id = str(item.get("id", ""))
            upload = self._uploads.get(file_id)
            name = upload.filename if upload else file_id
            size = len(upload.content) if upload and upload.content is not None else 0
            files.append(
                {
                    "id": file_id,
                    "name": name,
                    "title": item.get("title") or name,
                    "size": size,
                    "user": BOT_USER_ID,
                    "permalink": f"https://mock.slack.com/files/{BOT_USER_ID}/{file_id}/{name}",
                }
            )
        return files
