from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from smmbot.persistence.models import CalendarItem, OutboxMessage
from smmbot.rendering.reply import Reply, reply_from_data
from smmbot.services import calendar_actions
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.conftest import FakeClock
from tests.support.interactions import click, submit
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

# The fake clock stands at 2026-11-24 02:00 UTC = 09:00 WIB, Tuesday.
AYU = Actor(team_id="T1", user_id="U01AYU", channel_id="C1", locale="en", timezone="Asia/Jakarta")
NY = Actor(team_id="T1", user_id="U02NY", channel_id="C1", locale="en", timezone="America/New_York")


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def items(ctx: ServiceContext) -> list[CalendarItem]:
    with ctx.db.transaction() as session:
        return list(session.scalars(select(CalendarItem).order_by(CalendarItem.id)))


def outbox(ctx: ServiceContext) -> list[tuple[str, datetime, str]]:
    with ctx.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.due_at))
        return [(row.kind, row.due_at, row.status) for row in rows]


def test_schedule_confirms_local_time_and_plans_reminders(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, 'schedule "2026-11-26 10:00" New menu is here! platform=instagram'))
    assert "Thursday 26 November 2026, 10:00 WIB" in text
    assert "on Instagram" in text
    [item] = items(ctx)
    assert item.due_at == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert (
        item.text == "New menu is here!" and item.channel_id == "C1" and item.owner_id == "U01AYU"
    )
    assert outbox(ctx) == [
        ("lead", datetime(2026, 11, 25, 3, 0, tzinfo=UTC), "pending"),
        ("lead", datetime(2026, 11, 26, 2, 0, tzinfo=UTC), "pending"),
        ("due", datetime(2026, 11, 26, 3, 0, tzinfo=UTC), "pending"),
        ("missed", datetime(2026, 11, 27, 3, 0, tzinfo=UTC), "pending"),
    ]


def test_lead_reminders_already_past_are_skipped(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "schedule 11:30 Coffee break post"))
    assert "Lead reminders already in the past were skipped" in text
    assert [kind for kind, _, _ in outbox(ctx)] == ["lead", "due", "missed"]  # only the 1 h one


def test_indonesian_phrases_in_the_users_zone(ctx: ServiceContext) -> None:
    makassar = Actor(
        team_id="T1", user_id="U03", channel_id="C1", locale="id", timezone="Asia/Makassar"
    )
    text = reply_text(ask(ctx, "jadwal besok jam 9 Promo kopi susu", makassar))
    assert "Rabu 25 November 2026, 09:00 WITA" in text
    assert items(ctx)[0].due_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert items(ctx)[0].text == "Promo kopi susu"


def test_past_and_unreadable_moments_are_refused(ctx: ServiceContext) -> None:
    assert "already in the past" in reply_text(
        ask(ctx, '"2026-11-20 10:00" x'.join(["schedule ", ""]))
    )
    assert "read `someday` as a date" in reply_text(ask(ctx, "schedule someday soon maybe"))
    assert "What should be posted?" in reply_text(ask(ctx, "schedule tomorrow 9am"))
    assert items(ctx) == [] and outbox(ctx) == []


def test_over_limit_text_is_warned(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "schedule tomorrow 9am " + "kopi " * 80 + "platform=x"))
    assert ":warning:" in text and "over the X limit" in text


def test_channel_owner_campaign_and_draft_options(ctx: ServiceContext) -> None:
    ask(ctx, "campaign new Launch objective=smm start=2026-11-01 end=2026-12-31")
    ask(ctx, "draft promo product=Kopi offer=20% url=https://toko.id/p platform=x,instagram")
    text = reply_text(
        ask(
            ctx,
            "schedule tomorrow 10:00 draft=1 platform=instagram campaign=launch "
            "channel=<#C0MARKET|marketing> owner=<@U0DEWI|dewi>",
        )
    )
    assert "campaign *Launch*" in text and "<@U0DEWI>" in text and "<#C0MARKET>" in text
    [item] = items(ctx)
    assert item.draft_id == 1 and item.platform == "instagram"
    assert "link in bio" in item.text and "https://" not in item.text  # not the X version
    assert "unknown option" not in text
    assert "not an option" in reply_text(ask(ctx, "schedule tomorrow 10:00 hi colour=red"))
    assert "pick the channel" in reply_text(ask(ctx, "schedule tomorrow 10:00 hi channel=#general"))


