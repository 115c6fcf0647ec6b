"""The digest benchmark's bound: every reading aggregate the digest shows, as one hand-written SQL
statement over the raw readings, and the check that the digest shows exactly those numbers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import psycopg

from bench.digest_data import TEAM
from smmbot.domain.digest import Digest, counter_names, gauge_names
from smmbot.domain.digest_weeks import week_of

# The bound, written by hand: every reading aggregate the digest shows, in one statement, under
# DESIGN.md's account-wide rule (a reading without a platform is never added to the platforms'
# readings of its metric and day). Counters this week so far and over the same days of last
# week, per day the account-wide figure if logged, else the platforms' sum; the followers level
# now and on the same weekday of last week (the account-wide reading of the period's last
# logged day if there is one, else per platform the latest day's largest reading, summed); and
# each active campaign's counters since its start, the same per-day rule within the campaign.
RAW_BOUND_SQL_SHAPE = """
SELECT 'week', '', metric,
       sum(figure) FILTER (WHERE day >= %(monday)s),
       sum(figure) FILTER (WHERE day < %(monday)s)
  FROM (SELECT metric, day,
               coalesce(sum(value) FILTER (WHERE platform = ''), sum(value)) AS figure
          FROM metric_readings
         WHERE team_id = %(team)s AND metric = ANY(%(counters)s)
           AND (day BETWEEN %(monday)s AND %(last)s OR day BETWEEN %(before)s AND %(before_last)s)
         GROUP BY metric, day) daily
 GROUP BY metric
UNION ALL
SELECT 'week', '', metric,
       coalesce(max(level) FILTER (WHERE this_week AND platform = '' AND day = last_logged),
                sum(level) FILTER (WHERE this_week AND platform <> '')),
       coalesce(max(level) FILTER (WHERE NOT this_week AND platform = '' AND day = last_logged),
                sum(level) FILTER (WHERE NOT this_week AND platform <> ''))
  FROM (SELECT metric, platform, day, day >= %(monday)s AS this_week, max(value) AS level,
               row_number() OVER (PARTITION BY metric, platform, day >= %(monday)s
                                  ORDER BY day DESC) AS recency,
               max(day) OVER (PARTITION BY metric, day >= %(monday)s) AS last_logged
          FROM metric_readings
         WHERE team_id = %(team)s AND metric = ANY(%(gauges)s)
           AND (day BETWEEN %(monday)s AND %(last)s OR day BETWEEN %(before)s AND %(before_last)s)
         GROUP BY metric, platform, day) daily
 WHERE recency = 1
 GROUP BY metric
UNION ALL
SELECT 'campaign', campaign, metric, sum(figure), NULL
  FROM (SELECT campaign, metric, day,
               coalesce(sum(value) FILTER (WHERE platform = ''), sum(value)) AS figure
          FROM metric_readings
         WHERE team_id = %(team)s AND metric = ANY(%(counters)s) AND ({campaigns})
         GROUP BY campaign, metric, day) by_day
 GROUP BY campaign, metric
"""
# For comparison with earlier runs: this week's and the same days of last week's sums alone.
RAW_WEEK_SQL = (
    "SELECT metric, sum(value) FROM metric_readings"
    " WHERE team_id = %s AND day BETWEEN %s AND %s GROUP BY metric"
)


def week_windows(today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    monday = week_of(today)[0]
    last = min(monday + timedelta(days=6), today)
    return (monday, last), (monday - timedelta(days=7), last - timedelta(days=7))


def bound_parameters(today: date, campaigns: list[tuple[str, date]]) -> dict[str, Any]:
    (monday, last), (before, before_last) = week_windows(today)
    return {
        "team": TEAM,
        "monday": monday,
        "last": last,
        "before": before,
        "before_last": before_last,
        "counters": list(counter_names()),
        "gauges": list(gauge_names()),
        **{f"campaign_{n}": name for n, (name, _) in enumerate(campaigns)},
        **{f"start_{n}": start for n, (_, start) in enumerate(campaigns)},
    }


def raw_bound(connection: psycopg.Connection[Any], parameters: dict[str, Any]) -> list[Any]:
    """The bound: every reading aggregate the digest shows, as one hand-written statement."""
    campaigns = sum(1 for key in parameters if key.startswith("campaign_"))
    windows = " OR ".join(
        f"(campaign = %(campaign_{n})s AND day BETWEEN %(start_{n})s AND %(last)s)"
        for n in range(campaigns)
    )
    return connection.execute(RAW_BOUND_SQL_SHAPE.format(campaigns=windows), parameters).fetchall()


def raw_week_sums(connection: psycopg.Connection[Any], today: date) -> int:
    """This week's and the same days of last week's sums per metric, nothing else."""
    got = 0
    for first, last in week_windows(today):
        got += len(connection.execute(RAW_WEEK_SQL, (TEAM, first, last)).fetchall())
    return got


def check_same_numbers(digest: Digest, bound_rows: list[Any]) -> None:
    """The digest must show what the raw statement computes, or the timing compares nothing."""
    week = {(metric, "now"): now for part, _, metric, now, _ in bound_rows if part == "week"}
    week |= {(metric, "then"): then for part, _, metric, _, then in bound_rows if part == "week"}
    spend = {
        name: now
        for part, name, metric, now, _ in bound_rows
        if part == "campaign" and metric == "ad_spend"
    }
    lines = digest.summary.smo.metrics + digest.summary.smm.metrics
    shown = {(line.name, "now"): line.value for line in lines if line.value is not None}
    shown |= {(line.name, "then"): line.previous for line in lines if line.previous is not None}
    used = {campaign.name: campaign.budget_used for campaign in digest.campaigns}
    if shown != {key: value for key, value in week.items() if value is not None}:
        raise RuntimeError("the digest's week numbers differ from the raw aggregate's")
    if used != {name: spend.get(name) for name in used} or not used:
        raise RuntimeError("the digest's campaign spend differs from the raw aggregate's")
