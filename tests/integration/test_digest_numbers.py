"""The digest's numbers as a new team meets them (issue 10, items 3 and 15-18), typed as
commands on SQLite and PostgreSQL.

The fake clock stands at Tuesday 24 November 2026, 09:00 WIB: this week is 23-29 November (two
days so far), last week 16-22 November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from smmbot.persistence.models import Workspace
from smmbot.rendering.chart import WeekPoint
from smmbot.rendering.reply import Reply, Section
from smmbot.services import digest as digest_service
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.digest import build_digest
from smmbot.services.home import home_tab
from tests.conftest import FakeClock
from tests.support.interactions import member
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

AYU = Actor(team_id="T1", user_id="U01AYU", channel_id="C1", locale="en", timezone="Asia/Jakarta")
BUDI = Actor(team_id="T1", user_id="U02BUDI", channel_id="C1", locale="id", timezone="Asia/Jakarta")


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def logged(ctx: ServiceContext, *commands: str) -> None:
    for command in commands:
        assert "Logged" in reply_text(ask(ctx, command)), command


def pillar(reply: Reply, title: str) -> str:
    [text] = [b.mrkdwn for b in reply.blocks if isinstance(b, Section) and title in b.mrkdwn]
    return str(text)


@pytest.fixture(autouse=True)
def no_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart is not what these tests check; drawing it would only slow them down."""
    monkeypatch.setattr(digest_service, "weekly_chart_png", lambda *_args: b"png")


def test_an_account_wide_reading_is_never_added_to_the_platforms(ctx: ServiceContext) -> None:
    reply = ask(
        ctx,
        'campaign new "Grow" objective=smo start=2026-11-20 end=2026-12-20 '
        "target.followers=1800 target.orders=40",
    )
    assert "Grow" in reply_text(reply)
    logged(
        ctx,
        "log followers 1200 platform=instagram",
        "log followers 441 platform=tiktok",
        "log followers 1800",  # the whole account, as the team counts it
        "log orders 30 campaign=Grow platform=instagram",
        "log orders 6 campaign=Grow platform=tiktok",
        "log orders 35 campaign=Grow",  # the campaign's own count across platforms
        "log revenue 2000000 platform=instagram",
        "log revenue 3000000",
    )
    text = "\n".join(b.mrkdwn for b in ask(ctx, "digest now").blocks if isinstance(b, Section))
    assert "Followers: *1,800*" in text  # not 3,441
    assert "Orders: *35*" in text  # not 71
    assert "Revenue: *Rp3,000,000*" in text  # not 5,000,000
    assert "Grow · Followers: 1,800 of 1,800\n`▓▓▓▓▓▓▓▓▓▓` 100%" in text  # not 191%
    assert "Grow · Orders: 35 of 40" in text
    home = reply_text(home_tab(member(ctx, AYU)))
    assert "Followers: *1,800*" in home and "Revenue: *Rp3,000,000*" in home


def test_platforms_add_up_on_days_without_an_account_wide_reading(ctx: ServiceContext) -> None:
    logged(
        ctx,
        "log reach 1000 date=2026-11-23",  # Monday: account-wide only
        "log reach 400 date=2026-11-24 platform=instagram",  # Tuesday: platforms only
        "log reach 100 date=2026-11-24 platform=tiktok",
        "log followers 1800 date=2026-11-23",  # an older account-wide level...
        "log followers 1200 date=2026-11-24 platform=instagram",  # ...then platforms today
        "log followers 500 date=2026-11-24 platform=tiktok",
    )
    smo = pillar(ask(ctx, "digest now"), "SMO")
    assert "Reach: *1,500*" in smo  # 1000 on Monday + (400 + 100) on Tuesday
    assert "Followers: *1,700*" in smo  # today's platforms, not 1,800 + 1,700


