"""The issue's walk-through: log a follower count and revenue in Slack, then ask for the digest;
answered by the real Bolt app in-process."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import JSON, event_callback_body, post_signed

pytestmark = pytest.mark.e2e


@pytest.fixture
def app(inprocess_app: InProcessApp) -> InProcessApp:
    """The digest and App Home are the listeners' business: the Bolt app in-process."""
    return inprocess_app


def test_logged_numbers_land_in_their_pillar_and_the_chart_is_uploaded(
    app: InProcessApp, slack: SlackApiMock
) -> None:
    last_week = (date.today() - timedelta(days=10)).isoformat()  # a second week: a chart
    logs = (
        ("log followers 347", "347"),
        ("log revenue 913", "913"),
        (f"log revenue 500 date={last_week}", "500"),
    )
    for text, value in logs:
        _, url = command(app, slack, text, channel_id="C0MARKET")
        assert value in block_text(answer_to(slack, url))
    _, url = command(app, slack, "digest now", channel_id="C0MARKET")
    digest = answer_to(slack, url)
    assert digest["response_type"] == "in_channel"
    blocks: list[dict[str, Any]] = json.loads(json.dumps(digest["blocks"]))
    sections = [block["text"]["text"] for block in blocks if block["type"] == "section"]
    smo = next(text for text in sections if text.startswith("*SMO"))
    smm = next(text for text in sections if text.startswith("*SMM"))
    assert "347" in smo and "913" not in smo
    assert "913" in smm and "347" not in smm
    slack.wait_for("files.completeUploadExternal")
    [upload] = slack.calls("upload")
    assert b"\x89PNG" in upload.raw
    complete = slack.calls("files.completeUploadExternal")[0]
    assert "C0MARKET" in json.dumps(complete.body)


def test_app_home_shows_this_weeks_tiles(app: InProcessApp, slack: SlackApiMock) -> None:
    _, url = command(app, slack, "log followers 347", user_id="U0HOME")
    answer_to(slack, url)
    event = {"type": "app_home_opened", "user": "U0HOME", "channel": "D0HOME", "tab": "home"}
    body = event_callback_body(event, team_id="T0001")
    status, _, _ = post_signed(
        f"{app.base_url}/slack/events", body, SIGNING_SECRET, content_type=JSON
    )
    assert status == 200
    published = slack.wait_for("views.publish")[0]
    assert published.body["user_id"] == "U0HOME"
    view = json.dumps(published.json_field("view"))
    assert '"type": "home"' in view and "SMO" in view and "SMM" in view and "347" in view
