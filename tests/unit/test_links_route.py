"""`/r/<code>` over WSGI with a fake lookup: statuses, headers, and which visits count."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from wsgiref.types import StartResponse, WSGIEnvironment
from wsgiref.util import setup_testing_defaults

import pytest

from smmbot.domain.link_visits import is_link_preview
from smmbot.rendering.bio import PublicPage
from smmbot.services.metrics_api import IngestResult
from smmbot.services.sharebar import ShareOutcome, ShareRequest
from smmbot.services.sources_sign_in import SignInOutcome
from smmbot.web.links import ascii_uri
from smmbot.web.routes import build_wsgi_app

TARGET = "https://toko.id/menu?utm_source=x#top"


class FakeLinks:
    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []

    def __call__(self, *, code: str, count_click: bool) -> str | None:
        self.calls.append((code, count_click))
        return {
            "Ab3dEfG": TARGET,
            "Idn2345": "https://kopi.id/menú",
            "Js23456": "javascript:alert(document.cookie)",
        }.get(code)


def not_used(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    raise AssertionError("not this route")


def no_api(*, token: str, rows: object) -> IngestResult:
    raise AssertionError("not this route")


def no_share(*, request: ShareRequest) -> ShareOutcome:
    raise AssertionError("not this route")


def no_page(*, slug: str) -> PublicPage | None:
    raise AssertionError("not this route")


def get(
    path: str, method: str = "GET", agent: str = "Mozilla/5.0"
) -> tuple[str, dict[str, str], bytes, FakeLinks]:
    links = FakeLinks()
    app = build_wsgi_app(
        slack_events=not_used,
        database_ok=lambda: True,
        follow_link=links,
        ingest_metrics=no_api,
        record_share=no_share,
        find_bio_page=no_page,
        sign_in=lambda callback: SignInOutcome.EXPIRED,
    )
    environ: WSGIEnvironment = {
        "PATH_INFO": path,
        "REQUEST_METHOD": method,
        "HTTP_USER_AGENT": agent,
    }
    setup_testing_defaults(environ)
    answer: list[tuple[str, dict[str, str]]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None, /
    ) -> Callable[[bytes], object]:
        answer.append((status, dict(headers)))
        return lambda _data: None

    body = b"".join(app(environ, start_response))
    [(status, headers)] = answer
    return status, headers, body, links


def test_known_code_redirects_and_counts_the_click() -> None:
    status, headers, body, links = get("/r/Ab3dEfG")
    assert status == "302 Found"
    assert headers["Location"] == TARGET
    assert headers["Cache-Control"] == "private, no-store"
    assert body == b""
    assert links.calls == [("Ab3dEfG", True)]


def test_unknown_code_is_404() -> None:
    status, _, _, links = get("/r/nope")
    assert status == "404 Not Found"
    assert links.calls == [("nope", True)]


def test_a_target_that_is_not_http_is_never_redirected_to() -> None:
    status, headers, _, _ = get("/r/Js23456")
    assert status == "404 Not Found" and "Location" not in headers


def test_head_redirects_without_counting() -> None:
    status, headers, _, links = get("/r/Ab3dEfG", method="HEAD")
    assert (status, headers["Location"]) == ("302 Found", TARGET)
    assert links.calls == [("Ab3dEfG", False)]


def test_other_methods_are_refused() -> None:
    status, _, _, links = get("/r/Ab3dEfG", method="POST")
    assert status == "405 Method Not Allowed"
    assert links.calls == []


@pytest.mark.parametrize(
    "agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0 A",
        "TelegramBot (like TwitterBot)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Twitterbot/1.0",
    ],
)
def test_link_preview_fetches_are_redirected_but_not_counted(agent: str) -> None:
    status, _, _, links = get("/r/Ab3dEfG", agent=agent)
    assert status == "302 Found"
    assert links.calls == [("Ab3dEfG", False)]


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (Linux; Android 13; CUBOT P80) AppleWebKit/537.36 Chrome/120 Mobile Safari",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) [FBAN/FBIOS;FBAV/440.0]",
        "Mozilla/5.0 (iPhone) LinkedInApp/9.29",
        "",
    ],
)
def test_people_and_in_app_browsers_are_counted(agent: str) -> None:
    assert not is_link_preview(agent)


def test_non_ascii_targets_become_a_valid_location_header() -> None:
    _, headers, _, _ = get("/r/Idn2345")
    assert headers["Location"] == "https://kopi.id/men%C3%BA"
    assert ascii_uri("https://kopi.id/men%C3%BA") == "https://kopi.id/men%C3%BA"
    assert ascii_uri("https://bücher.de:8080/ä?q=é#ö") == (
        "https://xn--bcher-kva.de:8080/%C3%A4?q=%C3%A9#%C3%B6"
    )
