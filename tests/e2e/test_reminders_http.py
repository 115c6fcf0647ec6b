"""The channel's reminders and the calendar over signed HTTP, in Indonesian: a teammate snoozes
the due reminder and later marks the post published, and the real app edits that message in
place (chat.update on the mock Web API) for everyone; the calendar shows the post as overdue
and snoozed; scheduling the same text twice on X within an hour is warned about.

The post is put on the calendar by the service layer with a clock an hour behind, so its due
reminder is already due when the app starts (the app itself runs on the real clock)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.databases import opened_database
from tests.support.slack_mock import TEAM_ID, SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed, view_submission_body

pytestmark = pytest.mark.e2e

BUDI = "U0BUDI"
CHANNEL = "C0MARKET"
JAKARTA = ZoneInfo("Asia/Jakarta")


def seed_due_post(database_url: str, text: str) -> None:
    """`jadwal` typed an hour ago for ten minutes ago, by an Indonesian member."""
    now = datetime.now(UTC)
    due = (now - timedelta(minutes=10)).astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M")
    with opened_database(database_url) as database:
        ctx = ServiceContext(db=database, clock=lambda: now - timedelta(hours=1))
        with ctx.db.transaction() as session:
            WorkspaceRepository(session, TEAM_ID).get_or_create(now=ctx.clock())
        actor = Actor(
            team_id=TEAM_ID, user_id=BUDI, channel_id=CHANNEL, locale="id", timezone="Asia/Jakarta"
        )
        run_command(ctx=ctx, actor=actor, text=f'jadwal "{due}" {text}', surface=Surface.SLACK)


def actions_of(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def click(app: AppProcess, slack: SlackApiMock, action_id: str, ts: str) -> None:
    body = block_actions_body(
        action_id,
        "1",
        user_id=BUDI,
        channel_id=CHANNEL,
        response_url=slack.response_url("click"),
        message={"ts": ts, "text": "reminder"},
    )
    assert post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)[0] == 200


def test_snooze_and_publish_edit_the_reminder_for_everyone(
    slack: SlackApiMock, database_url: str, tmp_path: Path
) -> None:
    slack.set_user(BUDI, tz="Asia/Jakarta", locale="id-ID")
    seed_due_post(database_url, "Kopi susu is back! platform=x")
    with AppProcess(
        api_url=slack.base_url,
        database_url=database_url,
        log_path=tmp_path / "app.log",
        SMMBOT_SCHEDULER_INTERVAL="1",
    ) as app:
        [reminder] = slack.wait_for("chat.postMessage", timeout=30)
        assert actions_of(reminder.json_field("blocks")) == ["item_published", "item_snooze"]
        ts = reminder.answer["ts"]

        click(app, slack, "item_snooze", ts)
        [snoozed] = slack.wait_for("chat.update", timeout=30)
        assert (snoozed.channel, snoozed.body["ts"]) == (CHANNEL, ts)
        edited = json.dumps(snoozed.json_field("blocks"), ensure_ascii=False)
        assert "💤 Ditunda sampai *" in edited and f"WIB* oleh <@{BUDI}>" in edited
        assert actions_of(snoozed.json_field("blocks")) == ["item_published"]

        _, url = command(app, slack, "kalender platform=x", user_id=BUDI, channel_id=CHANNEL)
        calendar = block_text(answer_to(slack, url))
        assert "*Terlambat* (1)" in calendar and "💤 ditunda sampai" in calendar
        assert "Kopi susu is back!" in calendar

        later = (datetime.now(UTC) + timedelta(days=2)).astimezone(JAKARTA)
        when = later.strftime("%Y-%m-%d 10:00")
        for minutes, expect_warning in (("10:00", False), ("10:30", True)):
            text = f'jadwal "{when[:-5]}{minutes}" Teh tarik hangat platform=x'
            _, url = command(app, slack, text, user_id=BUDI, channel_id=CHANNEL)
            answer = block_text(answer_to(slack, url))
            assert "Terjadwal" in answer
            assert ("Teks yang sama sudah dijadwalkan di X" in answer) is expect_warning

        click(app, slack, "item_published", ts)
        form = slack.wait_for("views.open")[0].json_field("view")
        state = {"url": {"value": {"type": "plain_text_input", "value": "https://x.com/k/1"}}}
        submit = view_submission_body(
            "item_publish_form", state, user_id=BUDI, private_metadata=form["private_metadata"]
        )
        assert post_signed(f"{app.base_url}/slack/events", submit, SIGNING_SECRET)[0] == 200
        published = slack.wait_for("chat.update", count=2, timeout=30)[1]
        assert published.body["ts"] == ts
        edited = json.dumps(published.json_field("blocks"), ensure_ascii=False)
        assert f"✅ Sudah diposting oleh <@{BUDI}> — <https://x.com/k/1>" in edited
        assert actions_of(published.json_field("blocks")) == []
