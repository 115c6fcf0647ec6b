"""The approval messages at their largest fit Slack's limits: a long post's review request,
its decided form and the author's notice, the queue of sixty waiting posts, and an approver's
App Home with its queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smmbot.domain.approval import Decision
from smmbot.rendering import approval as replies
from smmbot.rendering import limits
from smmbot.rendering.calendar import ItemView
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Actions, Reply
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.home import home_tab
from tests.conftest import START
from tests.support.interactions import member
from tests.support.replies import reply_text

pytestmark = [
    pytest.mark.usefixtures("workspaces"),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

ADMIN = Actor("T1", "U0ADMIN", "C1", "en", "Asia/Jakarta", is_admin=True)
LONG = "Kopi susu gula aren <b>&</b> #promo " * 180
NOTE = "Tambahkan harga & <link> " * 120


def fits(reply: Reply, max_blocks: int = limits.MESSAGE_BLOCKS) -> None:
    assert limits.violations(reply, max_blocks=max_blocks) == [], reply_text(reply)[:500]


@pytest.mark.parametrize("locale", ["en", "id"])
def test_review_messages_fit(locale: str) -> None:
    tr = Translator(locale)
    item = ItemView(1, START, "Asia/Jakarta", LONG, "facebook", "Ramadan " * 10, "U1", "C1")
    fits(replies.review_request(tr, item, "U1"))
    for decision in Decision:
        fits(replies.decided_request(tr, item, "U1", decision, "U2", NOTE))
        fits(replies.author_notice(tr, item, decision, "U2", NOTE))
    assert "&lt;b&gt;" in reply_text(replies.review_request(tr, item, "U1"))
    waiting = [replies.Waiting(item, "U1", "in_review", START) for _ in range(60)]
    fits(replies.queue(tr, waiting, START + timedelta(days=2)))


@pytest.mark.parametrize("locale", ["en", "id"])
def test_an_approvers_home_shows_the_queue_and_fits(ctx: ServiceContext, locale: str) -> None:
    admin = Actor("T1", "U0ADMIN", "C1", locale, "Asia/Jakarta", is_admin=True)
    run_command(
        ctx=ctx, actor=ADMIN, text="settings approval on approvers=<@U0AYU>", surface=Surface.SLACK
    )
    budi = Actor("T1", "U0BUDI", "C1", "id", "Asia/Jakarta")
    for n in range(30):
        run_command(
            ctx=ctx,
            actor=budi,
            text=f'jadwal "besok jam 9" {LONG[:2000]} {n}',
            surface=Surface.SLACK,
        )
    home = home_tab(member(ctx, admin))
    fits(home, limits.VIEW_BLOCKS)
    buttons = [b for block in home.blocks if isinstance(block, Actions) for b in block.buttons]
    assert {b.action_id for b in buttons} >= {replies.APPROVE_ACTION, replies.REJECT_ACTION}
    plain = home_tab(member(ctx, budi))
    assert not any(isinstance(block, Actions) for block in plain.blocks)
