"""Drafting through Slack: signed slash commands, a modal, its submission and the draft buttons,
answered by the real Bolt app in-process."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed, view_submission_body

pytestmark = pytest.mark.e2e


@pytest.fixture
def app(inprocess_app: InProcessApp) -> InProcessApp:
    """Drafting is the listeners' business: the Bolt app in-process, on each database."""
    return inprocess_app


def test_templates_and_blog_share_draft(app: InProcessApp, slack: SlackApiMock) -> None:
    _, url = command(app, slack, "templates")
    assert "blog-share" in block_text(answer_to(slack, url))
    _, url = command(app, slack, 'draft blog-share title="Brew better" url=https://kopi.id/b')
    text = block_text(answer_to(slack, url))
    for platform in ("*X*", "*Instagram*", "*Facebook*", "*LinkedIn*"):
        assert platform in text
    assert "utm_source=instagram" in text
    assert "/280 characters" in text


def test_promo_with_missing_variables_names_them(app: InProcessApp, slack: SlackApiMock) -> None:
    _, url = command(app, slack, "draft promo product=Kopi")
    assert "`promo` needs offer, url" in block_text(answer_to(slack, url))


def test_indonesian_user_drafts_in_indonesian(app: InProcessApp, slack: SlackApiMock) -> None:
    slack.set_user("UID", locale="id-ID", tz="Asia/Jakarta")
    _, url = command(app, slack, "draf promo product=Kopi", user_id="UID")
    assert "`promo` masih butuh offer, url" in block_text(answer_to(slack, url))


def test_modal_submission_and_edit_button(app: InProcessApp, slack: SlackApiMock) -> None:
    command(app, slack, "draft promo platform=x,threads")
    opened = slack.wait_for("views.open")[0].json_field("view")
    assert opened["blocks"][0]["type"] == "section"  # the intro naming the template
    inputs = [block["block_id"] for block in opened["blocks"] if block["type"] == "input"]
    assert inputs[:3] == ["product", "offer", "url"]

    values = {"product": "Kopi", "offer": "2 for 1", "url": "https://toko.id/p"}
    state = {
        name: {"value": {"type": "plain_text_input", "value": v}} for name, v in values.items()
    }
    body = view_submission_body("draft_form", state, private_metadata=opened["private_metadata"])
    status, answer, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
    assert status == 200 and answer in (b"", b"{}")
    posted = slack.wait_for("chat.postEphemeral")[0]
    assert posted.body["channel"] == "C0001" and posted.body["user"] == "U0001"
    assert "*Threads*" in json.dumps(posted.json_field("blocks"))

    click = block_actions_body("draft_edit", "1", response_url=slack.response_url())
    assert post_signed(f"{app.base_url}/slack/events", click, SIGNING_SECRET)[0] == 200
    edit_view = slack.wait_for("views.open", count=2)[1].json_field("view")
    product = next(block for block in edit_view["blocks"] if block.get("block_id") == "product")
    assert product["element"]["initial_value"] == "Kopi"


def test_submission_with_an_empty_required_field_gets_field_errors(
    app: InProcessApp, slack: SlackApiMock
) -> None:
    state = {"product": {"value": {"type": "plain_text_input", "value": "Kopi"}}}
    metadata = json.dumps({"template": "promo", "channel": "C0001"})
    body = view_submission_body("draft_form", state, private_metadata=metadata)
    status, answer, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
    assert status == 200
    assert json.loads(answer) == {
        "response_action": "errors",
        "errors": {"offer": "Required for this template.", "url": "Required for this template."},
    }


def test_instagram_and_tiktok_say_link_in_bio_while_x_carries_the_link(
    app: InProcessApp, slack: SlackApiMock
) -> None:
    slack.set_user("UID", locale="id-ID", tz="Asia/Jakarta")
    text = 'draf blog-share title="Seduh kopi" url=https://kopi.id/b platform=instagram,tiktok,x'
    _, url = command(app, slack, text + " lang=id", user_id="UID")
    blocks = answer_to(slack, url)["blocks"]
    assert isinstance(blocks, list)
    sections = [json.dumps(block, ensure_ascii=False) for block in blocks]
    by_platform = {
        name: next(s for s in sections if f"*{name}*" in s) for name in ("Instagram", "TikTok", "X")
    }
    for name in ("Instagram", "TikTok"):
        caption = by_platform[name]
        assert "link di bio" in caption.lower() and "https://" not in caption
        assert any(f"Caption {name} tidak bisa memuat tautan" in s for s in sections)
    assert "https://kopi.id/b?utm_source=x&amp;utm_medium=social" in by_platform["X"]
    note = next(s for s in sections if "Caption Instagram" in s)
    assert "https://kopi.id/b?utm_source=instagram" in note and "bio add" in note
