"""`GET /share.js` and `POST /api/share`: the website share bar's script and its beacon.

share.js is one static file, read once: an ETag from its content answers revalidations with
304; `/share.js?v=<etag>` (a versioned URL) may be cached for a year, the plain `/share.js` the
snippet names for an hour, so a new version reaches every site within the hour.

The beacon endpoint answers any origin (CORS, preflight included), never sets or reads a
cookie, and answers 204 whether a share was counted or left out as a bot or a repeat — a
visitor learns nothing from it. Bad input is 4xx, a flood 429.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.resources import files
from typing import Final, Protocol
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIEnvironment

from smmbot.domain.sharebar import MAX_BODY_BYTES
from smmbot.services.sharebar import ShareOutcome, ShareRequest

SCRIPT_PATH: Final = "/share.js"
API_PATH: Final = "/api/share"
SCRIPT: Final = files("smmbot.web").joinpath("static/share.js").read_bytes()
VERSION: Final = hashlib.sha256(SCRIPT).hexdigest()[:16]
_ETAG: Final = f'"{VERSION}"'
_CORS: Final = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type"),
    ("Access-Control-Max-Age", "86400"),
)
_STATUS: Final = {
    ShareOutcome.COUNTED: "204 No Content",
    ShareOutcome.IGNORED: "204 No Content",
    ShareOutcome.LIMITED: "429 Too Many Requests",
    ShareOutcome.UNKNOWN_KEY: "404 Not Found",
    ShareOutcome.INVALID: "400 Bad Request",
}


class RecordShare(Protocol):
    def __call__(self, *, request: ShareRequest) -> ShareOutcome: ...


def script(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return _empty(start_response, "405 Method Not Allowed", (("Allow", "GET, HEAD"),))
    versioned = parse_qs(environ.get("QUERY_STRING", "")).get("v") == [VERSION]
    cache = "public, max-age=31536000, immutable" if versioned else "public, max-age=3600"
    headers = [
        ("ETag", _ETAG),
        ("Cache-Control", cache),
        ("X-Content-Type-Options", "nosniff"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Access-Control-Allow-Origin", "*"),
    ]
    if _ETAG in environ.get("HTTP_IF_NONE_MATCH", ""):
        start_response("304 Not Modified", headers)
        return []
    headers += [
        ("Content-Type", "text/javascript; charset=utf-8"),
        ("Content-Length", str(len(SCRIPT))),
    ]
    start_response("200 OK", headers)
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [SCRIPT]


def beacon(
    environ: WSGIEnvironment, start_response: StartResponse, record: RecordShare
) -> Iterable[bytes]:
    method = environ.get("REQUEST_METHOD")
    if method == "OPTIONS":
        return _empty(start_response, "204 No Content", _CORS)
    if method != "POST":
        return _empty(start_response, "405 Method Not Allowed", (*_CORS, ("Allow", "POST")))
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _empty(start_response, "400 Bad Request", _CORS)
    if length > MAX_BODY_BYTES:
        return _empty(start_response, "413 Content Too Large", _CORS)
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    outcome = record(
        request=ShareRequest(
            body=body,
            user_agent=environ.get("HTTP_USER_AGENT", ""),
            remote_addr=environ.get("REMOTE_ADDR", ""),
        )
    )
    return _empty(start_response, _STATUS[outcome], _CORS)


def _empty(
    start_response: StartResponse, status: str, headers: Iterable[tuple[str, str]]
) -> list[bytes]:
    start_response(status, [*headers, ("Content-Length", "0")])
    return []