def test_calendar_groups_by_local_day_with_buttons(ctx: ServiceContext) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" First post platform=x')
    ask(ctx, 'schedule "2026-11-26 08:00" Early post')
    ask(ctx, 'schedule "2026-12-20 08:00" Far post')
    week = ask(ctx, "calendar")
    text = reply_text(week)
    assert text.index("`08:00`") < text.index("`10:00`")
    assert "Thursday 26 November" in text and "Far post" not in text
    assert "Far post" in reply_text(ask(ctx, "calendar month"))
    assert "item_reschedule" in text and "item_cancel" in text


def test_cancel_reschedule_publish_and_snooze(ctx: ServiceContext, clock: FakeClock) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" A post')
    assert "Cancelled #1" in reply_text(click(ctx, AYU, calendar_actions.cancel_item, 1))
    assert {status for _, _, status in outbox(ctx)} == {"cancelled"}
    assert "already cancelled" in reply_text(click(ctx, AYU, calendar_actions.cancel_item, 1))

    ask(ctx, 'schedule "2026-11-26 10:00" Another post')
    form = click(ctx, AYU, calendar_actions.reschedule_form, 2).form
    assert form is not None
    bad = submit(
        ctx,
        AYU,
        calendar_actions.submit_reschedule,
        form.private_metadata,
        {"when": "yesterday 9am"},
    )
    assert set(bad.errors) == {"when"}
    moved = submit(
        ctx,
        AYU,
        calendar_actions.submit_reschedule,
        form.private_metadata,
        {"when": "2026-11-28 15:00"},
    )
    assert moved.reply is not None and "Saturday 28 November 2026, 15:00 WIB" in reply_text(
        moved.reply
    )
    pending = [(kind, due) for kind, due, status in outbox(ctx) if status == "pending"]
    assert ("due", datetime(2026, 11, 28, 8, 0, tzinfo=UTC)) in pending

    assert "Snoozed" in reply_text(click(ctx, AYU, calendar_actions.snooze_item, 2))
    snoozed = [due for kind, due, status in outbox(ctx) if kind == "due" and status == "pending"]
    assert clock.now + timedelta(hours=1) in snoozed

    published = submit(
        ctx,
        AYU,
        calendar_actions.submit_publish,
        json.dumps({"item": 2}),
        {"url": "https://instagram.com/p/abc"},
    )
    assert published.reply is not None and "marked published" in reply_text(published.reply)
    assert items(ctx)[1].status == "published"
    assert all(status != "pending" for _, _, status in outbox(ctx))


def test_posts_not_published_a_day_later_count_as_missed(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    ask(ctx, 'schedule "2026-11-24 12:00" Lunch post')
    clock.now += timedelta(hours=28)
    assert calendar_actions.mark_missed(ctx=ctx) == 1
    assert items(ctx)[0].status == "missed"


def test_due_message_mentions_the_owner_and_carries_the_text(ctx: ServiceContext) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" Kopi <baru> & enak platform=threads')
    with ctx.db.transaction() as session:
        due = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "due")).one()
        payload = due.payload
    reply = reply_from_data(payload["reply"])
    text = reply_text(reply)
    assert "<@U01AYU>" in text and "Kopi &lt;baru&gt; &amp; enak" in text
    assert "item_published" in text and "item_snooze" in text
    assert reply.public


