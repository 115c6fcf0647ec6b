"""Finding and managing what was saved, through the real app: signed slash commands and clicks.

`drafts` and its buttons, `draft delete`, scheduling every version of a draft, `template show`
of a built-in, and `campaign new|edit|show` for a period that is over, in English and
Indonesian (a member whose Slack locale is id-ID).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed

pytestmark = pytest.mark.e2e

PROMO = "draft promo product=Kopi offer=2for1 url=https://toko.id/p platform=x,instagram"


@pytest.fixture
def app(slack: SlackApiMock, tmp_path: Path) -> Iterator[AppProcess]:
    with AppProcess(
        api_url=slack.base_url,
        database_url=f"sqlite:///{tmp_path / 'drafts_listing.db'}",
        log_path=tmp_path / "app.log",
    ) as process:
        yield process


def ask(app: AppProcess, slack: SlackApiMock, text: str, user_id: str = "U0001") -> str:
    _, url = command(app, slack, text, user_id=user_id)
    return block_text(answer_to(slack, url))


def click(app: AppProcess, slack: SlackApiMock, action_id: str, value: str) -> str:
    url = slack.response_url()
    body = block_actions_body(action_id, value, response_url=url)
    assert post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)[0] == 200
    return block_text(answer_to(slack, url))


def test_drafts_schedule_every_version_and_delete_by_button(
    app: AppProcess, slack: SlackApiMock
) -> None:
    ask(app, slack, PROMO)
    scheduled = ask(app, slack, "schedule tomorrow 10:00 draft=1")
    assert "Scheduled 2 posts from draft #1" in scheduled and "(X, Instagram)" in scheduled
    listing = ask(app, slack, "drafts")
    assert "scheduled (2 posts)" in listing and "`promo`" in listing
    buttons = [
        element["action_id"]
        for block in json.loads(listing)
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert buttons == ["draft_schedule", "draft_edit", "draft_delete"]
    question = click(app, slack, "draft_delete", "1")
    assert "Delete draft #1" in question and "2 posts scheduled from it stay" in question
    done = click(app, slack, "draft_delete_confirmed", "1")
    assert "Deleted draft #1 (`promo`, 2 versions: X, Instagram)" in done
    assert "No drafts yet" in ask(app, slack, "drafts")
    assert ask(app, slack, "calendar").count("item_cancel") == 2  # its posts are still planned


def test_an_indonesian_member_lists_deletes_and_schedules(
    app: AppProcess, slack: SlackApiMock
) -> None:
    slack.set_user("UID", locale="id-ID", tz="Asia/Jakarta")
    ask(app, slack, PROMO)  # U0001's draft
    ask(app, slack, PROMO.replace("draft", "draf"), user_id="UID")
    mine = ask(app, slack, "daftar-draf saya", user_id="UID")
    assert "Drafmu" in mine and "*#2*" in mine and "*#1*" not in mine
    refused = ask(app, slack, "draf hapus 1", user_id="UID")
    assert "hanya bisa dihapus oleh pembuatnya" in refused
    missing = ask(app, slack, "jadwal besok 10:00 draft=2 platform=tiktok", user_id="UID")
    assert "tidak punya versi untuk TikTok" in missing
    one = ask(app, slack, "jadwal besok 10:00 draft=2 platform=instagram", user_id="UID")
    assert "Terjadwal #1" in one and "Instagram" in one
    assert "sudah kami hapus" in ask(app, slack, "draf hapus 2", user_id="UID")


def test_template_show_of_a_builtin_in_both_languages(app: AppProcess, slack: SlackApiMock) -> None:
    english = ask(app, slack, "template show promo")
    assert "Template promo (built in)" in english and "`product` *required*" in english
    assert "What it writes for" in english and "{{" not in english
    slack.set_user("UID", locale="id-ID", tz="Asia/Jakarta")
    indonesian = ask(app, slack, "template show giveaway platform=tiktok", user_id="UID")
    assert "Templat giveaway (bawaan)" in indonesian and "Hasilnya untuk TikTok" in indonesian


def test_a_past_campaign_is_entered_edited_and_shows_its_results(
    app: AppProcess, slack: SlackApiMock
) -> None:
    created = ask(
        app,
        slack,
        "campaign new Oktober objective=smm start=2025-10-01 end=2025-10-31 target.orders=10",
    )
    assert "Campaign *Oktober* saved" in created and "saved as *ended*" in created
    ask(app, slack, "log orders 4 date=2025-10-15 campaign=Oktober")
    edited = ask(app, slack, "campaign edit Oktober budget=2jt target.orders=8")
    assert "updated (budget, target.orders)" in edited and "Orders: 4 of 8" in edited
    assert "50%" in edited and "(ended)" in edited
    slack.set_user("UID", locale="id-ID", tz="Asia/Jakarta")
    ask(app, slack, "catat ad_spend 500rb date=2025-10-10 campaign=Oktober", user_id="UID")
    shown = ask(app, slack, "kampanye show Oktober", user_id="UID")
    assert "Pesanan: 4 dari 8" in shown and "selesai" in shown
    assert "Rp500.000 dari Rp2.000.000 sudah terpakai untuk iklan" in shown
    refused = ask(app, slack, "kampanye ubah Oktober end=2025-09-01", user_id="UID")
    assert "Kampanye belum diubah" in refused
