"""`GET /connect/<provider>/callback`: where Google and Meta send the member after signing in.

Only HTTP lives here (query string, language, status): the state checks, the code exchange and
storing the credentials are the service's. The page is small, autoescaped and in the browser's
language; it never echoes the code, the state or a provider message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIEnvironment

from smmbot.rendering.i18n import Translator
from smmbot.rendering.install_pages import page_locale
from smmbot.rendering.sources import connect_page
from smmbot.services.sources_sign_in import Callback, SignInOutcome

PATH: Final = re.compile(r"/connect/(google|meta)/callback")
_STATUS = {
    SignInOutcome.DONE: "200 OK",
    SignInOutcome.EXPIRED: "400 Bad Request",
    SignInOutcome.DENIED: "200 OK",
    SignInOutcome.PROVIDER: "502 Bad Gateway",
    SignInOutcome.SETUP: "503 Service Unavailable",
}

SignIn = Callable[[Callback], SignInOutcome]


def callback(
    environ: WSGIEnvironment, start_response: StartResponse, sign_in: SignIn, provider: str
) -> Iterable[bytes]:
    tr = Translator(page_locale(environ.get("HTTP_ACCEPT_LANGUAGE")))
    if environ.get("REQUEST_METHOD") != "GET":
        return _page(
            start_response, "405 Method Not Allowed", connect_page(tr, done=False, reason="expired")
        )
    query: dict[str, list[str]] = parse_qs(str(environ.get("QUERY_STRING", "")), max_num_fields=20)

    def first(name: str) -> str:
        return query.get(name, [""])[0][:4096]

    outcome = sign_in(Callback(provider, first("state"), first("code"), first("error")))
    done = outcome is SignInOutcome.DONE
    return _page(
        start_response, _STATUS[outcome], connect_page(tr, done=done, reason=outcome.value)
    )


def _page(start_response: StartResponse, status: str, html: str) -> list[bytes]:
    body = html.encode()
    start_response(
        status,
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("Referrer-Policy", "no-referrer"),
        ],
    )
    return [body]
