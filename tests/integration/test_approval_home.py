"""The approvers' App Home through the services and the outbox, on both databases: a review
request and a decision queue a publish without rendering it, publishes still waiting for a
member are shared by the changes queued meanwhile, each is rendered when sent from the state
then, and one already being sent never swallows a later change."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from smmbot.domain.outbox import HOME_KIND
from smmbot.persistence.models import CalendarItem, OutboxMessage
from smmbot.persistence.outbox_queue import OutboxQueue
from smmbot.rendering.approval import APPROVE_ACTION
from smmbot.rendering.reply import Actions, reply_from_data
from smmbot.services import approval_decisions
from smmbot.services.approval_home import queue_home_refresh
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.outbox import deliver_due
from tests.integration.test_outbox import FAST, LEASE, FakeSender
from tests.support.interactions import click, submit

pytestmark = pytest.mark.usefixtures("workspaces")

ADMIN = Actor("T1", "U0ADMIN", "C1", "en", "Asia/Jakarta", is_admin=True)
AYU = Actor("T1", "U0AYU", "C1", "en", "Asia/Jakarta", is_approver=True)
DEWI = Actor("T1", "U0DEWI", "C1", "en", "Asia/Jakarta", is_approver=True)
BUDI = Actor("T1", "U0BUDI", "C1", "id", "Asia/Jakarta")


def held_posts(ctx: ServiceContext, *texts: str) -> list[int]:
    """Approval on with Ayu and Dewi approving, and Budi's posts held for them."""
    run_command(
        ctx=ctx,
        actor=ADMIN,
        text="settings approval on approvers=<@U0AYU>,<@U0DEWI>",
        surface=Surface.SLACK,
    )
    for text in texts:
        run_command(ctx=ctx, actor=BUDI, text=f'jadwal "besok jam 9" {text}', surface=Surface.SLACK)
    with ctx.db.transaction() as session:
        return sorted(session.scalars(select(CalendarItem.id)))[-len(texts) :]


def homes_by_status(ctx: ServiceContext) -> Counter[tuple[str, str]]:
    with ctx.db.transaction() as session:
        rows = session.execute(
            select(OutboxMessage.channel_id, OutboxMessage.status).where(
                OutboxMessage.kind == HOME_KIND
            )
        )
        return Counter((channel, status) for channel, status in rows)


def published(sender: FakeSender) -> dict[str, list[set[str]]]:
    """Per member, each published Home's queue: the items it offers to approve."""
    homes: dict[str, list[set[str]]] = {}
    for channel, payload in sender.sent:
        if payload.get("home") is True:
            blocks = reply_from_data(payload["reply"]).blocks
            queue = {
                button.value
                for block in blocks
                if isinstance(block, Actions)
                for button in block.buttons
                if button.action_id == APPROVE_ACTION
            }
            homes.setdefault(channel, []).append(queue)
    return homes


def test_requests_and_decisions_queue_one_home_per_approver_rendered_when_sent(
    ctx: ServiceContext,
) -> None:
    first, second = held_posts(ctx, "Promo kopi", "Es kopi susu")
    waiting = {(user, "pending"): 1 for user in (AYU.user_id, DEWI.user_id)}
    assert homes_by_status(ctx) == waiting  # two requests, one Home each to publish
    sender = FakeSender()
    deliver_due(ctx=ctx, sender=sender, worker_id="w1", options=FAST)
    both = {str(first), str(second)}
    assert published(sender) == {AYU.user_id: [both], DEWI.user_id: [both]}

    click(ctx, AYU, approval_decisions.approve, first)
    metadata = f'{{"item": {second}, "channel": "C1"}}'
    submit(ctx, DEWI, approval_decisions.reject, metadata, {"note": "Off brand"})
    sent_before = {(user, "sent"): 1 for user in (AYU.user_id, DEWI.user_id)}
    assert homes_by_status(ctx) == Counter(sent_before) + Counter(waiting)
    deliver_due(ctx=ctx, sender=sender, worker_id="w1", options=FAST)
    assert published(sender) == {AYU.user_id: [both, set()], DEWI.user_id: [both, set()]}


def test_a_home_already_being_sent_leaves_the_next_change_its_own_publish(
    ctx: ServiceContext,
) -> None:
    [item] = held_posts(ctx, "Promo kopi")
    with ctx.db.transaction() as session:
        claimed = OutboxQueue(session.connection()).claim_due(
            ctx.clock(), worker_id="w1", limit=10, lease=LEASE, per_channel=2
        )
    assert {row.kind for row in claimed} >= {HOME_KIND}
    click(ctx, AYU, approval_decisions.approve, item)  # those may be rendered already
    homes = homes_by_status(ctx)
    assert homes[(AYU.user_id, "sending")] == homes[(AYU.user_id, "pending")] == 1
    assert homes[(DEWI.user_id, "sending")] == homes[(DEWI.user_id, "pending")] == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_waiting_home_is_locked_until_the_change_it_covers_commits(ctx: ServiceContext) -> None:
    """Otherwise a sweep could claim and render it between this transaction's change and its
    commit, and publish the queue without the change. PostgreSQL's claim skips the locked row
    (SQLite's writers take turns, so no sweep writes meanwhile there)."""
    held_posts(ctx, "Promo kopi")
    with ctx.db.transaction() as session:
        queue_home_refresh(session, "T1", also=(ADMIN.user_id,), tag="test", now=ctx.clock())
        with ctx.db.transaction() as sweep:
            during = OutboxQueue(sweep.connection()).claim_due(
                ctx.clock(), worker_id="w1", limit=10, lease=LEASE, per_channel=2
            )
    with ctx.db.transaction() as sweep:
        after = OutboxQueue(sweep.connection()).claim_due(
            ctx.clock(), worker_id="w1", limit=10, lease=LEASE, per_channel=2
        )
    assert {row.kind for row in during} == {"review"}
    assert sorted(row.channel_id for row in after if row.kind == HOME_KIND) == [
        ADMIN.user_id,
        AYU.user_id,
        DEWI.user_id,
    ]
