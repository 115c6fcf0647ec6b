"""A repeating post as a member makes one in Slack: the signed `/smm jadwal setiap senin jam 9
…` answered with the series, then the **Cancel series** click (tests/support/inprocess.py)."""

from __future__ import annotations

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed

pytestmark = pytest.mark.e2e


def test_series_made_and_cancelled_from_slack(
    inprocess_app: InProcessApp, slack: SlackApiMock
) -> None:
    slack.set_user("U0DEWI", tz="Asia/Makassar", locale="id-ID")
    status, url = command(
        inprocess_app,
        slack,
        "jadwal setiap senin jam 9 Promo kopi susu kali=3",
        user_id="U0DEWI",
        channel_id="C0MARKET",
    )
    assert status == 200
    created = block_text(answer_to(slack, url))
    assert "seri #1" in created and "setiap Senin, 09:00 WITA" in created
    assert "sebanyak 3 kali" in created and "series_cancel" in created

    _, calendar_url = command(inprocess_app, slack, "kalender bulan", user_id="U0DEWI")
    listing = block_text(answer_to(slack, calendar_url))
    assert listing.count("seri #1") == 3 and "Batalkan seri" in listing

    click_url = slack.response_url()
    click = block_actions_body(
        "series_cancel", "1", user_id="U0DEWI", channel_id="C0MARKET", response_url=click_url
    )
    assert post_signed(f"{inprocess_app.base_url}/slack/events", click, SIGNING_SECRET)[0] == 200
    assert "Seri #1 dibatalkan: 3 postingan" in block_text(answer_to(slack, click_url))
    _, again = command(inprocess_app, slack, "kalender bulan", user_id="U0DEWI")
    assert "seri #1" not in block_text(answer_to(slack, again))
