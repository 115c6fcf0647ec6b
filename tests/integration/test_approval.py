"""Approval through the services on both databases: who may turn it on and decide, whose posts
are held, the queues, two approvers deciding at the same moment, an author's edit, and the
admin flag read again from Slack within minutes."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from smmbot.persistence.models import CalendarItem, Draft, OutboxMessage
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services import approval_decisions, approval_edit, calendar_actions
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, GroupLookup, ServiceContext, Surface
from smmbot.services.identity import MemberProfile, identify_actor
from tests.conftest import FakeClock
from tests.support.interactions import click, submit
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
"""For what the database adds nothing to; deciding at once and editing run on PostgreSQL too."""

ADMIN = Actor("T1", "U0ADMIN", "C1", "en", "Asia/Jakarta", is_admin=True)
AYU = Actor("T1", "U0AYU", "C1", "en", "Asia/Jakarta", is_approver=True)
DEWI = Actor("T1", "U0DEWI", "C1", "en", "Asia/Jakarta", is_approver=True)
BUDI = Actor("T1", "U0BUDI", "C1", "id", "Asia/Jakarta")
STRANGER = Actor("T2", "U0AYU", "C9", "en", "Asia/Jakarta", is_approver=True)


def ask(
    ctx: ServiceContext, actor: Actor, text: str, lookup_group: GroupLookup | None = None
) -> str:
    reply = run_command(
        ctx=ctx, actor=actor, text=text, surface=Surface.SLACK, lookup_group=lookup_group
    )
    return reply_text(reply)


def last_item(ctx: ServiceContext) -> CalendarItem:
    with ctx.db.transaction() as session:
        item = session.scalars(select(CalendarItem).order_by(CalendarItem.id.desc())).first()
        assert item is not None
        session.expunge(item)
        return item


def kinds(ctx: ServiceContext, item_id: int) -> list[str]:
    with ctx.db.transaction() as session:
        query = select(OutboxMessage.kind).where(OutboxMessage.calendar_item_id == item_id)
        return sorted(session.scalars(query))


@SQLITE_ONLY
def test_only_admins_change_approval_and_the_refusal_names_them(ctx: ServiceContext) -> None:
    refused = ask(ctx, BUDI, "pengaturan persetujuan on penyetuju=<@U0AYU>")
    assert "admin dan pemilik workspace" in refused
    assert "Approval is on" in ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    assert "Approval is off" in ask(ctx, ADMIN, "settings approval off")
    item = ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi')
    assert "Terjadwal" in item and kinds(ctx, last_item(ctx).id).count("due") == 1


@SQLITE_ONLY
def test_review_is_for_approvers_only(ctx: ServiceContext) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    assert "penyetuju dan admin workspace" in ask(ctx, BUDI, "tinjau")
    ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi')
    queue = ask(ctx, AYU, "review")
    assert "Waiting for review (1)" in queue and "Promo kopi" in queue
    assert "Menunggu tinjauan (1)" in ask(ctx, BUDI, "daftar-draf tinjau")


@SQLITE_ONLY
def test_an_approvers_own_post_follows_self_approve(ctx: ServiceContext) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    ask(ctx, AYU, 'schedule "tomorrow 9am" Mine')
    assert last_item(ctx).status == "scheduled"
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>,<@U0DEWI>")
    ask(ctx, AYU, 'schedule "tomorrow 9am" Mine again')
    held = last_item(ctx)
    assert held.status == "in_review" and "due" not in kinds(ctx, held.id)
    ask(ctx, ADMIN, "settings approval on self_approve=on")
    ask(ctx, AYU, 'schedule "tomorrow 10am" Third')
    assert last_item(ctx).status == "scheduled"


@SQLITE_ONLY
def test_user_group_approvers_are_resolved(ctx: ServiceContext) -> None:
    groups = {"S0DESIGN": ["U0AYU", "U0DEWI"]}
    answer = ask(
        ctx,
        ADMIN,
        "settings approval on approvers=<!subteam^S0DESIGN|design>",
        lookup_group=lambda group: groups[group],
    )
    assert "<@U0AYU>, <@U0DEWI>" in answer
    empty = ask(
        ctx, ADMIN, "settings approval on approvers=<!subteam^S0NONE>", lookup_group=lambda g: []
    )
    assert "has no members" in empty
    assert "could not read" in ask(ctx, ADMIN, "settings approval on approvers=<!subteam^S1>")


def test_two_approvers_at_once_one_wins(ctx: ServiceContext) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>,<@U0DEWI>")
    ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi')
    item_id = last_item(ctx).id
    answers: list[Reply] = []
    start = threading.Barrier(2)

    def decide(actor: Actor) -> None:
        start.wait()
        answers.append(click(ctx, actor, approval_decisions.approve, item_id))

    threads = [threading.Thread(target=decide, args=(a,)) for a in (AYU, DEWI)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = sorted(reply_text(answer) for answer in answers)
    assert sum("Approved #" in text for text in texts) == 1
    assert sum("already decided" in text for text in texts) == 1
    assert kinds(ctx, item_id).count("due") == 1


@SQLITE_ONLY
def test_replay_from_another_workspace_and_non_approver_change_nothing(
    ctx: ServiceContext,
) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi')
    item_id = last_item(ctx).id
    with pytest.raises(Refusal, match="Hanya penyetuju"):
        click(ctx, BUDI, approval_decisions.approve, item_id)
    with pytest.raises(Refusal, match="Only approvers"):
        click(ctx, STRANGER, approval_decisions.approve, item_id)
    assert last_item(ctx).status == "in_review"
    assert "due" not in kinds(ctx, item_id)


def test_edit_resubmits_and_a_passed_time_asks_for_a_new_one(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi')
    item = last_item(ctx)
    metadata = f'{{"item": {item.id}, "channel": "C1"}}'
    submit(ctx, AYU, approval_decisions.request_changes, metadata, {"note": "Add the price"})
    assert "Ubah konten" in str(click(ctx, BUDI, approval_edit.edit_form, item.id).form)
    with pytest.raises(Refusal, match="author"):
        click(ctx, DEWI, approval_edit.edit_form, item.id)
    clock.now = item.due_at + timedelta(hours=1)
    late = submit(ctx, BUDI, approval_edit.resubmit, metadata, {"text": "Promo Rp20rb", "when": ""})
    assert "sudah lewat" in late.errors["when"] and last_item(ctx).status == "changes_requested"
    done = submit(
        ctx,
        BUDI,
        approval_edit.resubmit,
        metadata,
        {"text": "Promo Rp20rb", "when": "besok jam 10"},
    )
    assert done.errors == {} and done.reply is not None
    assert "kembali ditinjau" in reply_text(done.reply)
    again = last_item(ctx)
    assert (again.status, again.text) == ("in_review", "Promo Rp20rb")
    assert kinds(ctx, item.id).count("review") == 2


@SQLITE_ONLY
def test_the_admin_flag_is_read_again_within_minutes(ctx: ServiceContext, clock: FakeClock) -> None:
    said = {"admin": True}

    def lookup(_user: str) -> MemberProfile:
        return MemberProfile(timezone="Asia/Jakarta", locale="en-US", is_admin=said["admin"])

    def actor() -> Actor:
        return identify_actor(
            ctx=ctx, team_id="T1", user_id="U0ADMIN", channel_id="C1", lookup_profile=lookup
        )

    assert actor().is_admin
    said["admin"] = False
    clock.now += timedelta(minutes=2)
    assert actor().is_admin  # still cached
    clock.now += timedelta(minutes=4)
    assert not actor().is_admin


@SQLITE_ONLY
def test_a_draft_scheduled_from_its_form_is_held_per_version(ctx: ServiceContext) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    ask(ctx, ADMIN, 'template add hello body="Selamat Jumat ☕" pillar=smo')
    ask(ctx, BUDI, "draf hello platform=x,linkedin")
    with ctx.db.transaction() as session:
        draft_id = max(session.scalars(select(Draft.id)))
    metadata = f'{{"draft": {draft_id}, "channel": "C1"}}'
    values = {"when": "besok jam 9", "platform": "x,linkedin"}
    outcome = submit(ctx, BUDI, calendar_actions.submit_schedule_draft, metadata, values)
    assert outcome.reply is not None and "menunggu tinjauan" in reply_text(outcome.reply)
    with ctx.db.transaction() as session:
        held = session.scalars(select(CalendarItem).where(CalendarItem.draft_id == draft_id)).all()
        assert [item.status for item in held] == ["in_review", "in_review"]
        assert all("due" not in kinds(ctx, item.id) for item in held)
        assert all(kinds(ctx, item.id) == ["review"] for item in held)
