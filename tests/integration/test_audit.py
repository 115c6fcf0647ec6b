"""The audit log: each recorded change writes its entry in its own transaction (and a refused
change writes none); `/smm history` shows a post's life in the member's zone and language;
`history export` gives admins the log as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from smmbot.domain.audit import SYSTEM_ACTOR, AuditAction, Subject
from smmbot.persistence.models import AuditEvent, ConnectorSource, OutboxMessage
from smmbot.rendering import limits
from smmbot.rendering.reply import Reply
from smmbot.services import calendar_actions
from smmbot.services.audit import record_audit
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.outbox import DeliveryOptions, deliver_due
from smmbot.services.sources_notices import notify_broken
from smmbot.slack.notifier import chat_message
from tests.conftest import FakeClock
from tests.support.interactions import click, submit
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

# The fake clock stands at 2026-11-24 02:00 UTC = 09:00 WIB, Tuesday.
AYU = Actor(team_id="T1", user_id="U01AYU", channel_id="C1", locale="en", timezone="Asia/Jakarta")
BUDI = Actor(team_id="T1", user_id="U02BUDI", channel_id="C1", locale="id", timezone="Asia/Jakarta")
ADMIN = Actor(
    team_id="T1",
    user_id="U03ADM",
    channel_id="C1",
    locale="en",
    timezone="Asia/Jakarta",
    is_admin=True,
)
OTHER_TEAM = Actor(
    team_id="T2", user_id="U09OTH", channel_id="C9", locale="en", timezone="Asia/Jakarta"
)


class Sender:
    def __init__(self) -> None:
        self.count = 0

    def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
        self.count += 1
        return f"1700000000.{self.count:06d}"


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def entries(ctx: ServiceContext, team_id: str = "T1") -> list[tuple[str, str, str, dict[str, Any]]]:
    with ctx.db.transaction() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.team_id == team_id).order_by(AuditEvent.id)
        )
        return [(r.actor_id, r.action, f"{r.subject_kind}:{r.subject_key}", r.detail) for r in rows]


def actions(ctx: ServiceContext) -> list[str]:
    return [action for _, action, _, _ in entries(ctx)]


def test_a_posts_life_is_recorded_and_shown_in_order(ctx: ServiceContext, clock: FakeClock) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" New menu is here! platform=instagram')
    form = click(ctx, AYU, calendar_actions.reschedule_form, 1).form
    assert form is not None
    submit(
        ctx, AYU, calendar_actions.submit_reschedule, form.private_metadata, {"when": "yesterday"}
    )
    assert actions(ctx) == ["item.scheduled"]  # the refused reschedule wrote nothing
    submit(
        ctx,
        AYU,
        calendar_actions.submit_reschedule,
        form.private_metadata,
        {"when": "2026-11-28 15:00"},
    )
    clock.now = clock.now + timedelta(days=4, hours=6, minutes=1)  # 28 Nov 15:01 WIB
    deliver_due(ctx=ctx, sender=Sender(), worker_id="w", options=DeliveryOptions(spacing=0.0))
    click(ctx, BUDI, calendar_actions.snooze_item, 1)
    click(ctx, AYU, calendar_actions.snooze_item, 1)  # the same snooze: one reminder, one entry
    metadata = json.dumps({"item": 1})
    url = {"url": "https://instagram.com/p/abc"}
    submit(ctx, BUDI, calendar_actions.submit_publish, metadata, url)
    assert actions(ctx) == [
        "item.scheduled",
        "item.rescheduled",
        "item.reminded",  # the due message (the leads' moments passed: dropped, not sent)
        "item.snoozed",
        "item.published",
    ]
    assert {subject for _, _, subject, _ in entries(ctx)} == {"item:1"}
    assert entries(ctx)[-1][3] == url
    with ctx.db.transaction() as session:
        edits = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "update"))
        [published] = [edit for edit in edits if "metadata" in edit.payload]
        sent = chat_message(published.payload)  # what chat.update gets: workflows can start on it
    assert sent["metadata"] == {
        "event_type": "smmbot_post_published",
        "event_payload": {
            "item_id": 1,
            "platform": "instagram",
            "url": url["url"],
            "published_by": "U02BUDI",
            "owner": "U01AYU",
            "channel": "C1",
        },
    }

    english = reply_text(ask(ctx, "history 1"))
    assert "History of post #1" in english
    assert "Tue 24 Nov 2026, 09:00 WIB" in english and "scheduled it for Thu 26 Nov" in english
    assert "moved it to Sat 28 Nov 2026, 15:00 WIB" in english
    assert "smmbot sent the due reminder" in english
    assert "<@U02BUDI> marked it published: https://instagram.com/p/abc" in english
    assert english.index("scheduled it") < english.index("moved it") < english.index("snoozed")
    indonesian = reply_text(ask(ctx, "riwayat 1", BUDI))
    assert "Riwayat postingan #1" in indonesian
    assert "menandainya sudah terbit: https://instagram.com/p/abc" in indonesian
    assert "Sab 28 Nov 2026" in indonesian and "menundanya sampai" in indonesian


def test_cancel_missed_and_settings_changes_are_recorded(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    ask(ctx, 'schedule "2026-11-24 12:00" Lunch post')
    ask(ctx, 'schedule "2026-11-26 12:00" Later post')
    click(ctx, AYU, calendar_actions.cancel_item, 2)
    click(ctx, AYU, calendar_actions.cancel_item, 2)  # already cancelled: nothing more
    clock.now += timedelta(hours=28)
    calendar_actions.mark_missed(ctx=ctx)
    ask(ctx, "calendar reminders 2h")
    ask(ctx, "calendar reminders soon")  # refused
    ask(ctx, "digest settings day=friday time=16:00")
    ask(ctx, "digest settings day=someday")  # refused
    ask(ctx, "digest off")
    ask(ctx, "settings token rotate", ADMIN)
    ask(ctx, "settings token rotate")  # not an admin: refused
    log = entries(ctx)
    assert [(who, action, subject) for who, action, subject, _ in log[2:]] == [
        ("U01AYU", "item.cancelled", "item:2"),
        (SYSTEM_ACTOR, "item.missed", "item:1"),
        ("U01AYU", "calendar.reminders_changed", "workspace:reminders"),
        ("U01AYU", "digest.settings_changed", "workspace:digest"),
        ("U01AYU", "digest.turned_off", "workspace:digest"),
        ("U03ADM", "token.rotated", "workspace:metrics_token"),
    ]
    assert log[4][3] == {"minutes": [120]}
    assert log[5][3]["day"] == "4" and log[5][3]["time"] == "16:00"
    assert log[-1][3] == {}  # the token itself is never kept


def test_connector_break_is_recorded_with_the_connector_as_actor(ctx: ServiceContext) -> None:
    with ctx.db.transaction() as session:
        source = ConnectorSource(
            team_id="T1", provider="google", status="broken", connected_by="U01AYU", vault=b"",
            accounts=[], choices=[], backfill_pending=False, last_summary={},
            broken_notified=False, connected_at=ctx.clock(), problem="invalid_grant",
        )  # fmt: skip
        session.add(source)
        session.flush()
        notify_broken(session, source, ctx.clock())
    assert entries(ctx) == [
        ("google", "connector.broken", "connector:google", {"problem": "invalid_grant"})
    ]


def test_history_refuses_unknown_and_other_workspaces_ids(ctx: ServiceContext) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" Ours')
    assert "There is no post #1" in reply_text(ask(ctx, "history 1", OTHER_TEAM))
    assert "There is no post #7" in reply_text(ask(ctx, "history 7"))
    assert "is not a post number" in reply_text(ask(ctx, "history abc"))
    assert "Which post?" in reply_text(ask(ctx, "history"))
    assert "Tidak ada postingan #7" in reply_text(ask(ctx, "riwayat 7", BUDI))


def test_a_long_history_comes_in_pages(ctx: ServiceContext) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" Busy post')
    with ctx.db.transaction() as session:
        for minute in range(90):
            record_audit(
                session,
                team_id="T1",
                actor_id="U01AYU",
                action=AuditAction.ITEM_CHANGES_REQUESTED,
                subject=Subject.item(1),
                at=ctx.clock() + timedelta(minutes=minute),
                detail={"comment": "<!channel> shorter please " * 40},
            )
    first = ask(ctx, "history 1")
    text = reply_text(first)
    assert "Entries 1\u201340 of 91" in text and "history 1 page=2" in text
    assert "<!channel>" not in text and "asked for changes" in text
    assert limits.violations(first) == []
    assert limits.violations(ask(ctx, "riwayat 1 halaman=2", BUDI)) == []
    assert "Entries 81\u201391 of 91" in reply_text(ask(ctx, "history 1 page=3"))
    assert "not a page of this history" in reply_text(ask(ctx, "history 1 page=4"))


def test_admins_export_the_log_as_safe_csv(ctx: ServiceContext) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" =HYPERLINK("http://evil") post')
    with ctx.db.transaction() as session:
        record_audit(
            session,
            team_id="T1",
            actor_id="U01AYU",
            action=AuditAction.ITEM_REJECTED,
            subject=Subject.setting("=cmd|' /C calc'!A0"),
            at=ctx.clock(),
            detail={"reason": "“Terlalu panjang”"},
        )
    ask(ctx, 'schedule "2026-11-26 10:00" Theirs', OTHER_TEAM)

    refused = reply_text(ask(ctx, "history export"))
    assert "admin" in refused.lower()
    reply = ask(ctx, "history export from=2026-11-24 to=24/11/2026", ADMIN)
    assert reply.files_in_dm and "(2 entries, 2026-11-24 to 2026-11-24)" in reply_text(reply)
    [attachment] = reply.files
    assert attachment.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(attachment.content.decode("utf-8-sig"))))
    assert rows[0] == ["occurred_at", "actor", "action", "subject_kind", "subject", "detail"]
    assert rows[1][:5] == ["2026-11-24T02:00:00Z", "U01AYU", "item.scheduled", "item", "1"]
    assert rows[2][4] == "'=cmd|' /C calc'!A0"
    assert json.loads(rows[2][5]) == {"reason": "“Terlalu panjang”"}
    assert len(rows) == 3  # the other workspace's entry is not in it

    empty = ask(ctx, "history export from=2026-11-25", ADMIN)
    assert len(empty.files[0].content.decode("utf-8-sig").splitlines()) == 1
    assert "must not be after" in reply_text(
        ask(ctx, "history export from=2026-11-25 to=2026-11-24", ADMIN)
    )
    budi = reply_text(ask(ctx, "riwayat ekspor dari=2026-11-25", BUDI))
    assert "admin" in budi.lower() and not ask(ctx, "riwayat ekspor", BUDI).files
