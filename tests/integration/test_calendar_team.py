"""The calendar as a team uses it: overdue posts at the top, filters, a warning for a post
planned twice, and channel reminders that show what a teammate did (edited through the outbox,
delivered by the real Slack sender to the mock Web API)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from smmbot.persistence.models import OutboxMessage
from smmbot.rendering.reply import Reply
from smmbot.services import calendar_actions, calendar_listing
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.outbox import DeliveryOptions, deliver_due
from smmbot.slack.notifier import build_message_sender
from tests.conftest import FakeClock
from tests.support.app_process import BOT_TOKEN
from tests.support.interactions import click, submit
from tests.support.replies import reply_text
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.usefixtures("workspaces")

# The fake clock stands at 2026-11-24 02:00 UTC = 09:00 WIB, Tuesday.
AYU = Actor(team_id="T1", user_id="U01AYU", channel_id="C1", locale="en", timezone="Asia/Jakarta")
BUDI = Actor(team_id="T1", user_id="U02BUDI", channel_id="C1", locale="id", timezone="Asia/Jakarta")
FAST = DeliveryOptions(spacing=0.01, poll_interval=0.01)


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def deliver(ctx: ServiceContext, slack: SlackApiMock) -> None:
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=slack.base_url)
    deliver_due(ctx=ctx, sender=sender, worker_id="test", options=FAST)


def blocks_of(call_body: dict[str, object]) -> list[dict[str, object]]:
    blocks = call_body["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks  # type: ignore[return-value]


def action_ids(blocks: list[dict[str, object]]) -> list[str]:
    return [
        str(element["action_id"])
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]  # type: ignore[attr-defined]
    ]


def test_overdue_posts_come_first_and_snoozed_ones_show_their_time(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    ask(ctx, "schedule 10:00 Overdue kopi post platform=instagram")
    ask(ctx, "schedule 12:00 Snoozed latte post platform=x")
    ask(ctx, 'schedule "2026-11-26 10:00" Coming croissant post')
    clock.now += timedelta(hours=4)  # 13:00 WIB: two posts are late
    click(ctx, AYU, calendar_actions.snooze_item, 2)
    text = reply_text(ask(ctx, "calendar"))
    assert "*Overdue* (2)" in text
    overdue_at = text.index("*Overdue*")
    assert overdue_at < text.index("Overdue kopi post") < text.index("Coming croissant post")
    assert text.index("Snoozed latte post") < text.index("Thursday 26 November")
    assert "snoozed until 14:00" in text
    assert text.count("snoozed until") == 1
    assert text.count("item_published") == 2  # Mark published on each overdue post only

    clock.now += timedelta(hours=24)  # a day after: the sweep counts them missed
    calendar_actions.mark_missed(ctx=ctx)
    text = reply_text(ask(ctx, "calendar"))
    assert "Overdue" not in text and "Overdue kopi post" not in text
    assert "Coming croissant post" in text


def test_overdue_posts_in_indonesian(ctx: ServiceContext, clock: FakeClock) -> None:
    ask(ctx, "jadwal 10:00 Promo kopi susu", BUDI)
    clock.now += timedelta(hours=2)
    text = reply_text(ask(ctx, "kalender", BUDI))
    assert "*Terlambat* (1)" in text and "Promo kopi susu" in text


def test_filters_by_campaign_platform_and_owner(ctx: ServiceContext) -> None:
    ask(ctx, "campaign new Ramadan objective=smo start=2026-11-01 end=2026-12-31")
    ask(ctx, 'schedule "2026-11-25 10:00" Ramadan reel campaign=Ramadan platform=instagram')
    ask(ctx, 'schedule "2026-11-25 11:00" Plain tweet platform=x')
    ask(ctx, 'schedule "2026-11-25 12:00" Budi thread platform=threads owner=<@U02BUDI>')
    by_campaign = reply_text(ask(ctx, "calendar campaign=Ramadan"))
    assert "Ramadan reel" in by_campaign
    assert "Plain tweet" not in by_campaign and "Budi thread" not in by_campaign
    assert "Showing only campaign *Ramadan*" in by_campaign
    by_platform = reply_text(ask(ctx, "calendar platform=twitter"))
    assert "Plain tweet" in by_platform and "Ramadan reel" not in by_platform
    by_owner = reply_text(ask(ctx, "calendar week owner=<@U02BUDI>"))
    assert "Budi thread" in by_owner and "Plain tweet" not in by_owner
    nothing = reply_text(ask(ctx, "calendar campaign=Ramadan platform=x"))
    assert "Nothing scheduled" in nothing


def test_bad_filters_are_refused_with_usage(ctx: ServiceContext) -> None:
    assert "no campaign *Lebaran*" in reply_text(ask(ctx, "calendar campaign=Lebaran"))
    assert "myspace" in reply_text(ask(ctx, "calendar platform=myspace"))
    assert "mention the person" in reply_text(ask(ctx, "calendar owner=budi"))
    refused = reply_text(ask(ctx, "calendar colour=red"))
    assert "`colour=` is not an option of `calendar`" in refused and "campaign=" in refused


def test_next_page_keeps_the_filters(ctx: ServiceContext) -> None:
    for hour in range(8, 20):
        for day in (25, 26):
            ask(ctx, f'schedule "2026-11-{day} {hour}:00" Post {day}-{hour} platform=x')
    ask(ctx, 'schedule "2026-11-25 07:00" Instagram only platform=instagram')
    first = ask(ctx, "calendar platform=x")
    text = reply_text(first)
    assert "Instagram only" not in text
    assert "calendar week page=2 platform=x" in text
    [value] = [
        button.value
        for block in first.blocks
        for button in getattr(block, "buttons", ())
        if button.action_id == "calendar_page"
    ]
    second = reply_text(click(ctx, AYU, calendar_listing.next_page, value))
    assert "Post 26-19" in second and "Instagram only" not in second


def test_same_text_twice_on_a_platform_within_an_hour_is_warned_not_refused(
    ctx: ServiceContext,
) -> None:
    ask(ctx, 'schedule "2026-11-25 10:00" Kopi susu is back! platform=x')
    twin = reply_text(ask(ctx, 'schedule "2026-11-25 10:45" kopi  susu is BACK! platform=x'))
    assert "Scheduled #2" in twin
    assert "same text is already planned on X within an hour: #1" in twin
    elsewhere = reply_text(ask(ctx, 'schedule "2026-11-25 10:30" Kopi susu is back! platform=ig'))
    later = reply_text(ask(ctx, 'schedule "2026-11-25 12:00" Kopi susu is back! platform=x'))
    other = reply_text(ask(ctx, 'schedule "2026-11-25 10:10" Teh tarik is back! platform=x'))
    assert all("same text" not in text for text in (elsewhere, later, other))
    id_twin = reply_text(ask(ctx, 'jadwal "2026-11-25 09:30" Kopi susu is back! platform=x', BUDI))
    assert "Terjadwal #6" in id_twin and "Teks yang sama sudah dijadwalkan di X" in id_twin


def test_snooze_then_publish_edit_the_channel_reminder_in_place(
    ctx: ServiceContext, clock: FakeClock, slack: SlackApiMock
) -> None:
    ask(ctx, "schedule 10:00 Kopi susu is back! platform=x")
    clock.now += timedelta(hours=1)
    deliver(ctx, slack)
    [posted] = [call for call in slack.calls("chat.postMessage") if "Kopi susu" in str(call.body)]
    assert action_ids(blocks_of(posted.body)) == ["item_published", "item_snooze"]
    clock.now += timedelta(minutes=5)
    click(ctx, calendar_actor("U03SARI"), calendar_actions.snooze_item, 1)
    deliver(ctx, slack)
    [snoozed] = slack.calls("chat.update")
    assert (snoozed.channel, snoozed.body["ts"]) == ("C1", sent_ts(ctx, "due"))
    blocks = blocks_of(snoozed.body)
    assert "💤 Snoozed until *11:05 WIB* by <@U03SARI>" in json.dumps(blocks, ensure_ascii=False)
    assert action_ids(blocks) == ["item_published"]  # Snooze is gone, Mark published stays
    assert "Kopi susu is back!" in json.dumps(blocks)

    published = submit(
        ctx,
        calendar_actor("U04DEWI"),
        calendar_actions.submit_publish,
        json.dumps({"item": 1, "channel": "C1"}),
        {"url": "https://x.com/kopi/status/1"},
    )
    assert published.reply is not None
    deliver(ctx, slack)
    updates = slack.calls("chat.update")
    assert len(updates) == 2 and updates[1].body["ts"] == snoozed.body["ts"]
    final = json.dumps(blocks_of(updates[1].body), ensure_ascii=False)
    assert "✅ Published by <@U04DEWI> — <https://x.com/kopi/status/1>" in final
    assert action_ids(blocks_of(updates[1].body)) == []
    deliver(ctx, slack)  # nothing more: each edit goes out once
    assert len(slack.calls("chat.update")) == 2


def sent_ts(ctx: ServiceContext, kind: str) -> str | None:
    with ctx.db.transaction() as session:
        query = select(OutboxMessage.message_ts).where(
            OutboxMessage.kind == kind, OutboxMessage.status == "sent"
        )
        return session.scalars(query.order_by(OutboxMessage.id)).first()


def calendar_actor(user_id: str) -> Actor:
    return Actor(team_id="T1", user_id=user_id, channel_id="C1", locale="en", timezone="UTC")


def test_publishing_a_missed_post_edits_its_nudge_and_reminder_in_indonesian(
    ctx: ServiceContext, clock: FakeClock, slack: SlackApiMock
) -> None:
    ask(ctx, "jadwal 10:00 Promo kopi susu platform=instagram", BUDI)
    clock.now += timedelta(hours=1)
    deliver(ctx, slack)
    clock.now += timedelta(hours=24)
    calendar_actions.mark_missed(ctx=ctx)
    deliver(ctx, slack)
    nudge = slack.calls("chat.postMessage")[-1]
    assert "terlewat" in json.dumps(blocks_of(nudge.body), ensure_ascii=False)
    assert action_ids(blocks_of(nudge.body)) == ["item_published"]
    submit(
        ctx,
        AYU,
        calendar_actions.submit_publish,
        json.dumps({"item": 1, "channel": "C1"}),
        {"url": ""},
    )
    deliver(ctx, slack)
    edited = {call.body["ts"]: blocks_of(call.body) for call in slack.calls("chat.update")}
    assert set(edited) == {sent_ts(ctx, "due"), sent_ts(ctx, "missed")}
    for blocks in edited.values():
        assert "✅ Sudah diposting oleh <@U01AYU>" in json.dumps(blocks, ensure_ascii=False)
        assert action_ids(blocks) == []
