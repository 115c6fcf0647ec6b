"""OAuth mode's settings (scopes from the manifest, the authorize URL on Slack's host), and the
single-workspace app staying single-workspace whatever Bolt finds in the environment."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from smmbot.persistence.database import Database, create_database_engine
from smmbot.services.context import ServiceContext
from smmbot.slack.app import build_bolt_app
from smmbot.slack.oauth import authorization_url, manifest_bot_scopes
from tests.support.slack_mock import SlackApiMock
from tests.unit.test_manifests import load


def test_install_asks_for_exactly_the_manifest_bot_scopes() -> None:
    for manifest in ("http.yaml", "socket-mode.yaml"):
        assert manifest_bot_scopes() == load(manifest)["oauth_config"]["scopes"]["bot"]


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        ("https://slack.com/api/", "https://slack.com/oauth/v2/authorize"),
        ("https://slack-gov.com/api/", "https://slack-gov.com/oauth/v2/authorize"),
        ("http://127.0.0.1:8080/api/", "http://127.0.0.1:8080/oauth/v2/authorize"),
    ],
)
def test_the_authorize_page_is_on_the_web_api_host(api_url: str, expected: str) -> None:
    assert authorization_url(api_url) == expected


def test_the_single_workspace_app_ignores_oauth_variables_in_the_environment(
    slack: SlackApiMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bolt would otherwise turn it into an OAuth app with a file store and drop the token."""
    monkeypatch.setenv("SLACK_CLIENT_ID", "111.222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "shh")
    ctx = ServiceContext(db=Database(create_database_engine("sqlite://")))
    with ThreadPoolExecutor(max_workers=1) as executor:
        app = build_bolt_app(
            ctx=ctx,
            bot_token="xoxb-one",
            signing_secret="sign",
            api_url=slack.base_url,
            executor=executor,
        )
    assert (app.oauth_flow, app.installation_store) == (None, None)
    assert app.client.token == "xoxb-one"
    assert (os.environ["SLACK_CLIENT_ID"], os.environ["SLACK_CLIENT_SECRET"]) == ("111.222", "shh")
