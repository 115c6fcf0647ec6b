"""The install flow's routes: Bolt's endpoint serves them in OAuth mode, nothing does otherwise."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from wsgiref.types import StartResponse, WSGIEnvironment
from wsgiref.util import setup_testing_defaults

import pytest

from smmbot.rendering.bio import PublicPage
from smmbot.services.metrics_api import IngestResult
from smmbot.services.sharebar import ShareOutcome, ShareRequest
from smmbot.services.sources_sign_in import SignInOutcome
from smmbot.web.routes import build_wsgi_app

OAUTH_PATHS = ("/slack/install", "/slack/oauth_redirect")


def slack_endpoint(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("302 Found", [("Location", "https://slack.com/oauth/v2/authorize")])
    return [environ["PATH_INFO"].encode()]


def no_link(*, code: str, count_click: bool) -> str | None:
    raise AssertionError("not this route")


def no_api(*, token: str, rows: object) -> IngestResult:
    raise AssertionError("not this route")


def no_share(*, request: ShareRequest) -> ShareOutcome:
    raise AssertionError("not this route")


def no_page(*, slug: str) -> PublicPage | None:
    raise AssertionError("not this route")


def request(path: str, method: str, oauth_paths: Collection[str]) -> tuple[str, bytes]:
    app = build_wsgi_app(
        slack_events=slack_endpoint,
        database_ok=lambda: True,
        follow_link=no_link,
        ingest_metrics=no_api,
        record_share=no_share,
        find_bio_page=no_page,
        sign_in=lambda callback: SignInOutcome.EXPIRED,
        oauth_paths=oauth_paths,
    )
    environ: WSGIEnvironment = {"PATH_INFO": path, "REQUEST_METHOD": method}
    setup_testing_defaults(environ)
    statuses: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None, /
    ) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda _data: None

    body = b"".join(app(environ, start_response))
    return statuses[0], body


@pytest.mark.parametrize("path", OAUTH_PATHS)
def test_oauth_mode_hands_the_install_flow_to_slacks_endpoint(path: str) -> None:
    assert request(path, "GET", OAUTH_PATHS) == ("302 Found", path.encode())
    assert request(path, "POST", OAUTH_PATHS)[0] == "405 Method Not Allowed"


@pytest.mark.parametrize("path", OAUTH_PATHS)
def test_other_modes_have_no_install_flow(path: str) -> None:
    assert request(path, "GET", ())[0] == "404 Not Found"
