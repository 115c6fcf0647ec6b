"""Approval in Slack, end to end on the in-process app: an admin turns approval on, a member's
post is held (no reminder planned), the review request reaches the approvals channel, a
non-approver's click and a replay from another workspace change nothing, the approver approves,
the request is edited in place for everyone, the author is told, and the reminder comes once at
its time. Then request changes (blank comment refused in the form), and reject."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from smmbot.persistence.models import CalendarItem, OutboxMessage
from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed, view_submission_body

pytestmark = pytest.mark.e2e
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
"""The first test runs on both databases; the others add no database behaviour."""

ADMIN, APPROVER, MEMBER = "U0ADMIN", "U0APPROVER", "U0MEMBER"
APPROVALS = "C0APPROVALS"


@pytest.fixture
def app(inprocess_app: InProcessApp, slack: SlackApiMock) -> InProcessApp:
    slack.set_user(ADMIN, is_admin=True)
    slack.set_user(APPROVER)
    slack.set_user(MEMBER)
    return inprocess_app


def ask(app: InProcessApp, slack: SlackApiMock, text: str, user: str, **fields: str) -> str:
    status, response_url = command(app, slack, text, user_id=user, **fields)
    assert status == 200
    return block_text(answer_to(slack, response_url))


def turn_on(app: InProcessApp, slack: SlackApiMock, extra: str = "") -> str:
    typed = f"settings approval on approvers=<@{APPROVER}> channel=<#{APPROVALS}|approvals>"
    return ask(app, slack, f"{typed} {extra}".strip(), ADMIN)


def press(
    app: InProcessApp, slack: SlackApiMock, action: str, item: int, user: str, **fields: Any
) -> str:
    """Clicks a button of the review request; returns the response_url the answer goes to."""
    response_url = slack.response_url("click")
    body = block_actions_body(
        action,
        str(item),
        user_id=user,
        channel_id=APPROVALS,
        response_url=response_url,
        message={"ts": "1700000000.000100", "text": "review"},
        **fields,
    )
    assert post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)[0] == 200
    return response_url


def click(
    app: InProcessApp, slack: SlackApiMock, action: str, item: int, user: str, **fields: Any
) -> str:
    return block_text(answer_to(slack, press(app, slack, action, item, user, **fields)))


def submit(app: InProcessApp, callback: str, item: int, user: str, note: str) -> dict[str, Any]:
    body = view_submission_body(
        callback,
        {"note": {"value": {"type": "plain_text_input", "value": note}}},
        user_id=user,
        private_metadata=json.dumps({"item": item, "channel": APPROVALS}),
    )
    status, answer, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
    assert status == 200
    return json.loads(answer) if answer else {}


def item_status(app: InProcessApp, item: int) -> str:
    with app.ctx.db.transaction() as session:
        row = session.get(CalendarItem, item)
        assert row is not None
        return row.status


def reminder_rows(app: InProcessApp, item: int) -> list[str]:
    with app.ctx.db.transaction() as session:
        rows = session.scalars(
            select(OutboxMessage.kind).where(
                OutboxMessage.calendar_item_id == item,
                OutboxMessage.kind.in_(("lead", "due", "missed")),
            )
        )
        return sorted(rows)


def schedule_held(app: InProcessApp, slack: SlackApiMock, text: str) -> int:
    answer = ask(app, slack, f'schedule "in 3 hours" {text} platform=x', MEMBER)
    assert "waiting for review" in answer and APPROVALS in answer
    with app.ctx.db.transaction() as session:
        return max(session.scalars(select(CalendarItem.id)))


def wait_for_post(slack: SlackApiMock, channel: str, count: int = 1) -> list[Any]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        posts = [c for c in slack.calls("chat.postMessage") if c.channel == channel]
        if len(posts) >= count:
            return posts
        time.sleep(0.02)
    raise AssertionError(f"no post to {channel}: {slack.calls()}")


def test_member_post_is_held_then_approved_and_reminded_once(
    app: InProcessApp, slack: SlackApiMock
) -> None:
    assert "Approval is on" in turn_on(app, slack)
    item = schedule_held(app, slack, "Kopi susu is back!")
    assert item_status(app, item) == "in_review" and reminder_rows(app, item) == []
    app.deliver()
    [request] = wait_for_post(slack, APPROVALS)
    request_text = json.dumps(request.json_field("blocks"))
    assert "Kopi susu is back!" in request_text and f"<@{MEMBER}>" in request_text
    assert "/280 characters" in request_text

    refused = click(app, slack, "review_approve", item, MEMBER)
    assert "Only approvers and workspace admins" in refused
    replayed = click(app, slack, "review_approve", item, APPROVER, team_id="T0OTHER")
    assert "Only approvers" in replayed or "doesn't exist" in replayed
    assert item_status(app, item) == "in_review"

    assert "Approved" in click(app, slack, "review_approve", item, APPROVER)
    assert item_status(app, item) == "scheduled"
    assert reminder_rows(app, item) == ["due", "lead", "missed"]
    again = click(app, slack, "review_approve", item, ADMIN)
    assert f"already decided: approved by <@{APPROVER}>" in again

    app.deliver()
    [edit] = [c for c in slack.calls("chat.update") if c.channel == APPROVALS]
    assert edit.body["ts"] == request.answer["ts"]
    assert "Approved by" in json.dumps(edit.json_field("blocks"))
    [told] = wait_for_post(slack, MEMBER)
    assert "approved your post" in json.dumps(told.json_field("blocks"))

    with app.ctx.db.transaction() as session:
        row = session.get(CalendarItem, item)
        assert row is not None
        due_at = row.due_at
    app.deliver(at=due_at + timedelta(seconds=1))
    app.deliver(at=due_at + timedelta(seconds=2))
    dues = [
        c
        for c in slack.calls("chat.postMessage")
        if "time to post" in c.body.get("text", "")
        or "time to post" in json.dumps(c.json_field("blocks") or "")
    ]
    assert len(dues) == 1


@SQLITE_ONLY
def test_request_changes_needs_a_comment_and_reject_takes_an_optional_reason(
    app: InProcessApp, slack: SlackApiMock
) -> None:
    turn_on(app, slack)
    first = schedule_held(app, slack, "Draft one")
    press(app, slack, "review_changes", first, APPROVER)
    [opened] = slack.wait_for("views.open")
    assert opened.json_field("view")["callback_id"] == "review_changes_form"
    blank = submit(app, "review_changes_form", first, APPROVER, "   ")
    assert blank["response_action"] == "errors" and "note" in blank["errors"]
    assert item_status(app, first) == "in_review"
    assert submit(app, "review_changes_form", first, APPROVER, "Add the price") == {}
    assert item_status(app, first) == "changes_requested"
    app.deliver()
    [told] = wait_for_post(slack, MEMBER)
    assert "Add the price" in json.dumps(told.json_field("blocks"))

    second = schedule_held(app, slack, "Draft two")
    third = schedule_held(app, slack, "Draft three")
    assert submit(app, "review_reject_form", second, APPROVER, "") == {}
    assert submit(app, "review_reject_form", third, APPROVER, "Off brand") == {}
    assert item_status(app, second) == item_status(app, third) == "rejected"
    assert reminder_rows(app, second) == reminder_rows(app, third) == []
    app.deliver()
    notices = json.dumps([c.json_field("blocks") for c in wait_for_post(slack, MEMBER, 3)])
    assert "Off brand" in notices and "rejected your post" in notices


@SQLITE_ONLY
def test_indonesian_team_with_a_user_group_reviews_by_dm_and_the_author_edits(
    app: InProcessApp, slack: SlackApiMock
) -> None:
    for user, admin in ((ADMIN, True), (APPROVER, False), ("U0DEWI", False), (MEMBER, False)):
        slack.set_user(user, locale="id-ID", is_admin=admin)
    slack.set_user_group("S0DESAIN", [APPROVER, "U0DEWI"])
    on = ask(app, slack, "pengaturan persetujuan on penyetuju=<!subteam^S0DESAIN|desain>", ADMIN)
    assert "Persetujuan dinyalakan" in on and "U0DEWI" in on
    answer = ask(app, slack, 'jadwal "3 jam lagi" Promo kopi platform=instagram', MEMBER)
    assert "menunggu tinjauan" in answer and "lewat DM" in answer
    with app.ctx.db.transaction() as session:
        item = max(session.scalars(select(CalendarItem.id)))
    app.deliver()
    assert len(wait_for_post(slack, APPROVER)) == len(wait_for_post(slack, "U0DEWI")) == 1

    press(app, slack, "review_changes", item, "U0DEWI")
    assert slack.wait_for("views.open")[0].json_field("view")["title"]["text"].startswith("Minta")
    submit(app, "review_changes_form", item, "U0DEWI", "Cantumkan harganya")
    app.deliver()
    edits = slack.calls("chat.update")
    assert {call.channel for call in edits} == {"D0APPROVER", "D0DEWI"}
    assert all("meminta perubahan" in json.dumps(c.json_field("blocks")) for c in edits)
    [told] = wait_for_post(slack, MEMBER)
    told_blocks = json.dumps(told.json_field("blocks"))
    assert "Cantumkan harganya" in told_blocks and "review_edit" in told_blocks

    press(app, slack, "review_edit", item, MEMBER)
    assert len(slack.wait_for("views.open", count=2)) == 2
    body = view_submission_body(
        "review_edit_form",
        {
            "text": {"value": {"type": "plain_text_input", "value": "Promo kopi Rp20.000"}},
            "when": {"value": {"type": "plain_text_input", "value": ""}},
        },
        user_id=MEMBER,
        private_metadata=json.dumps({"item": item, "channel": None}),
    )
    assert post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)[0] == 200
    assert item_status(app, item) == "in_review"
    app.deliver()
    assert len(wait_for_post(slack, APPROVER, 2)) == 2
