"""`GET /r/<code>`: answer a tracked short link with a redirect to its target.

The lookup and the click recording are the service's (handed in by bootstrap); this module only
speaks HTTP: which requests count as a click, and a `Location` header HTTP can carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Protocol
from urllib.parse import quote, urlsplit, urlunsplit
from wsgiref.types import StartResponse, WSGIEnvironment

from smmbot.domain.link_visits import is_link_preview

PREFIX: Final = "/r/"
# Everything RFC 3986 allows raw in a URI, plus "%" so existing escapes stay as they are.
_URI_CHARACTERS: Final = "!#$%&'()*+,-./:;=?@[]_~"


class FollowLink(Protocol):
    def __call__(self, *, code: str, count_click: bool) -> str | None: ...


def _text(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


def redirect(
    environ: WSGIEnvironment, start_response: StartResponse, follow: FollowLink
) -> Iterable[bytes]:
    """302 to the target; HEAD (link checkers) and link-preview fetches are not clicks.

    302 and `no-store`, not a cacheable 301, so every visit reaches us and can be counted.
    """
    method = environ.get("REQUEST_METHOD", "GET")
    if method not in ("GET", "HEAD"):
        return _text(start_response, "405 Method Not Allowed", b"use GET\n")
    code = environ.get("PATH_INFO", "").removeprefix(PREFIX)
    count_click = method == "GET" and not is_link_preview(environ.get("HTTP_USER_AGENT", ""))
    target = follow(code=code, count_click=count_click)
    if target is None or urlsplit(target).scheme.lower() not in ("http", "https"):
        # Targets are checked when links are made; this keeps any other scheme (javascript:,
        # data:) out of a Location header even if a row was written some other way.
        return _text(start_response, "404 Not Found", b"no such link\n")
    start_response(
        "302 Found",
        [
            ("Location", ascii_uri(target)),
            ("Cache-Control", "private, no-store"),
            ("Content-Length", "0"),
        ],
    )
    return []


def ascii_uri(url: str) -> str:
    """The URL as HTTP headers can carry it (ASCII only): IDN host in punycode, any other
    non-ASCII character percent-encoded as UTF-8. Already-ASCII URLs are returned unchanged."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    userinfo, at, host_port = parts.netloc.rpartition("@")
    host, colon, port = host_port.partition(":")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe=_URI_CHARACTERS)
    netloc = quote(userinfo, safe=_URI_CHARACTERS) + at + host + colon + port
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URI_CHARACTERS),
            quote(parts.query, safe=_URI_CHARACTERS),
            quote(parts.fragment, safe=_URI_CHARACTERS),
        )
    )
