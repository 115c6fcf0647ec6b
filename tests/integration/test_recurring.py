"""Repeating posts on SQLite and PostgreSQL: the series summary, occurrences on a rolling
window extended idempotently, DST, cancelling one occurrence or the series, reminders through
the outbox, and every refusal leaving nothing saved."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smmbot.bootstrap.context import sweeps
from smmbot.persistence.models import CalendarItem, OutboxMessage, RecurringSeries
from smmbot.rendering.reply import Reply
from smmbot.scheduling.jobs import OutboxSweep
from smmbot.services import calendar_actions, recurring
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.outbox import DeliveryOptions, deliver_due
from smmbot.services.recurring_plan import extend_series
from tests.conftest import FakeClock
from tests.integration.test_outbox import FakeSender
from tests.support.interactions import click
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

# The fake clock stands at 2026-11-24 02:00 UTC = 09:00 WIB, Tuesday.
AYU = Actor(team_id="T1", user_id="U01AYU", channel_id="C1", locale="en", timezone="Asia/Jakarta")
DEWI = Actor(team_id="T1", user_id="U02DEWI", channel_id="C1", locale="id", timezone="Asia/Jakarta")
NY = Actor(team_id="T1", user_id="U03NY", channel_id="C1", locale="en", timezone="America/New_York")
JAKARTA = ZoneInfo("Asia/Jakarta")


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def items(ctx: ServiceContext) -> list[CalendarItem]:
    with ctx.db.transaction() as session:
        return list(session.scalars(select(CalendarItem).order_by(CalendarItem.due_at)))


def outbox(ctx: ServiceContext) -> list[OutboxMessage]:
    with ctx.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.due_at)))


def test_weekly_series_in_english_with_times(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, 'schedule "every monday 9am" New menu is here! times=3'))
    assert "series #1: *every Monday, 09:00 WIB*" in text and "3 times in all" in text
    for day in ("Monday 30 November 2026", "Monday 7 December 2026", "Monday 14 December 2026"):
        assert f"{day}, 09:00 WIB" in text
    assert "series_cancel" in text and "schedule cancel series=1" in text
    found = items(ctx)
    assert [item.due_at for item in found] == [
        datetime(2026, 11, 30, 2, tzinfo=UTC),
        datetime(2026, 12, 7, 2, tzinfo=UTC),
        datetime(2026, 12, 14, 2, tzinfo=UTC),
    ]
    assert {item.text for item in found} == {"New menu is here!"}
    assert {item.series_id for item in found} == {1}
    due = [message for message in outbox(ctx) if message.kind == "due"]
    assert len(due) == 3 and {m.calendar_item_id for m in due} == {item.id for item in found}


def test_indonesian_series_with_until_unquoted(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "jadwal setiap senin jam 9 Promo kopi sampai=14/12/2026", DEWI))
    assert "seri #1: *setiap Senin, 09:00 WIB*" in text and "sampai 14 Desember 2026" in text
    assert "Senin 30 November 2026, 09:00 WIB" in text and "kami akan mengingatkan" in text
    assert [item.text for item in items(ctx)] == ["Promo kopi"] * 3
    daily = reply_text(ask(ctx, 'jadwal "tiap hari jam 7 malam" Live IG kali=2', DEWI))
    assert "setiap hari, 19:00 WIB" in daily and "sebanyak 2 kali" in daily
    weekdays = reply_text(ask(ctx, 'jadwal "setiap hari kerja jam 8" Selamat pagi kali=1', DEWI))
    assert "setiap hari kerja (Senin sampai Jumat), 08:00 WIB" in weekdays


def test_open_ended_series_rolls_forward_once(ctx: ServiceContext, clock: FakeClock) -> None:
    text = reply_text(ask(ctx, 'schedule "every day 7pm" Daily tip'))
    assert "until you cancel it" in text and "four weeks ahead" in text
    assert len(items(ctx)) == 28  # 24 November to 21 December, 19:00 WIB
    assert extend_series(ctx=ctx) == 0  # the window is fresh: nothing to do
    clock.now += timedelta(days=2)
    assert extend_series(ctx=ctx) == 2
    assert extend_series(ctx=ctx) == 0
    clock.now += timedelta(days=3)
    with ThreadPoolExecutor(max_workers=2) as pool:  # two replicas sweeping at once
        created = list(pool.map(lambda _: extend_series(ctx=ctx), range(2)))
    assert sorted(created) == [0, 3]
    slots = [item.series_slot for item in items(ctx)]
    assert len(slots) == len(set(slots)) == 33
    assert {item.due_at.astimezone(JAKARTA).hour for item in items(ctx)} == {19}


def test_series_ends_when_every_occurrence_exists(ctx: ServiceContext, clock: FakeClock) -> None:
    ask(ctx, 'schedule "every monday 9am" Weekly times=6')
    assert len(items(ctx)) == 4  # the 28-day window holds four Mondays
    clock.now += timedelta(days=14)
    assert extend_series(ctx=ctx) == 2
    with ctx.db.transaction() as session:
        assert session.scalars(select(RecurringSeries.status)).one() == "ended"
    clock.now += timedelta(days=14)
    assert extend_series(ctx=ctx) == 0 and len(items(ctx)) == 6


def test_dst_change_keeps_local_time(ctx: ServiceContext, clock: FakeClock) -> None:
    clock.now = datetime(2027, 3, 2, 12, tzinfo=UTC)  # New York springs forward on 14 March
    ask(ctx, 'schedule "every monday 9am" Standup post times=3', NY)
    found = items(ctx)
    assert [item.due_at.hour for item in found] == [14, 13, 13]
    zone = ZoneInfo("America/New_York")
    assert {item.due_at.astimezone(zone).strftime("%a %H:%M") for item in found} == {"Mon 09:00"}
    berlin = Actor(
        team_id="T1", user_id="U04B", channel_id="C1", locale="en", timezone="Europe/Berlin"
    )
    clock.now = datetime(2027, 10, 20, 12, tzinfo=UTC)  # Berlin falls back on 31 October
    ask(ctx, 'schedule "every day 10:00" Guten Morgen times=14', berlin)
    berlin_items = [item for item in items(ctx) if item.text == "Guten Morgen"]
    assert {item.due_at.astimezone(ZoneInfo("Europe/Berlin")).hour for item in berlin_items} == {10}
    assert {item.due_at.hour for item in berlin_items} == {8, 9}


def test_cancel_one_occurrence_then_the_series(ctx: ServiceContext, clock: FakeClock) -> None:
    ask(ctx, 'schedule "every day 10:00" Daily promo')
    first, second = items(ctx)[:2]
    assert "Cancelled #" in reply_text(click(ctx, AYU, calendar_actions.cancel_item, second.id))
    clock.now = first.due_at + timedelta(minutes=5)  # the first is overdue, not published
    week = reply_text(ask(ctx, "calendar"))
    assert ":repeat: every day, 10:00 WIB · series #1" in week and "series_cancel" in week
    clock.now += timedelta(days=2)
    extend_series(ctx=ctx)
    assert len([item for item in items(ctx) if item.series_slot == second.series_slot]) == 1
    reply = reply_text(click(ctx, AYU, recurring.cancel_series, 1))
    assert "Cancelled series #1" in reply and "Posts already past stay" in reply
    statuses = {item.id: item.status for item in items(ctx)}
    assert statuses[first.id] == "scheduled" and statuses[second.id] == "cancelled"
    upcoming = [item for item in items(ctx) if item.due_at > clock.now]
    assert upcoming and {item.status for item in upcoming} == {"cancelled"}
    pending = {m.calendar_item_id for m in outbox(ctx) if m.status == "pending"}
    assert pending <= {item.id for item in items(ctx) if item.due_at <= clock.now}
    assert "already cancelled" in reply_text(click(ctx, AYU, recurring.cancel_series, 1))
    clock.now += timedelta(days=2)
    assert extend_series(ctx=ctx) == 0


def test_cancel_series_by_command_in_both_languages(ctx: ServiceContext) -> None:
    ask(ctx, 'schedule "every friday 15:00" Weekend deal')
    ask(ctx, 'jadwal "setiap rabu jam 10" Promo tengah minggu', DEWI)
    assert "Cancelled series #1: 4 upcoming posts" in reply_text(
        ask(ctx, "schedule cancel series=1")
    )
    assert "Seri #2 dibatalkan" in reply_text(ask(ctx, "jadwal batalkan seri=2", DEWI))
    assert {item.status for item in items(ctx)} == {"cancelled"}
    assert "doesn't exist" in reply_text(ask(ctx, "schedule cancel series=99"))
    assert "give the series number" in reply_text(ask(ctx, "schedule cancel"))
    other = Actor(team_id="T2", user_id="U9", channel_id="C9", locale="en", timezone="UTC")
    ask(ctx, 'schedule "every day 9am" Mine')
    assert "doesn't exist" in reply_text(ask(ctx, "schedule cancel series=3", other))


def test_occurrence_reminders_go_out_through_the_outbox(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    ask(ctx, 'schedule "every day 10:00" Kopi pagi times=2 channel=<#C0MARKET|marketing>')
    sender = FakeSender()
    options = DeliveryOptions(spacing=0.0, poll_interval=0.01)
    for item in items(ctx):
        clock.now = item.due_at
        deliver_due(ctx=ctx, sender=sender, worker_id="w1", options=options)
    assert {channel for channel, _ in sender.sent} == {"C0MARKET"}
    due = [p for _, p in sender.sent if p["reply"]["fallback"] == "Time to post"]
    assert len(due) == 2 and all("Kopi pagi" in str(payload) for payload in due)
    sent = {(m.calendar_item_id, m.kind) for m in outbox(ctx) if m.status == "sent"}
    assert {(item.id, "due") for item in items(ctx)} <= sent
    assert len(sender.sent) == len([m for m in outbox(ctx) if m.status == "sent"])
    before = len(sender.sent)
    deliver_due(ctx=ctx, sender=sender, worker_id="w1", options=options)
    assert len(sender.sent) == before  # each one once


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ('schedule "every blah" Hi', "as a repeating time"),
        ("schedule every monday", "What should be posted?"),
        ('schedule "every monday 9am" Hi until=2026-12-31 times=3', "not both"),
        ('schedule "every monday 9am" Hi times=0', "from 1 to 500"),
        ('schedule "every monday 9am" Hi times=abc', "a whole number"),
        ('schedule "every monday 9am" Hi until=2026-11-01', "on or after the first post"),
        ('schedule "every monday 9am" Hi until=12/25/2027', "25/12/2027"),
        ('schedule "tomorrow 9am" Hi times=3', "goes with a repeating post"),
    ],
)
def test_refusals_save_nothing(ctx: ServiceContext, command: str, expected: str) -> None:
    text = reply_text(ask(ctx, command))
    assert expected in text and "schedule" in text
    assert items(ctx) == []
    with ctx.db.transaction() as session:
        assert session.scalars(select(RecurringSeries)).all() == []


def test_indonesian_refusals_name_indonesian_keys(ctx: ServiceContext) -> None:
    assert "`kali=` hanya untuk postingan berulang" in reply_text(
        ask(ctx, "jadwal besok jam 9 Halo kali=2", DEWI)
    )
    assert "jadwal berulang" in reply_text(ask(ctx, 'jadwal "setiap kapan" Halo', DEWI))


def test_a_draft_with_several_versions_must_pick_one(ctx: ServiceContext) -> None:
    ask(ctx, "draft promo product=Kopi offer=20% url=https://toko.id/p platform=x,instagram")
    refused = reply_text(ask(ctx, 'schedule "every monday 9am" draft=1'))
    assert "Pick one with `platform=`" in refused and items(ctx) == []
    ask(ctx, 'schedule "every monday 9am" draft=1 platform=x times=2')
    assert {item.platform for item in items(ctx)} == {"x"} and len(items(ctx)) == 2


def test_a_text_over_its_network_limit_is_warned(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(ctx, 'schedule "every monday 9am" ' + "kopi " * 80 + "platform=x times=2")
    )
    assert ":warning:" in text and "over the X limit" in text and len(items(ctx)) == 2


def test_every_mode_runs_the_extension_sweep_before_delivery(ctx: ServiceContext) -> None:
    """The bot and the console share `bootstrap.context.sweeps`: the window moves on before
    the outbox sweep, so an occurrence entering the window gets its reminders that tick."""
    outbox_sweep = OutboxSweep(ctx=ctx, sender=FakeSender(), worker_id="w1")
    names = [getattr(sweep, "func", sweep) for sweep in sweeps(ctx, outbox_sweep)]
    assert names.index(extend_series) < names.index(outbox_sweep)
