"""Digest arithmetic, checked against numbers worked out by hand."""

from datetime import UTC, date, datetime
from decimal import Decimal

from smmbot.domain.digest import (
    RATIOS,
    PillarSummary,
    change_percent,
    ratio,
    summarize,
    target_progress,
)
from smmbot.domain.digest_weeks import week_bounds, week_of
from smmbot.domain.metrics import METRICS, Direction
from smmbot.domain.templates import Pillar

D = Decimal


def test_week_of_runs_monday_to_sunday() -> None:
    assert week_of(date(2026, 11, 25)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week_of(date(2026, 11, 23)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week_of(date(2026, 11, 29)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week_of(date(2026, 11, 30)) == (date(2026, 11, 30), date(2026, 12, 6))


def test_week_bounds_follow_local_midnight_across_dst() -> None:
    # Berlin leaves summer time on Sunday 25 October 2026: that week has 169 hours.
    start, end = week_bounds(date(2026, 10, 19), "Europe/Berlin")
    assert start == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)
    assert end == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert (end - start).total_seconds() == 169 * 3600
    # ...and enters it on Sunday 29 March 2026: 167 hours.
    start, end = week_bounds(date(2026, 3, 23), "Europe/Berlin")
    assert (end - start).total_seconds() == 167 * 3600


def test_week_bounds_in_jakarta() -> None:
    start, end = week_bounds(date(2026, 11, 23), "Asia/Jakarta")
    assert start == datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 29, 17, 0, tzinfo=UTC)


def test_change_and_ratio_never_divide_by_zero() -> None:
    assert change_percent(D(150), D(100)) == D(50)
    assert change_percent(D(50), D(0)) is None
    assert change_percent(D(50), None) is None
    assert change_percent(None, D(3)) is None
    assert ratio(D(5), D(0)) is None
    assert ratio(D(5), None) is None
    assert ratio(D(1), D(4)) == D("0.25")


def _line(summary: PillarSummary, name: str) -> tuple[object, ...]:
    line = next(line for line in summary.metrics if line.name == name)
    return line.value, line.previous, line.change_percent


def _ratio(summary: PillarSummary, name: str) -> tuple[object, ...]:
    line = next(line for line in summary.ratios if line.name == name)
    return line.value, line.previous


CURRENT = {
    "followers": D(1200),
    "reach": D(5000),
    "shares": D(250),
    "link_clicks": D(400),
    "social_sessions": D(100),
    "ad_impressions": D(10000),
    "ad_clicks": D(200),
    "orders": D(10),
    "ad_spend": D(1000000),
    "revenue": D(4000000),
}
PREVIOUS = {
    "followers": D(1000),
    "reach": D(10000),
    "shares": D(250),
    "link_clicks": D(0),
    "ad_clicks": D(100),
    "orders": D(0),
    "ad_spend": D(500000),
    "revenue": D(1000000),
}


def test_summary_numbers_changes_and_ratios() -> None:
    week = summarize(date(2026, 11, 23), CURRENT, PREVIOUS)
    assert week.has_data and week.sunday == date(2026, 11, 29)
    assert _line(week.smo, "followers") == (D(1200), D(1000), D(20))
    followers = next(line for line in week.smo.metrics if line.name == "followers")
    assert followers.growth == D(200)
    assert _line(week.smo, "reach") == (D(5000), D(10000), D(-50))
    assert _line(week.smo, "link_clicks") == (D(400), D(0), None)
    assert _line(week.smo, "impressions") == (None, None, None)
    assert _line(week.smm, "ad_clicks") == (D(200), D(100), D(100))
    # SMO ratios: share rate 250/5000, previous 250/10000; site share 100/400, previous 0/0.
    assert _ratio(week.smo, "share_rate") == (D("0.05"), D("0.025"))
    assert _ratio(week.smo, "site_traffic_share") == (D("0.25"), None)
    # SMM ratios.
    assert _ratio(week.smm, "ctr") == (D("0.02"), None)  # previous: no ad impressions at all
    assert _ratio(week.smm, "cpc") == (D(5000), D(5000))
    assert _ratio(week.smm, "cpa") == (D(100000), None)  # previous week: zero orders
    assert _ratio(week.smm, "roas") == (D(4), D(2))
    assert _ratio(week.smm, "conversion_rate") == (D("0.05"), D(0))


def test_pillars_hold_only_their_own_metrics() -> None:
    week = summarize(date(2026, 11, 23), CURRENT, PREVIOUS)
    assert {METRICS[line.name].pillar for line in week.smo.metrics} == {Pillar.SMO}
    assert {METRICS[line.name].pillar for line in week.smm.metrics} == {Pillar.SMM}
    assert {r.name for r in week.smo.ratios} == {
        "engagement_rate",
        "share_rate",
        "site_traffic_share",
    }
    assert {r.name for r in week.smm.ratios} == {"ctr", "cpc", "cpa", "roas", "conversion_rate"}


def test_best_and_worst_movers_per_pillar() -> None:
    week = summarize(date(2026, 11, 23), CURRENT, PREVIOUS)
    # SMO: share rate doubled (250/5000 against 250/10000), reach halved.
    assert week.smo.best is not None and week.smo.best.name == "share_rate"  # +100 %
    assert week.smo.worst is not None and week.smo.worst.name == "reach"  # -50 %
    assert week.smm.best is not None and week.smm.best.name == "revenue"  # +300 %
    assert week.smm.worst is None  # nothing good fell; ad spend doubled but is neutral


def _movers(current: dict[str, Decimal], previous: dict[str, Decimal]) -> tuple[object, object]:
    smm = summarize(date(2026, 11, 23), current, previous).smm
    return (smm.best.name if smm.best else None, smm.worst.name if smm.worst else None)


def test_a_falling_cost_per_click_is_an_improvement_never_a_worst_mover() -> None:
    before = {"ad_spend": D(1000), "ad_clicks": D(100), "orders": D(10)}
    # Clicks and orders up 25%: CPC and CPA fall 20%; spend unchanged.
    after = {"ad_spend": D(1000), "ad_clicks": D(125), "orders": D(12.5)}
    assert _movers(after, before) == ("ad_clicks", None)  # +25% beats CPC's -20% (good)
    assert _movers({**after, "ad_clicks": D(100), "orders": D(10)}, before) == (None, None)
    # Half the clicks for the same spend and orders: CPC doubling is the worst setback (clicks
    # only halved), while each click converting twice as often is the best news.
    worse = {"ad_spend": D(1000), "ad_clicks": D(50), "orders": D(10)}
    assert _movers(worse, before) == ("conversion_rate", "cpc")


def test_ad_spend_is_neutral_never_a_best_or_worst_mover() -> None:
    for spend in (D(100), D(1_000_000)):
        summary = summarize(date(2026, 11, 23), {"ad_spend": spend}, {"ad_spend": D(1000)})
        [line] = [line for line in summary.smm.metrics if line.name == "ad_spend"]
        assert line.change_percent is not None and line.change_percent != 0  # shown with it
        assert (summary.smm.best, summary.smm.worst) == (None, None)
    assert METRICS["ad_spend"].better is Direction.NEUTRAL
    assert METRICS["followers"].better is Direction.UP
    directions = {r.name: r.better for ratios in RATIOS.values() for r in ratios}
    assert directions["cpc"] is directions["cpa"] is Direction.DOWN
    assert directions["roas"] is directions["ctr"] is Direction.UP


def test_a_ratio_of_a_numerator_never_logged_is_unknown_not_zero() -> None:
    week = summarize(date(2026, 11, 23), {"ad_impressions": D(5000), "reach": D(900)}, {})
    assert _ratio(week.smm, "ctr") == (None, None)  # ad clicks never logged: not 0%
    assert _ratio(week.smo, "share_rate") == (None, None)
    logged_zero = summarize(date(2026, 11, 23), {"ad_impressions": D(5000), "ad_clicks": D(0)}, {})
    assert _ratio(logged_zero.smm, "ctr") == (D(0), None)  # logged as zero: a real 0%
    assert _ratio(logged_zero.smm, "cpc") == (None, None)  # zero clicks: nothing to divide by
    assert ratio(None, D(3)) is None


def test_an_empty_week_has_no_data_and_no_ratios() -> None:
    week = summarize(date(2026, 11, 23), {}, PREVIOUS)
    assert not week.has_data
    assert all(line.value is None for line in week.smm.ratios)
    assert week.smo.best is None and week.smo.worst is None


def test_target_progress_is_a_fraction() -> None:
    [orders, revenue] = target_progress(
        "Ramadan", {"revenue": D(8000000), "orders": D(40)}, {"orders": D(10)}
    )
    assert (orders.metric, orders.achieved, orders.fraction) == ("orders", D(10), D("0.25"))
    assert (revenue.metric, revenue.achieved, revenue.fraction) == ("revenue", D(0), D(0))
    [zero] = target_progress("X", {"leads": D(0)}, {"leads": D(3)})
    assert zero.fraction is None


def test_engagement_rate_is_engagements_over_reach() -> None:
    week = summarize(
        date(2026, 11, 23),
        {"engagements": Decimal(50), "reach": Decimal(1000)},
        {"engagements": Decimal(20), "reach": Decimal(0)},
    )
    rate = next(r for r in week.smo.ratios if r.name == "engagement_rate")
    assert rate.value == Decimal("0.05")
    assert rate.previous is None
