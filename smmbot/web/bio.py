"""`GET /b/<slug>`: the link-in-bio page, in the visitor's language, with strict headers.

The Content-Security-Policy allows nothing but the page's own inline style (by a fresh nonce)
and images (the avatar); no script, no form, no framing. Unknown slugs get a 404 page.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Final, Protocol
from wsgiref.types import StartResponse, WSGIEnvironment

from smmbot.rendering.bio import PublicPage, not_found_html, page_html
from smmbot.rendering.i18n import Translator
from smmbot.rendering.install_pages import page_locale

PREFIX: Final = "/b/"


class FindPage(Protocol):
    def __call__(self, *, slug: str) -> PublicPage | None: ...


def security_headers(nonce: str) -> list[tuple[str, str]]:
    policy = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src https: http:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return [
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]


def page(
    environ: WSGIEnvironment, start_response: StartResponse, find: FindPage
) -> Iterable[bytes]:
    method = environ.get("REQUEST_METHOD", "GET")
    if method not in ("GET", "HEAD"):
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
        return []
    tr = Translator(page_locale(environ.get("HTTP_ACCEPT_LANGUAGE")))
    nonce = secrets.token_urlsafe(16)
    found = find(slug=environ.get("PATH_INFO", "").removeprefix(PREFIX))
    if found is None:
        status, html = "404 Not Found", not_found_html(tr, nonce=nonce)
    else:
        status, html = "200 OK", page_html(tr, found, nonce=nonce)
    body = html.encode()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-cache"),
        ("Content-Language", tr.locale),
        ("Vary", "Accept-Language"),
        *security_headers(nonce),
    ]
    start_response(status, headers)
    return [] if method == "HEAD" else [body]
