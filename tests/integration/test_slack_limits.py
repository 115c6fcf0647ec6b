"""Every message and view at its largest realistic size fits Slack's limits.

A busy month (a post a day, thirty in one week, long names), a workspace with many custom
templates and campaigns, help for every command, the digest, App Home and campaign show: each is
rendered as the member would get it and checked against `rendering.limits` before the Block Kit
builders' last-resort clipping, so a renderer that relies on being cut fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smmbot.domain.commands import SUBCOMMANDS
from smmbot.domain.platforms import Platform
from smmbot.persistence.models import Draft
from smmbot.rendering import limits
from smmbot.rendering.calendar import ItemView, due_message, lead_reminder
from smmbot.rendering.calendar_listing import PAGE_ACTION
from smmbot.rendering.i18n import Translator
from smmbot.rendering.post_library import builtin_templates
from smmbot.rendering.reply import Actions, Reply, Section
from smmbot.services import calendar_actions
from smmbot.services.calendar_listing import next_page
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.demo import load_demo
from smmbot.services.home import home_tab
from tests.conftest import START, FakeClock
from tests.integration.conftest import add_workspaces
from tests.support.databases import copy_sqlite, opened_database, restore_sqlite, scratch_folder
from tests.support.interactions import click, member
from tests.support.replies import reply_text

# What is checked is rendering; the database adds nothing here, so SQLite only keeps it quick.
pytestmark = [
    pytest.mark.usefixtures("workspaces"),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

LONG_NAME = "Ramadan Mega Sale " + "x" * 56  # campaign names hold 80 characters; 3 more for " NN"
POST = "New menu is here! " * 40


def actor(locale: str) -> Actor:
    return Actor(
        team_id="T1", user_id="U1", channel_id="C1", locale=locale, timezone="Asia/Jakarta"
    )


def ask(ctx: ServiceContext, text: str, locale: str = "en") -> Reply:
    return run_command(ctx=ctx, actor=actor(locale), text=text, surface=Surface.SLACK)


def fits(reply: Reply, max_blocks: int = limits.MESSAGE_BLOCKS) -> None:
    assert limits.violations(reply, max_blocks=max_blocks) == [], reply_text(reply)[:500]


def schedule(ctx: ServiceContext, clock: Callable[[], datetime], days: int, hours: int = 0) -> None:
    when = (clock() + timedelta(days=days, hours=hours + 7)).strftime("%Y-%m-%d %H:%M")
    reply = ask(ctx, f'schedule "{when}" "{POST}" campaign="{LONG_NAME}" platform=instagram')
    assert "Scheduled" in reply_text(reply), reply_text(reply)


@pytest.fixture(scope="module")
def busy_month_file(sqlite_template: Path, scratch_root: Path) -> Iterator[Path]:
    """A post a day for 31 days, plus 29 more in the first week (36 in it): 60 posts, scheduled
    once for the module (61 commands) in a copy of the template, on the clock's first moment."""
    with scratch_folder(scratch_root) as folder:
        url = copy_sqlite(sqlite_template, folder)
        with opened_database(url) as database:
            ctx = ServiceContext(db=database, clock=FakeClock(START))
            add_workspaces(ctx)
            created = ask(
                ctx, f'campaign new "{LONG_NAME}" objective=smm start=2026-11-01 end=2026-12-31'
            )
            assert LONG_NAME in reply_text(created)
            for day in range(31):
                schedule(ctx, ctx.clock, day, hours=1)
            for extra in range(29):
                schedule(ctx, ctx.clock, extra % 6, hours=2 + extra // 6)
        yield Path(url.removeprefix("sqlite:///"))


@pytest.fixture
def busy_month(ctx: ServiceContext, busy_month_file: Path) -> int:
    """The busy month in the test's own database; returns how many posts it holds."""
    restore_sqlite(ctx.db, busy_month_file)
    return 60


def item_ids(reply: Reply) -> list[str]:
    return [
        button.value
        for block in reply.blocks
        if isinstance(block, Actions)
        for button in block.buttons
        if button.action_id == "item_cancel"
    ]


@pytest.mark.parametrize(("span", "expected"), [("week", 36), ("month", 60)])
@pytest.mark.parametrize("locale", ["en", "id"])
def test_the_calendar_pages_through_every_post(
    ctx: ServiceContext, busy_month: int, span: str, expected: int, locale: str
) -> None:
    seen: list[str] = []
    reply = ask(ctx, f"calendar {span}", locale)
    for _ in range(expected):
        fits(reply)
        seen += item_ids(reply)
        buttons = [
            button
            for block in reply.blocks
            if isinstance(block, Actions)
            for button in block.buttons
            if button.action_id == PAGE_ACTION
        ]
        if not buttons:
            break
        reply = click(ctx, actor(locale), next_page, buttons[0].value)
    assert len(seen) == len(set(seen)) == expected
    assert f" {expected} " in reply_text(reply)  # the page line counts all of them


def test_a_page_can_be_asked_for_by_command(ctx: ServiceContext, busy_month: int) -> None:
    first, second = ask(ctx, "calendar month"), ask(ctx, "calendar month page=2")
    assert "calendar month page=2" in reply_text(first)
    assert set(item_ids(first)).isdisjoint(item_ids(second))
    assert "There is no page 9" in reply_text(ask(ctx, "calendar month page=9"))
    assert "give a page number" in reply_text(ask(ctx, "calendar month page=two"))
    assert "what to do with `next`" in reply_text(ask(ctx, "calendar month next"))


def test_many_custom_templates_and_campaigns_fit(ctx: ServiceContext) -> None:
    description = "A weekly tip for our followers about brewing coffee at home " * 4
    for n in range(45):
        ask(
            ctx,
            f'template add tip-{n:02d} body="{{{{ product }}}} {n}" pillar=smo '
            f'description="{description[:300]}"',
        )
        ask(
            ctx,
            f'campaign new "{LONG_NAME} {n}" objective=smo start=2026-11-01 end=2026-12-31 '
            "budget=5jt target.followers=2000",
        )
    for locale in ("en", "id"):
        templates = ask(ctx, "templates", locale)
        fits(templates)
        assert "tip-44" in reply_text(templates)
        campaigns = ask(ctx, "campaign list", locale)
        fits(campaigns)
        assert f"{LONG_NAME} 44" in reply_text(campaigns)


@pytest.mark.parametrize("locale", ["en", "id"])
def test_help_and_every_topic_fit(ctx: ServiceContext, locale: str) -> None:
    fits(ask(ctx, "help", locale))
    for subcommand in SUBCOMMANDS:
        fits(ask(ctx, f"help {subcommand.name}", locale))


@pytest.mark.parametrize("locale", ["en", "id"])
def test_digest_home_and_campaign_show_of_a_busy_workspace_fit(
    ctx: ServiceContext, clock: FakeClock, busy_month: int, locale: str
) -> None:
    load_demo(ctx=ctx, actor=actor(locale))
    for n in range(12):
        ask(
            ctx,
            f'campaign new "{LONG_NAME} {n}" objective=smm start=2026-11-01 '
            "end=2026-12-31 budget=5jt target.revenue=50jt target.orders=300",
        )
    fits(ask(ctx, "digest now", locale))
    fits(ask(ctx, "insights", locale))
    fits(home_tab(member(ctx, actor(locale))), limits.VIEW_BLOCKS)
    shown = ask(ctx, f'campaign show "{LONG_NAME}"', locale)
    fits(shown)
    assert any(isinstance(block, Section) for block in shown.blocks)


@pytest.mark.parametrize("locale", ["en", "id"])
def test_long_posts_fit_in_drafts_reminders_and_template_show(
    ctx: ServiceContext, locale: str
) -> None:
    summary = "Kopi & teh, diseduh pelan-pelan. " * 150  # ~5,000 characters, a long Facebook post
    draft = ask(
        ctx,
        f'draft blog-share title="{LONG_NAME}" url=https://toko.id/blog summary="{summary}" '
        "platform=x,instagram,facebook,linkedin,threads,tiktok",
        locale,
    )
    fits(draft)
    assert "diseduh pelan-pelan" in reply_text(draft)

    body = "{{ product }} & more, " * 200  # template bodies hold 5,000 characters
    ask(ctx, f'template add long body="{body[:4990]}" pillar=smo', locale)
    fits(ask(ctx, "template show long", locale))

    view = ItemView(
        1,
        datetime(2026, 12, 1, 2, tzinfo=UTC),
        "Asia/Jakarta",
        summary * 2,
        "facebook",
        LONG_NAME,
        "U1",
        "C1",
    )
    tr = Translator(locale)
    fits(due_message(tr, view))
    fits(lead_reminder(tr, view, timedelta(hours=24)))


@pytest.mark.parametrize("locale", ["en", "id"])
def test_every_form_fits_a_modal(ctx: ServiceContext, locale: str) -> None:
    long_template = "a-" + "b" * 38  # template names hold 40 characters
    ask(ctx, f'template add {long_template} body="{{{{ product }}}}" pillar=smo', locale)
    for text in (
        f"draft {long_template}",
        "draft promo",
        "campaign new",
        f"template add {long_template}x",
        "import",
    ):
        reply = ask(ctx, text, locale)
        assert reply.form is not None, text
        fits(reply)
    ask(ctx, 'schedule "2026-11-26 10:00" A post', locale)
    tr_actor = actor(locale)
    fits(click(ctx, tr_actor, calendar_actions.reschedule_form, 1))
    fits(click(ctx, tr_actor, calendar_actions.publish_form, 1))
    ask(ctx, "draft promo product=Kopi offer=hemat url=toko.id", locale)
    fits(click(ctx, tr_actor, calendar_actions.schedule_draft_form, 1))


@pytest.mark.parametrize("locale", ["en", "id"])
def test_every_builtin_template_shown_for_every_platform_fits(
    ctx: ServiceContext, locale: str
) -> None:
    for template in builtin_templates().values():
        for platform in template.platforms:
            reply = ask(ctx, f"template show {template.name} platform={platform.value}", locale)
            fits(reply)


@pytest.mark.parametrize("locale", ["en", "id"])
def test_a_draft_scheduled_on_every_platform_and_its_deletion_fit(
    ctx: ServiceContext, locale: str
) -> None:
    every = ",".join(platform.value for platform in Platform)
    ask(ctx, f'draft milestone-thanks brand="{LONG_NAME}" milestone="10K" platform={every}', locale)
    with ctx.db.transaction() as session:
        draft_id = session.query(Draft.id).scalar()
    scheduled = ask(ctx, f"schedule tomorrow 10:00 draft={draft_id}", locale)
    fits(scheduled)
    assert reply_text(scheduled).count("item_cancel") == len(Platform)
    fits(ask(ctx, "drafts", locale))
    fits(ask(ctx, f"draft delete {draft_id}", locale))


@pytest.mark.parametrize("locale", ["en", "id"])
def test_repeating_posts_and_a_month_of_occurrences_fit(ctx: ServiceContext, locale: str) -> None:
    """Two daily series with long text and campaign (56 occurrences in the window), each line
    with its series line and a third button."""
    ask(ctx, f'campaign new "{LONG_NAME}" objective=smm start=2026-11-01 end=2027-12-31')
    every_day = '"every monday, tuesday, wednesday, thursday, friday, saturday and sunday 9am"'
    created = ask(ctx, f'schedule {every_day} {POST} campaign="{LONG_NAME}" platform=x', locale)
    fits(created)
    assert "series_cancel" in reply_text(created)
    ask(ctx, f'schedule "every day 19:00" {POST} campaign="{LONG_NAME}" until=31/12/2026', locale)
    reply, seen = ask(ctx, "calendar month", locale), 0
    while True:
        fits(reply)
        seen += len(item_ids(reply))
        buttons = [
            button
            for block in reply.blocks
            if isinstance(block, Actions)
            for button in block.buttons
            if button.action_id == PAGE_ACTION
        ]
        if not buttons:
            break
        reply = click(ctx, actor(locale), next_page, buttons[0].value)
    assert seen == 56  # the 28-day window of both series
