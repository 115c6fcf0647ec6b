"""`digest now` on random readings across two weeks against `tests.support.digest_oracle`, an
independent computation written from DESIGN.md's rules, on SQLite and PostgreSQL.

Each example picks a workspace zone (WIB, WITA, WIT, and two with summer time), a moment in the
weeks around a summer-time change, readings with and without a platform over this week, last
week and the week before (and days still to come this week), a running campaign with targets,
and calendar posts around local midnights; then every number the digest shows must be the
oracle's. Fewer examples on PostgreSQL, where each costs more round trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from smmbot.domain.digest import Digest
from smmbot.persistence.models import (
    CalendarItem,
    Campaign,
    MetricDailyRollup,
    MetricReading,
    Workspace,
)
from smmbot.services.context import ServiceContext
from smmbot.services.digest import build_digest
from tests.support import digest_oracle as oracle
from tests.support.digest_checks import check_pillar_lines
from tests.support.digest_oracle import Reading

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/Berlin", "America/New_York")
# Three weeks from each: Berlin leaves summer time on 25 October, New York on 1 November;
# both enter it in March (New York on the 8th, Berlin on the 29th).
STARTS = (datetime(2026, 10, 19, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
METRICS = (
    "followers", "reach", "shares", "link_clicks", "social_sessions",
    "ad_impressions", "ad_clicks", "orders", "ad_spend", "revenue",
)  # fmt: skip
STATUSES = ("scheduled", "published", "missed", "cancelled")
CAMPAIGN = "Ramadan"

pytestmark = pytest.mark.usefixtures("workspaces")


@dataclass(frozen=True)
class Case:
    zone: str
    now: datetime
    readings: list[Reading]
    campaign_start: date
    campaign_end: date
    targets: dict[str, Decimal]
    posts: list[tuple[datetime, str]]

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.zone)).date()


@st.composite
def cell_readings(draw: st.DrawFn, day: date, metric: str) -> list[Reading]:
    """One metric's readings of one day: account-wide, per platform or both, for the account,
    the campaign or each its own (followers are the account's, never a campaign's)."""
    platforms = draw(st.sets(st.sampled_from(["", "instagram", "tiktok"]), min_size=1))
    campaigns = st.sampled_from(["", CAMPAIGN])
    shared = draw(campaigns)
    found = []
    for platform in sorted(platforms):
        campaign = draw(st.one_of(st.just(shared), campaigns))
        value = Decimal(draw(st.integers(0, 3000)))
        found.append(
            Reading(day, metric, value, "" if metric == "followers" else campaign, platform)
        )
    return found


@st.composite
def cases(draw: st.DrawFn) -> Case:
    zone = draw(st.sampled_from(ZONES))
    now = draw(st.sampled_from(STARTS)) + timedelta(minutes=draw(st.integers(0, 21 * 24 * 60)))
    today = now.astimezone(ZoneInfo(zone)).date()
    monday = today - timedelta(days=today.weekday())
    days = st.integers(-14, 6).map(lambda offset: monday + timedelta(days=offset))
    metrics = st.sampled_from(METRICS + ("followers",) * 4)  # the gauge has the most rules
    cells = draw(st.lists(st.tuples(days, metrics), max_size=16, unique=True))
    readings = [reading for cell in cells for reading in draw(cell_readings(*cell))]
    start = today - timedelta(days=draw(st.integers(0, 20)))
    target_values = st.integers(0, 5000).map(Decimal)
    targets = draw(
        st.dictionaries(st.sampled_from(["followers", "orders", "revenue"]), target_values)
    )
    minutes = st.integers(-10 * 24 * 60, 10 * 24 * 60).map(lambda m: now + timedelta(minutes=m))
    posts = draw(st.lists(st.tuples(minutes, st.sampled_from(STATUSES)), max_size=6))
    end = today + timedelta(days=draw(st.integers(0, 10)))
    return Case(zone, now, readings, start, end, targets, posts)


def store(ctx: ServiceContext, case: Case) -> None:
    """The case as the only data of workspace T1 (hypothesis reuses the database)."""
    with ctx.db.transaction() as session:
        for table in (MetricReading, MetricDailyRollup, Campaign, CalendarItem):
            session.execute(delete(table))
        workspace = session.get(Workspace, "T1")
        assert workspace is not None
        workspace.timezone = case.zone
        session.add_all(
            MetricReading(
                team_id="T1", day=r.day, metric=r.metric, value=r.value, campaign=r.campaign,
                platform=r.platform, source="manual", updated_at=case.now,
            )
            for r in case.readings
        )  # fmt: skip
        session.add(
            Campaign(
                team_id="T1", name=CAMPAIGN, name_key=CAMPAIGN.casefold(), objective="smm",
                start_date=case.campaign_start, end_date=case.campaign_end, budget=None,
                currency="IDR", platforms=[], targets={k: str(v) for k, v in case.targets.items()},
                created_by="U1", created_at=case.now,
            )
        )  # fmt: skip
        session.add_all(
            CalendarItem(
                team_id="T1", due_at=due_at, timezone=case.zone, text="post", platform=None,
                channel_id="C1", owner_id="U1", status=status, created_by="U1",
                created_at=case.now, updated_at=case.now,
            )
            for due_at, status in case.posts
        )  # fmt: skip


def check_week(digest: Digest, case: Case) -> dict[str, Decimal]:
    monday, last = oracle.this_week(case.today)
    now = oracle.week_numbers(case.readings, monday, last)
    week = timedelta(days=7)
    then = oracle.week_numbers(case.readings, monday - week, last - week)
    summary = digest.summary
    assert (summary.monday, summary.has_data) == (monday, bool(now))
    for pillar in (summary.smo, summary.smm):
        check_pillar_lines(pillar, now, then)
    return now


def check_campaign_and_posts(digest: Digest, case: Case, now: dict[str, Decimal]) -> None:
    achieved = oracle.campaign_totals(case.readings, CAMPAIGN, case.campaign_start, case.today)
    achieved["followers"] = now.get("followers", Decimal(0))
    shown = {t.metric: (t.achieved, t.fraction) for t in digest.targets}
    assert shown == {
        metric: (
            achieved.get(metric, Decimal(0)),
            achieved.get(metric, Decimal(0)) / target if target else None,
        )
        for metric, target in case.targets.items()
    }
    [campaign] = digest.campaigns
    assert campaign.budget_used == achieved.get("ad_spend", Decimal(0))
    assert campaign.days_left == (case.campaign_end - case.today).days + 1
    monday = oracle.this_week(case.today)[0]
    local_days = [(at.astimezone(ZoneInfo(case.zone)).date(), s) for at, s in case.posts]
    in_week = [s for day, s in local_days if monday <= day <= monday + timedelta(days=6)]
    execution = digest.execution
    assert (execution.scheduled, execution.published, execution.missed) == (
        in_week.count("scheduled"),
        in_week.count("published"),
        in_week.count("missed"),
    )


def test_digest_numbers_follow_the_design_rules(ctx: ServiceContext, database_url: str) -> None:
    @settings(
        max_examples=8 if database_url.startswith("postgresql") else 40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=cases())
    def check(case: Case) -> None:
        store(ctx, case)
        digest = build_digest(ctx=ctx, team_id="T1", now=case.now)
        now = check_week(digest, case)
        check_campaign_and_posts(digest, case, now)

    check()
