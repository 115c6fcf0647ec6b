"""Posts held for review in `/smm calendar`: listed by week and month, with the calendar's
filters, marked in review or sent back for changes in the reader's language, and without the
buttons that only a scheduled post can use; a rejected post is not listed."""

from __future__ import annotations

import pytest

from smmbot.rendering.reply import Actions, Reply
from smmbot.services import approval_decisions
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.integration.test_approval import ADMIN, AYU, BUDI, ask, last_item
from tests.support.interactions import submit
from tests.support.replies import reply_text

pytestmark = [
    pytest.mark.usefixtures("workspaces"),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


def calendar(ctx: ServiceContext, actor: Actor, text: str) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def button_values(reply: Reply) -> set[str]:
    return {b.value for block in reply.blocks if isinstance(block, Actions) for b in block.buttons}


def held_posts(ctx: ServiceContext) -> tuple[int, int, int, int]:
    """An approver's own scheduled post, then a member's post in review, one sent back for
    changes and one rejected."""
    ask(ctx, ADMIN, "settings approval on approvers=<@U0AYU>")
    ask(ctx, AYU, 'schedule "tomorrow 8am" Approver own post platform=x')
    scheduled = last_item(ctx)
    assert scheduled.status == "scheduled"
    ask(ctx, BUDI, 'jadwal "besok jam 9" Promo kopi platform=instagram')
    in_review = last_item(ctx).id
    ask(ctx, BUDI, 'jadwal "besok jam 10" Es teh manis platform=x')
    changes = last_item(ctx).id
    submit(
        ctx, AYU, approval_decisions.request_changes, f'{{"item": {changes}}}', {"note": "Harga"}
    )
    ask(ctx, BUDI, 'jadwal "besok jam 11" Dibuang saja platform=x')
    rejected = last_item(ctx).id
    submit(ctx, AYU, approval_decisions.reject, f'{{"item": {rejected}}}', {"note": ""})
    return scheduled.id, in_review, changes, rejected


def test_week_and_month_mark_held_posts_in_both_languages(ctx: ServiceContext) -> None:
    scheduled, in_review, changes, _rejected = held_posts(ctx)
    week = calendar(ctx, AYU, "calendar")
    text = reply_text(week)
    assert "Approver own post" in text and "Promo kopi" in text and "Es teh manis" in text
    assert ":hourglass: _in review_" in text and ":pencil2: _changes requested_" in text
    assert "Dibuang saja" not in text
    assert str(scheduled) in button_values(week)
    assert not {str(in_review), str(changes)} & button_values(week)

    month = reply_text(calendar(ctx, BUDI, "kalender bulan"))
    assert "_menunggu tinjauan_" in month and "_diminta perubahan_" in month
    assert "Dibuang saja" not in month


def test_filters_apply_to_held_posts(ctx: ServiceContext) -> None:
    held_posts(ctx)
    on_x = reply_text(calendar(ctx, AYU, "calendar month platform=x"))
    assert "Es teh manis" in on_x and "_changes requested_" in on_x
    assert "Promo kopi" not in on_x and "Dibuang saja" not in on_x
    budis = reply_text(calendar(ctx, AYU, "calendar owner=<@U0BUDI>"))
    assert "Promo kopi" in budis and "Es teh manis" in budis
    assert "Approver own post" not in budis
