"""The issue's walk-through for Google, on the real HTTP app with signed Slack requests:
`/smm connect google`, the browser comes back to the callback, the member picks a property in
Slack, the sync runs in the background, and `/smm digest now` shows GA4's numbers under SMO
and SMM. Then the same sign-in link is refused a second time."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.google_mock import CLIENT_ID, CLIENT_SECRET, GoogleMock, week_rows
from tests.support.slack_mock import DEFAULT_TZ, SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed

pytestmark = pytest.mark.e2e

ADMIN = "U0ADMIN"
SECRET = "e2e secret key for the connectors"


@pytest.fixture
def app(slack: SlackApiMock, google: GoogleMock, tmp_path: Path) -> Iterator[AppProcess]:
    process = AppProcess(
        api_url=slack.base_url,
        database_url=f"sqlite:///{tmp_path / 'sources.db'}",
        log_path=tmp_path / "app.log",
    )
    process.env.update(google_env(google))
    with process:
        yield process


def browser_get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "id-ID,id;q=0.9"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(check: object, timeout: float = 20.0) -> None:
    assert callable(check)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def sign_in_and_pick(app: AppProcess, slack: SlackApiMock) -> str:
    """`/smm connect google`, the browser's return to the callback, the click on the second
    property in the DM; returns the callback URL (to try it again)."""
    _, url = command(app, slack, "connect google", user_id=ADMIN)
    link = block_text(answer_to(slack, url))
    start = link.index("<http") + 1
    sign_in = link[start : link.index("|", start)].replace("&amp;", "&")
    state = parse_qs(urlsplit(sign_in).query)["state"][0]
    callback = f"{app.base_url}/connect/google/callback?" + urlencode(
        {"state": state, "code": "good-code"}
    )
    status, page = browser_get(callback)
    assert status == 200 and 'lang="id"' in page and "Berhasil masuk" in page
    assert state not in page
    [picker] = slack.wait_for("chat.postMessage", timeout=15)
    assert picker.body["channel"] == ADMIN
    assert "Toko" in json.dumps(picker.body)
    click = block_actions_body("connector_pick", "google:1", user_id=ADMIN, channel_id="D0ADMIN")
    post_signed(f"{app.base_url}/slack/events", click, SIGNING_SECRET)
    return callback


def synced(app: AppProcess, slack: SlackApiMock) -> bool:
    _, sources_url = command(app, slack, "sources", user_id=ADMIN)
    return "reading(s)" in block_text(answer_to(slack, sources_url))


def google_env(google: GoogleMock) -> dict[str, str]:
    url = google.base_url
    return {
        "SMMBOT_SECRET_KEY": SECRET,
        "SMMBOT_PUBLIC_URL": "https://bot.example",
        "GOOGLE_CLIENT_ID": CLIENT_ID,
        "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
        "SMMBOT_GOOGLE_ACCOUNTS_URL": url,
        "SMMBOT_GOOGLE_TOKEN_URL": f"{url}/token",
        "SMMBOT_GA4_DATA_URL": url,
        "SMMBOT_GA4_ADMIN_URL": url,
        "SMMBOT_SCHEDULER_INTERVAL": "0.5",
    }


def this_week(google: GoogleMock) -> int:
    """Rows for every day of this week so far (workspace zone); returns how many days."""
    today = datetime.now(UTC).astimezone(ZoneInfo(DEFAULT_TZ)).date()
    monday = today - timedelta(days=today.weekday())
    days = (today - monday).days + 1
    google.state.properties = [("properties/1", "Blog"), ("properties/2", "Toko")]
    google.state.rows["properties/2"] = week_rows(monday, days, ["spring"])
    return days


def test_connect_pick_sync_and_digest(
    app: AppProcess, slack: SlackApiMock, google: GoogleMock
) -> None:
    slack.set_user(ADMIN, is_admin=True)
    days = this_week(google)

    callback = sign_in_and_pick(app, slack)
    wait_until(lambda: google.report_calls())

    wait_until(lambda: synced(app, slack))
    _, digest_url = command(app, slack, "digest now", user_id=ADMIN)
    blocks = answer_to(slack, digest_url)["blocks"]
    assert isinstance(blocks, list)
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    smo = next(text for text in sections if text.startswith("*SMO"))
    smm = next(text for text in sections if text.startswith("*SMM"))
    assert f"Site visits from social: *{100 * days:,}*" in smo
    assert f"Site visits from paid social: *{40 * days:,}*" in smm
    assert f"Orders: *{3 * days:,}*" in smm
    assert "Google Analytics 4" in block_text({"blocks": blocks})

    status, page = browser_get(callback)
    assert status == 400 and "kedaluwarsa" in page  # the same sign-in link, a second time
    assert SECRET not in app.logs()
    for token in google.state.access_tokens | google.state.refresh_tokens:
        assert token not in app.logs()