def test_the_chart_takes_the_account_wide_figure_of_a_day(
    ctx: ServiceContext, drawn_charts: list[list[WeekPoint]]
) -> None:
    logged(
        ctx,
        "log social_sessions 70 platform=instagram",
        "log social_sessions 100",
        "log social_sessions 30 date=2026-11-23 platform=instagram",
        "log social_sessions 5 date=2026-11-23 platform=tiktok",
        "log social_sessions 1 date=2026-11-16",  # a second week, so the chart is drawn
    )
    ask(ctx, "digest now")
    assert drawn_charts[-1][-1].social_sessions == 100 + 35


def test_followers_compare_with_the_same_weekday_of_last_week(ctx: ServiceContext) -> None:
    logged(
        ctx,
        "log followers 1000 date=2026-11-17",  # last Tuesday
        "log followers 1400 date=2026-11-22",  # last Sunday: the end of last week
        "log followers 1460",  # this Tuesday
        "log reach 500 date=2026-11-17",
        "log reach 550",
    )
    smo = pillar(ask(ctx, "digest now"), "SMO")
    assert "Followers: *1,460* (+460) ↑ 46%" in smo  # against 1,000, not 1,400 (↑ 4.3%)
    assert "Best mover: Followers ↑ 46%" in smo


def test_a_ratio_whose_numerator_was_never_logged_is_unknown(ctx: ServiceContext) -> None:
    logged(
        ctx,
        "log ad_clicks 50 date=2026-11-17",
        "log ad_impressions 5000 date=2026-11-17",
        "log ad_impressions 5000",  # clicks not logged yet this week
        "log reach 900",
        "log shares 0 date=2026-11-23",  # logged as zero: a real 0%
    )
    text = reply_text(ask(ctx, "digest now"))
    assert "Ad clicks: *—*" in text
    assert "CTR: *—*" in text  # not "0% ↓ 100%"
    assert "CPC: *—*" in text  # nothing to divide by
    assert "Share rate: *0%*" in text


def test_which_way_is_good(ctx: ServiceContext) -> None:
    logged(
        ctx,
        "log ad_spend 1000000 date=2026-11-17",
        "log ad_clicks 100 date=2026-11-17",
        "log ad_spend 885000",  # spend down 11.5%: neither good nor bad
        "log ad_clicks 150",  # clicks up 50%: CPC down 41%
    )
    smm = pillar(ask(ctx, "digest now"), "SMM")
    assert "Ad spend: *Rp885,000* ↓ 11.5%" in smm  # shown with its change
    assert "CPC: *Rp5,900* ↓ 41%" in smm
    assert "Best mover: Ad clicks ↑ 50%" in smm
    assert "Worst mover" not in smm  # not "Ad spend ↓ 11.5%", not CPC
    logged(ctx, "log ad_clicks 60")  # now CPC rises 47.5%: a setback
    smm = pillar(ask(ctx, "digest now"), "SMM")
    assert "Worst mover: CPC ↑ 47.5%" in smm


def test_digest_last_shows_the_finished_week(ctx: ServiceContext) -> None:
    logged(
        ctx,
        "log followers 900 date=2026-11-15",  # Sunday of the week before last
        "log followers 1000 date=2026-11-17",
        "log followers 1200 date=2026-11-22",  # last Sunday
        "log reach 100 date=2026-11-09",
        "log reach 300 date=2026-11-15",
        "log reach 600 date=2026-11-16",
        "log reach 200 date=2026-11-22",
        "log reach 5000",  # this week: not in last week's digest
    )
    for command in ("digest last", "digest week=2026-11-18", "digest week=22/11/2026"):
        reply = ask(ctx, command)
        assert reply.public, command
        assert "16 Nov 2026 \u2013 22 Nov 2026" in reply_text(reply), command
        smo = pillar(reply, "SMO")
        assert "Followers: *1,200* (+300) ↑ 33.3%" in smo, command  # Sunday against Sunday
        assert "Reach: *800* ↑ 100%" in smo, command  # the whole week against 9-15 Nov
    indonesian = reply_text(ask(ctx, "ringkasan lalu", BUDI))
    assert "16 Nov 2026 \u2013 22 Nov 2026" in indonesian and "Pengikut: *1.200*" in indonesian


