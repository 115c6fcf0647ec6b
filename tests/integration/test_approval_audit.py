"""Approval meets the audit log and repeating posts: every step of a held post's life is one
history line (who, and what they said), `/smm history` tells both lives in the issue's story,
and a member's series is reviewed once, through its first post."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from smmbot.persistence.models import AuditEvent, CalendarItem
from smmbot.services import approval_decisions, approval_edit
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.recurring_plan import extend_series
from tests.support.interactions import click, submit
from tests.support.replies import reply_text

pytestmark = [
    pytest.mark.usefixtures("workspaces"),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

ADMIN = Actor("T1", "U0ADMIN", "C1", "en", "Asia/Jakarta", is_admin=True)
AYU = Actor("T1", "U0AYU", "C1", "en", "Asia/Jakarta", is_approver=True)
BUDI = Actor("T1", "U0BUDI", "C1", "id", "Asia/Jakarta")


def ask(ctx: ServiceContext, actor: Actor, text: str) -> str:
    return reply_text(run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK))


def newest_item(ctx: ServiceContext) -> int:
    with ctx.db.transaction() as session:
        found = session.scalars(select(CalendarItem.id).order_by(CalendarItem.id.desc())).first()
        assert found is not None
        return found


def life(ctx: ServiceContext, item_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    with ctx.db.transaction() as session:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_kind == "item", AuditEvent.subject_key == str(item_id))
            .order_by(AuditEvent.id)
        )
        return [(row.actor_id, row.action, dict(row.detail or {})) for row in rows]


def test_both_lives_are_recorded_and_history_tells_them(ctx: ServiceContext) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU> channel=<#C9|approvals>")
    ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi')
    first = newest_item(ctx)
    click(ctx, AYU, approval_decisions.approve, first)
    ask(ctx, BUDI, 'jadwal "besok jam 11" Promo teh')
    second = newest_item(ctx)
    metadata = f'{{"item": {second}, "channel": "C1"}}'
    submit(ctx, AYU, approval_decisions.request_changes, metadata, {"note": "Add the price"})
    submit(ctx, BUDI, approval_edit.resubmit, metadata, {"text": "Teh Rp15rb", "when": ""})
    click(ctx, AYU, approval_decisions.approve, second)

    assert [(who, what) for who, what, _ in life(ctx, first)] == [
        ("U0BUDI", "item.submitted"),
        ("U0AYU", "item.approved"),
    ]
    second_life = life(ctx, second)
    assert [(who, what) for who, what, _ in second_life] == [
        ("U0BUDI", "item.submitted"),
        ("U0AYU", "item.changes_requested"),
        ("U0BUDI", "item.resubmitted"),
        ("U0AYU", "item.approved"),
    ]
    assert second_life[1][2] == {"comment": "Add the price"}
    story = ask(ctx, AYU, f"history {second}")
    assert "sent it for review" in story and "Add the price" in story
    assert "edited it and sent it for review again" in story and "approved it" in story
    assert "menyetujuinya" in ask(ctx, BUDI, f"riwayat {first}")


def test_a_rejection_keeps_its_reason_and_approval_settings_are_recorded(
    ctx: ServiceContext,
) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi')
    item = newest_item(ctx)
    metadata = f'{{"item": {item}, "channel": "C1"}}'
    submit(ctx, AYU, approval_decisions.reject, metadata, {"note": "Off brand"})
    ask(ctx, ADMIN, "settings approval off")
    assert life(ctx, item)[-1] == ("U0AYU", "item.rejected", {"reason": "Off brand"})
    with ctx.db.transaction() as session:
        settings = session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_key == "approval")
        ).all()
    assert settings == ["approval.turned_on", "approval.turned_off"]


def series_items(ctx: ServiceContext) -> list[tuple[str, str]]:
    with ctx.db.transaction() as session:
        rows = session.execute(
            select(CalendarItem.status, CalendarItem.text)
            .where(CalendarItem.series_id.is_not(None))
            .order_by(CalendarItem.due_at)
        )
        return [(status, text) for status, text in rows]


def test_a_series_is_reviewed_once_through_its_first_post(ctx: ServiceContext) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    held = ask(ctx, BUDI, 'jadwal "setiap senin jam 9" Promo kopi kali=3')
    assert series_items(ctx) == [("in_review", "Promo kopi")], held
    first = newest_item(ctx)
    metadata = f'{{"item": {first}, "channel": "C1"}}'
    submit(ctx, AYU, approval_decisions.request_changes, metadata, {"note": "Add the price"})
    assert series_items(ctx) == [("changes_requested", "Promo kopi")]
    submit(ctx, BUDI, approval_edit.resubmit, metadata, {"text": "Kopi Rp15rb", "when": ""})
    click(ctx, AYU, approval_decisions.approve, first)
    assert series_items(ctx) == [("scheduled", "Kopi Rp15rb")] * 3


def test_a_rejected_series_makes_no_more_posts(ctx: ServiceContext) -> None:
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    ask(ctx, BUDI, 'jadwal "tiap hari jam 7 malam" Promo teh')
    first = newest_item(ctx)
    metadata = f'{{"item": {first}, "channel": "C1"}}'
    submit(ctx, AYU, approval_decisions.reject, metadata, {"note": ""})
    assert extend_series(ctx=ctx) == 0
    assert series_items(ctx) == [("rejected", "Promo teh")]
