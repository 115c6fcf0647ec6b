"""Slash commands answered by the real Bolt app in-process (tests/support/inprocess.py): signed
requests in, calls to the mock Slack Web API out. What is about the process (routes, signature
checks, the acknowledgement under load, SIGTERM) stays in test_http_app.py, on `python app.py`."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import post_signed, slash_command_body

pytestmark = pytest.mark.e2e


@pytest.fixture
def app(inprocess_app: InProcessApp) -> InProcessApp:
    return inprocess_app


def test_help_is_answered_ephemerally(app: InProcessApp, slack: SlackApiMock) -> None:
    status, response_url = command(app, slack, "help")
    assert status == 200
    answer = answer_to(slack, response_url)
    assert answer["response_type"] == "ephemeral"
    text = block_text(answer)
    for usage in (
        "/smm help",
        "/smm templates",
        "/smm draft",
        "/smm link",
        "/smm campaign",
        "/smm schedule",
        "/smm calendar",
        "/smm log",
        "/smm digest",
    ):
        assert usage in text
    users_info = slack.calls("users.info")[0]
    assert users_info.body["include_locale"] in ("true", "1", True)


def test_indonesian_user_gets_indonesian(app: InProcessApp, slack: SlackApiMock) -> None:
    slack.set_user("U0ID", tz="Asia/Makassar", locale="id-ID")
    _, response_url = command(app, slack, "bantuan", user_id="U0ID")
    assert "meja kerja media sosialmu" in block_text(answer_to(slack, response_url))


def test_unknown_subcommand_gets_usage(app: InProcessApp, slack: SlackApiMock) -> None:
    status, response_url = command(app, slack, "frobnicate now")
    assert status == 200
    text = block_text(answer_to(slack, response_url))
    assert "frobnicate" in text and "/smm help" in text


def test_known_member_gets_help_inside_the_acknowledgement(
    app: InProcessApp, slack: SlackApiMock
) -> None:
    _, first_url = command(app, slack, "help", user_id="U0AGAIN")
    answer_to(slack, first_url)  # the first command fetches the profile, then answers later
    response_url = slack.response_url()
    body = slash_command_body("help", response_url=response_url, user_id="U0AGAIN")
    status, answer, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
    assert status == 200
    payload = json.loads(answer)
    assert payload["response_type"] == "ephemeral"
    assert "/smm draft" in json.dumps(payload["blocks"])
    assert slack.calls_to(response_url) == []
    assert len(slack.calls("users.info")) == 1


def test_competitors_from_slack_in_both_languages(app: InProcessApp, slack: SlackApiMock) -> None:
    """Added in Indonesian, logged by hand, listed in English; a bad handle is refused."""
    slack.set_user("U0PESAING", tz="Asia/Jakarta", locale="id-ID")
    _, url = command(
        app, slack, 'pesaing tambah "Kopi <Senja>" ig=@kopisenja.id', user_id="U0PESAING"
    )
    assert "Sekarang kami memantau *Kopi &lt;Senja&gt;*" in block_text(answer_to(slack, url))
    _, url = command(app, slack, "pesaing tambah Fore ig=fore!", user_id="U0PESAING")
    assert "bukan nama pengguna Instagram" in block_text(answer_to(slack, url))
    _, url = command(app, slack, 'log followers 5200 competitor="kopi <senja>"')
    assert "Saved for *Kopi &lt;Senja&gt;*" in block_text(answer_to(slack, url))
    _, url = command(app, slack, "competitor list")
    listing = block_text(answer_to(slack, url))
    assert "*Kopi &lt;Senja&gt;* (@kopisenja.id): 5,200 followers" in listing