def test_a_post_across_a_dst_change_keeps_its_local_time(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)  # Saturday 10:00 in New York (EST)
    ask(ctx, "schedule tomorrow 09:00 Sunday brunch", NY)
    [item] = items(ctx)
    assert item.due_at == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 09:00 EDT, UTC-4
    leads = [due for kind, due, _ in outbox(ctx) if kind == "lead"]
    assert datetime(2026, 3, 8, 12, 0, tzinfo=UTC) in leads  # 1 h before, in real time


def test_workspace_lead_times_can_be_changed(ctx: ServiceContext) -> None:
    assert "1 day, 1 hour before" in reply_text(ask(ctx, "calendar reminders"))
    assert "3 hours, 15 minutes before" in reply_text(ask(ctx, "calendar reminders 3h,15m"))
    assert "not a list of times" in reply_text(ask(ctx, "calendar reminders soon"))
    ask(ctx, 'schedule "2026-11-26 10:00" A post')
    leads = [due for kind, due, _ in outbox(ctx) if kind == "lead"]
    assert leads == [
        datetime(2026, 11, 26, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 2, 45, tzinfo=UTC),
    ]
    assert "only at the due time" in reply_text(ask(ctx, "kalender pengingat off"))


def test_snooze_clicked_twice_or_by_two_teammates_sends_one_reminder(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    ask(ctx, "schedule 10:00 A post")
    with ctx.db.transaction() as session:  # the due reminder went out with its Snooze button
        for row in session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "due")):
            row.status = "sent"
    clock.now += timedelta(hours=1)
    first = click(ctx, AYU, calendar_actions.snooze_item, 1)
    clock.now += timedelta(seconds=2)
    again = click(ctx, AYU, calendar_actions.snooze_item, 1)
    teammate = click(ctx, NY, calendar_actions.snooze_item, 1)
    pending = [due for kind, due, status in outbox(ctx) if kind == "due" and status == "pending"]
    assert len(pending) == 1
    assert "Tuesday 24 November 2026, 11:00 WIB" in reply_text(first)
    assert reply_text(again) == reply_text(first)
    assert "Snoozed" in reply_text(teammate)

    with ctx.db.transaction() as session:  # the snoozed reminder went out: snoozing works again
        for row in session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")):
            row.status = "sent" if row.kind == "due" else row.status
    click(ctx, AYU, calendar_actions.snooze_item, 1)
    pending = [due for kind, due, status in outbox(ctx) if kind == "due" and status == "pending"]
    assert len(pending) == 1


def test_cancel_and_mark_published_twice_change_nothing_the_second_time(
    ctx: ServiceContext,
) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" A post')
    metadata = json.dumps({"item": 1})
    first = submit(ctx, AYU, calendar_actions.submit_publish, metadata, {"url": ""})
    second = submit(
        ctx, NY, calendar_actions.submit_publish, metadata, {"url": "https://x.com/p/1"}
    )
    assert first.reply is not None and "marked published" in reply_text(first.reply)
    assert second.reply is not None and "already published" in reply_text(second.reply)
    assert items(ctx)[0].published_url is None
    assert "already published" in reply_text(click(ctx, AYU, calendar_actions.cancel_item, 1))
    assert items(ctx)[0].status == "published"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.postgres
def test_teammates_clicking_mark_published_at_once_publish_it_once(ctx: ServiceContext) -> None:
    ask(ctx, 'schedule "2026-11-26 10:00" A post')
    metadata = json.dumps({"item": 1})
    start = threading.Barrier(6)

    def click(n: int) -> str:
        member = Actor(team_id="T1", user_id=f"U{n}", channel_id="C1", locale="en", timezone="UTC")
        start.wait()
        outcome = submit(
            ctx, member, calendar_actions.submit_publish, metadata, {"url": f"https://x.com/{n}"}
        )
        assert outcome.reply is not None
        return reply_text(outcome.reply)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(click, range(6)))
    assert sum("marked published" in answer for answer in answers) == 1
    assert sum("already published" in answer for answer in answers) == 5
