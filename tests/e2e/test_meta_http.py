"""The issue's walk-through for Meta, on the real HTTP app with signed Slack requests:
`/smm connect meta`, Meta's login dialog sends the browser back to the callback, the member picks
one of two Pages in Slack (the only Instagram account and ad account are chosen by themselves),
the sync runs in the background, and `/smm digest now` shows the Graph mock's numbers for the
week so far under SMO and SMM. Then an expired token breaks the source with one DM."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.e2e.test_sources_http import browser_get, wait_until
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.meta_mock import APP_ID, APP_SECRET, MetaMock, MockPage
from tests.support.slack_mock import DEFAULT_TZ, SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed

pytestmark = pytest.mark.e2e

ADMIN = "U0ADMIN"
SECRET = "e2e secret key for the meta connector"


@pytest.fixture
def meta() -> Iterator[MetaMock]:
    with MetaMock() as mock:
        mock.state.pages = [
            MockPage("101", "Toko Kopi", "page-token-101", "17841400000000001", "tokokopi"),
            MockPage("102", "Toko Teh", "page-token-102"),
        ]
        yield mock


@pytest.fixture
def app(slack: SlackApiMock, meta: MetaMock, tmp_path: Path) -> Iterator[AppProcess]:
    with AppProcess(
        api_url=slack.base_url,
        database_url=f"sqlite:///{tmp_path / 'meta.db'}",
        log_path=tmp_path / "app.log",
        SMMBOT_SECRET_KEY=SECRET,
        SMMBOT_PUBLIC_URL="https://bot.example",
        META_APP_ID=APP_ID,
        META_APP_SECRET=APP_SECRET,
        SMMBOT_META_GRAPH_URL=meta.base_url,
        SMMBOT_META_WWW_URL=meta.base_url,
        SMMBOT_SCHEDULER_INTERVAL="0.5",
    ) as process:
        yield process


def sections(app: AppProcess, slack: SlackApiMock, text: str) -> list[str]:
    _, url = command(app, slack, text, user_id=ADMIN)
    blocks = answer_to(slack, url)["blocks"]
    assert isinstance(blocks, list)
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_connect_pick_sync_digest_and_expiry(
    app: AppProcess, slack: SlackApiMock, meta: MetaMock
) -> None:
    slack.set_user(ADMIN, is_admin=True)
    today = datetime.now(UTC).astimezone(ZoneInfo(DEFAULT_TZ)).date()
    days = today.weekday() + 1

    _, url = command(app, slack, "connect meta", user_id=ADMIN)
    link = block_text(answer_to(slack, url))
    start = link.index("<http") + 1
    dialog = httpx.get(link[start : link.index("|", start)].replace("&amp;", "&"))
    assert dialog.status_code == 302
    back = urlsplit(dialog.headers["location"])
    assert back.netloc == "bot.example" and back.path == "/connect/meta/callback"
    status, page = browser_get(f"{app.base_url}{back.path}?{back.query}")
    assert status == 200 and "Berhasil masuk" in page

    [picker] = slack.wait_for("chat.postMessage", timeout=15)
    assert picker.body["channel"] == ADMIN
    assert "Toko Teh" in json.dumps(picker.body)
    click = block_actions_body("connector_pick", "meta:0", user_id=ADMIN, channel_id="D0ADMIN")
    post_signed(f"{app.base_url}/slack/events", click, SIGNING_SECRET)
    wait_until(lambda: any(p == "101/insights" for p, _ in meta.insights_calls()), timeout=40)

    def synced() -> bool:
        text = "\n".join(sections(app, slack, "digest now"))
        return f"Reach: *{1300 * days:,}*" in text

    wait_until(synced, timeout=40)
    found = sections(app, slack, "digest now")
    smo = next(text for text in found if text.startswith("*SMO"))
    smm = next(text for text in found if text.startswith("*SMM"))
    assert "Followers: *6,200*" in smo  # Page 5,000 + Instagram 1,200
    assert f"Engagements: *{155 * days:,}*" in smo
    assert f"Ad spend: *Rp{300001 * days:,}*" in smm
    assert f"Orders: *{6 * days:,}*" in smm  # omni_purchase only, not three action types
    assert f"Revenue: *Rp{900001 * days:,}*" in smm
    assert not any(p == "102/insights" for p, _ in meta.insights_calls())

    user_tokens = set(meta.state.user_tokens)
    meta.expire_tokens()
    before = len(slack.calls("chat.postMessage"))
    _, url = command(app, slack, "sources sync meta", user_id=ADMIN)
    answer_to(slack, url)
    wait_until(lambda: len(slack.calls("chat.postMessage")) > before, timeout=40)
    dm = slack.calls("chat.postMessage")[-1]
    assert dm.body["channel"] == ADMIN and "connect meta" in json.dumps(dm.body)
    wait_until(lambda: "broken" in "\n".join(sections(app, slack, "sources")), timeout=20)
    logs = app.logs()
    for secret in [SECRET, APP_SECRET, "page-token-101", *user_tokens]:
        assert secret not in logs