def test_a_date_later_this_week_is_this_week_so_far(ctx: ServiceContext) -> None:
    logged(ctx, "log reach 5000")
    text = reply_text(ask(ctx, "digest week=2026-11-29"))
    assert "23 Nov 2026 \u2013 29 Nov 2026" in text and "Reach: *5,000*" in text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("digest week=2026-11-30", "week that has not started yet"),
        ("digest week=2026-13-01", "`week=2026-13-01`: write any date of the week"),
        ("digest week=soon", "`week=soon`: write any date"),
        ("digest week=1999-12-31", "`week=1999-12-31`: write any date"),
        ("digest week", "`week=`: write any date"),
        ("digest now week=2026-11-16", "`week=` is not an option of `digest now`, which"),
        ("digest last colour=red", "`colour=` is not an option of `digest last`"),
        ("digest colour=red", "`colour=` is not an option of `digest` (its options: `week=`)"),
        ("digest week=2026-11-16 days=3", "`days=` is not an option of `digest` (its options"),
        ("digest on channel=#x", "`channel=` is not an option of `digest on`"),
        ("digest yesterday", "`yesterday` is not something `digest` does: `now`, `last`"),
    ],
)
def test_unknown_options_and_bad_weeks_are_refused(
    ctx: ServiceContext, command: str, expected: str
) -> None:
    reply = ask(ctx, command)
    assert not reply.public
    text = reply_text(reply)
    assert expected in text
    assert "/smm digest [week=YYYY-MM-DD]" in text  # the right usage
    assert "/smm digest settings [day=…] [time=HH:MM] [channel=#…]" in text


def test_a_bad_settings_option_saves_nothing(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "digest settings day=friday tme=10:00"))
    assert "`tme=` is not an option of `digest settings`" in text and "Nothing was saved" in text
    with ctx.db.transaction() as session:
        workspace = session.get(Workspace, "T1")
        assert workspace is not None and workspace.digest_weekday == 0


def test_refusals_in_indonesian(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "ringkasan minggu=30/11/2026", BUDI))
    assert "minggu yang belum dimulai" in text
    text = reply_text(ask(ctx, "ringkasan lalu warna=merah", BUDI))
    assert "`warna=` bukan opsi untuk `ringkasan lalu`" in text


def test_a_week_in_a_zone_with_summer_time(ctx: ServiceContext, clock: FakeClock) -> None:
    """New York leaves summer time on Sunday 1 November 2026: 23:30 that Sunday is still the
    week of 26 October, and the Sunday's followers are that week's level."""
    with ctx.db.transaction() as session:
        workspace = session.get(Workspace, "T1")
        assert workspace is not None
        workspace.timezone = "America/New_York"
    new_york = Actor("T1", "U01AYU", "C1", "en", "America/New_York")
    clock.now = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # Sunday 1 November, 23:30 EST
    assert "Logged" in reply_text(ask(ctx, "log followers 700", new_york))
    assert "Logged" in reply_text(ask(ctx, "log followers 600 date=2026-10-25", new_york))
    digest = build_digest(ctx=ctx, team_id="T1", now=clock.now)
    assert digest.summary.monday == date(2026, 10, 26)
    followers = digest.summary.smo.metrics[0]
    assert followers.name == "followers"
    assert (followers.value, followers.previous) == (Decimal(700), Decimal(600))
    clock.now = datetime(2026, 11, 2, 5, 30, tzinfo=UTC)  # Monday 00:30 EST: a new week
    assert build_digest(ctx=ctx, team_id="T1", now=clock.now).summary.monday == date(2026, 11, 2)
    assert "26 Oct 2026 \u2013 1 Nov 2026" in reply_text(ask(ctx, "digest last", new_york))
