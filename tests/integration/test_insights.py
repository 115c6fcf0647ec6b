"""Per-post results, `/smm insights` and `schedule best` through the command service, on SQLite
and PostgreSQL: refusals, the roll-up that never counts a post twice, both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from smmbot.persistence.models import CalendarItem, MetricDailyRollup
from smmbot.rendering.reply import Reply
from smmbot.services import calendar_actions
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.demo import load_demo
from tests.support.interactions import click, submit
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")


def say(ctx: ServiceContext, text: str, *, locale: str = "en", team_id: str = "T1") -> Reply:
    actor = Actor(team_id, "U1", "C1", locale, "Asia/Jakarta")
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def add_item(
    ctx: ServiceContext,
    due_at: datetime,
    *,
    status: str = "published",
    platform: str | None = "instagram",
    team_id: str = "T1",
    text: str = "Kopi baru",
) -> int:
    with ctx.db.transaction() as session:
        item = CalendarItem(
            team_id=team_id, due_at=due_at, timezone="Asia/Jakarta", text=text,
            platform=platform, channel_id="C1", owner_id="U1", status=status,
            published_url="https://instagram.com/p/x" if status == "published" else None,
            created_by="U1", created_at=due_at, updated_at=due_at,
        )  # fmt: skip
        session.add(item)
        session.flush()
        return item.id


def platform_total(ctx: ServiceContext, metric: str, platform: str = "instagram") -> Decimal:
    with ctx.db.transaction() as session:
        return session.scalars(
            select(MetricDailyRollup.total).where(
                MetricDailyRollup.team_id == "T1",
                MetricDailyRollup.dimension == "platform",
                MetricDailyRollup.key == platform,
                MetricDailyRollup.metric == metric,
            )
        ).one()


def test_post_results_are_logged_and_refused_clearly(ctx: ServiceContext) -> None:
    published = add_item(ctx, datetime(2026, 11, 20, 12, tzinfo=UTC))
    planned = add_item(ctx, datetime(2026, 11, 30, 12, tzinfo=UTC), status="scheduled")
    theirs = add_item(ctx, datetime(2026, 11, 20, 12, tzinfo=UTC), team_id="T2")
    say(ctx, f"log reach 400 post={published}")
    reply = reply_text(say(ctx, f"log likes 20 post={published}"))
    assert f"*likes* *20* for post #{published} (Instagram)" in reply
    assert "engagement rate is now 5.0%" in reply
    again = reply_text(say(ctx, f"catat likes 24 pos={published}", locale="id"))
    assert f"untuk postingan #{published}" in again and "Angka sebelumnya, 20" in again
    assert "6,0%" in again
    assert f"no post #{theirs}" in reply_text(say(ctx, f"log likes 5 post={theirs}"))
    assert "no post #abc" in reply_text(say(ctx, "log likes 5 post=abc"))
    assert "is not published" in reply_text(say(ctx, f"log likes 5 post={planned}"))
    assert "not a post result" in reply_text(say(ctx, f"log followers 5 post={published}"))
    assert "takes no `date=`" in reply_text(
        say(ctx, f"log likes 5 post={published} date=2026-11-20")
    )
    assert "belum terbit" in reply_text(say(ctx, f"catat likes 5 pos={planned}", locale="id"))
    other = reply_text(say(ctx, f"log likes 5 post={published} platform=facebook"))
    assert f"Post #{published} is on Instagram" in other
    campaign = reply_text(say(ctx, f"catat likes 5 pos={published} kampanye=Lebaran", locale="id"))
    assert "tidak memakai `kampanye=`" in campaign


def test_a_post_without_a_platform_is_given_one(ctx: ServiceContext) -> None:
    item = add_item(ctx, datetime(2026, 11, 20, 12, tzinfo=UTC), platform=None)
    assert "has no platform" in reply_text(say(ctx, f"log likes 5 post={item}"))
    saved = reply_text(say(ctx, f"log likes 5 post={item} platform=ig"))
    assert f"for post #{item} (Instagram)" in saved
    assert platform_total(ctx, "likes") == 5


def test_post_results_count_in_totals_once(ctx: ServiceContext) -> None:
    first = add_item(ctx, datetime(2026, 11, 20, 3, tzinfo=UTC))
    second = add_item(ctx, datetime(2026, 11, 20, 9, tzinfo=UTC))
    say(ctx, f"log likes 20 post={first}")
    say(ctx, f"log likes 30 post={second}")
    assert platform_total(ctx, "likes") == 50  # no account-level figure: the posts' sum
    say(ctx, "log likes 70 platform=instagram date=2026-11-20")
    assert platform_total(ctx, "likes") == 70  # the account's figure already holds both posts
    say(ctx, f"log likes 31 post={second}")
    assert platform_total(ctx, "likes") == 70


def test_insights_without_data_says_how_to_get_some(ctx: ServiceContext) -> None:
    english = reply_text(say(ctx, "insights"))
    assert "nothing to rank" in english and "log reach 800 post=12" in english
    indonesian = reply_text(say(ctx, "wawasan platform=instagram", locale="id"))
    assert (
        "Belum ada postingan Instagram" in indonesian and "catat jangkauan 800 pos=12" in indonesian
    )
    assert "from 1 to 104" in reply_text(say(ctx, "insights weeks=0"))
    assert "not a platform" in reply_text(say(ctx, "insights platform=myspace"))


def seed_thursdays(ctx: ServiceContext) -> None:
    """Three Thursday-evening posts (19:00 WIB, 6 % each) and three Monday mornings (3 %)."""
    for week in range(3):
        thursday = datetime(2026, 11, 19, 12, tzinfo=UTC) - timedelta(weeks=week)
        monday = datetime(2026, 11, 23, 2, tzinfo=UTC) - timedelta(weeks=week)
        for due, likes in ((thursday, 6), (monday, 3)):
            item = add_item(ctx, due)
            say(ctx, f"log reach 100 post={item}")
            say(ctx, f"log likes {likes} post={item}")


def test_insights_rank_times_in_both_languages(ctx: ServiceContext) -> None:
    seed_thursdays(ctx)
    english = reply_text(say(ctx, "insights"))
    assert "*Instagram*: 6 posts with results, median engagement rate 4.5%" in english
    assert (
        "Your Instagram posts on Thursday 18:00\u201321:00 WIB reached 1.3\u00d7 the"
        " engagement rate of your median post (3 posts)"
    ) in english
    assert "• Thu 18:00\u201321:00 WIB: 6.0% (3 posts)" in english
    assert "Without a link: 4.5% (6 posts)" in english
    indonesian = reply_text(say(ctx, "wawasan", locale="id"))
    assert (
        "Postingan Instagram kamu pada Kamis 18:00\u201321:00 WIB mencapai 1,3\u00d7" in indonesian
    )


def test_schedule_best_picks_the_next_free_best_block(ctx: ServiceContext) -> None:
    seed_thursdays(ctx)
    reply = reply_text(say(ctx, 'schedule best "New menu" platform=instagram'))
    assert "Thursday 26 November 2026, 18:00 WIB" in reply
    assert "best free Instagram time: Thursday 18:00\u201321:00 WIB" in reply
    second = reply_text(say(ctx, 'jadwal terbaik "Menu baru" platform=instagram', locale="id"))
    assert "Kamis 3 Desember 2026, 18:00 WIB" in second  # the best block's next free one
    assert "waktu Instagram terbaik yang masih kosong" in second
    assert "Which platform?" in reply_text(say(ctx, 'schedule best "New menu"'))
    no_data = reply_text(say(ctx, 'schedule best "New menu" platform=facebook'))
    assert "not enough data yet" in no_data


def test_schedule_form_offers_the_best_times(ctx: ServiceContext) -> None:
    seed_thursdays(ctx)
    say(ctx, "draft promo product=Kopi offer=x url=https://t.id platform=instagram")
    english = Actor("T1", "U1", "C1", "en", "Asia/Jakarta")
    form = click(ctx, english, calendar_actions.schedule_draft_form, 1).form
    assert form is not None
    [best] = [field for field in form.fields if field.name == "best"]
    assert best.choices == (
        "2026-11-26 18:00 \u00b7 Instagram \u00b7 6.0%",
        "2026-11-30 09:00 \u00b7 Instagram \u00b7 3.0%",
    )
    done = submit(
        ctx,
        english,
        calendar_actions.submit_schedule_draft,
        form.private_metadata,
        {"when": "", "best": best.choices[1], "platform": "instagram"},
    )
    assert done.reply is not None
    assert "Monday 30 November 2026, 09:00 WIB" in reply_text(done.reply)


@pytest.mark.usefixtures("drawn_charts")
def test_digest_shows_what_worked_only_with_data(ctx: ServiceContext) -> None:
    say(ctx, "log followers 1200")
    assert "What worked" not in reply_text(say(ctx, "digest now"))
    seed_thursdays(ctx)  # one of its Monday posts (3 %) is in this week
    tuesday = add_item(ctx, datetime(2026, 11, 24, 1, tzinfo=UTC), text="Promo *kopi* <!here>")
    say(ctx, f"log reach 200 post={tuesday}")
    say(ctx, f"log engagements 18 post={tuesday}")
    english = reply_text(say(ctx, "digest now"))
    what_worked = english[english.index("*What worked*") :]
    assert what_worked.index(
        "9.0% \u00b7 Instagram \u00b7 Tue 24 Nov 08:00 WIB"
    ) < what_worked.index("3.0% \u00b7 Instagram \u00b7 Mon 23 Nov 09:00 WIB")
    assert "<!here>" not in english and "posts' own results" in english
    assert english.index("*What worked*") < english.index("SMM")
    indonesian = reply_text(say(ctx, "ringkasan sekarang", locale="id"))
    assert (
        "*Yang berhasil*" in indonesian and "9,0% \u00b7 Instagram \u00b7 Sel 24 Nov" in indonesian
    )


@pytest.mark.usefixtures("drawn_charts")
def test_the_demo_tells_a_clear_story_in_both_languages(ctx: ServiceContext) -> None:
    actor = Actor("T1", "U1", "C1", "en", "Asia/Jakarta")
    load_demo(ctx=ctx, actor=actor)
    load_demo(ctx=ctx, actor=actor)  # loading again replaces the posts and their results
    english = reply_text(say(ctx, "insights"))
    assert "*Facebook*: 15 posts with results" in english
    assert "*Instagram*: 28 posts with results, median engagement rate 4.0%" in english
    assert "Your Instagram posts on Thursday 18:00\u201321:00 WIB reached" in english
    assert "Template behind-the-scenes" in english
    digest = reply_text(say(ctx, "digest last"))
    top = digest[digest.index("*What worked*") :].split("\\n")[1]  # a block's repr
    assert "Instagram \u00b7 Thu 19 Nov 19:00 WIB \u00b7 template behind-the-scenes" in top
    indonesian = reply_text(say(ctx, "wawasan platform=instagram", locale="id"))
    assert "Postingan Instagram kamu pada Kamis 18:00\u201321:00 WIB" in indonesian
    assert "Templat behind-the-scenes" in indonesian
