"""Keeps `metric_daily_rollups` in step with `metric_readings`, inside the writer's transaction.

Every change to readings marks its (workspace, day, metric): ORM inserts, updates and deletes of
a reading are seen as they are flushed, and a bulk delete says what it removed with `touch`.
`Database.transaction` calls `recompute_touched` just before it commits, and only a transaction
that wrote readings has anything to recompute: outbox and calendar transactions carry no hook.
The marked groups are recomputed from the readings (a DELETE, then one INSERT ...
SELECT ... GROUP BY). Recomputing rather than adding deltas keeps the roll-up exact whatever the
writer did (replace, re-import, delete a source), and doing it at commit turns a 10,000-row
import into a handful of statements. Readers never see a roll-up out of step with the readings
it came from, because both change in one transaction.

Platform rows hold each platform's sum and largest value as they are (the readings without a
platform under the key ""), so a reader can tell the account-wide figure from the platforms';
campaign rows already hold the campaign's figure under the account-wide rule (DESIGN.md: a
reading without a platform is never added to per-platform readings of the same metric and day).

A published post's own results are readings too, under the source `post:<item id>` on the
platform and local day it was published. They count in a platform's row only when nothing else
gave that platform's metric for that day: the account-level figure (synced or logged) already
includes every post of the day, so adding the posts' own numbers to it would count them twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, delete, event, func, insert, literal, select, union_all
from sqlalchemy.orm import Mapper, Session, object_session

from smmbot.domain.insights import POST_SOURCE_PREFIX
from smmbot.persistence.models import MetricDailyRollup, MetricReading, RollupDimension, Workspace

_TOUCHED = "smmbot.rollups.touched"
KEEP_ROLLUPS = "smmbot.rollups.keep"
"""`Session.info` flag of the sessions whose reading writes keep the roll-up current: those of
`Database`. A plain session (a migration test writing an old schema) stays untouched."""
_Grouped = Select[str, str, str, date, str, Decimal, Decimal]
"""Roll-up rows as selected: team, dimension, metric, day, key, total, peak."""
_DAYS_PER_STATEMENT = 400  # keeps the IN lists far below SQLite's bound-parameter limit


def touch(session: Session, team_id: str, days: Iterable[date], metrics: Iterable[str]) -> None:
    """Mark these days and metrics of `team_id` for recomputation at commit."""
    marked: dict[str, tuple[set[date], set[str]]] | None = session.info.get(_TOUCHED)
    if marked is None:
        marked = session.info[_TOUCHED] = {}
    team_days, team_metrics = marked.setdefault(team_id, (set(), set()))
    team_days.update(days)
    team_metrics.update(metrics)


@event.listens_for(MetricReading, "after_insert")
@event.listens_for(MetricReading, "after_update")
@event.listens_for(MetricReading, "after_delete")
def _note_changed_reading(_mapper: Mapper[Any], _connection: Any, reading: MetricReading) -> None:
    session = object_session(reading)
    if session is not None and session.info.get(KEEP_ROLLUPS):
        touch(session, reading.team_id, [reading.day], [reading.metric])


def recompute_touched(session: Session) -> None:
    """Flush (as the commit would), then recompute what this transaction's writes marked."""
    session.flush()
    marked: dict[str, tuple[set[date], set[str]]] = session.info.pop(_TOUCHED, {})
    if not marked:
        return
    # One recompute per workspace at a time: two writers of the same day and metric could
    # otherwise both delete the old row before either inserts, and the second insert would
    # collide with the first. Locking the workspace rows (in a fixed order) makes the second
    # wait, then recompute from both writes. FOR NO KEY UPDATE, because each writer already
    # holds a KEY SHARE lock on its workspace row through the readings' foreign key, and a
    # plain FOR UPDATE would wait on the other writer's: a deadlock. SQLite has no row locks;
    # its single writer already serialises these transactions.
    session.execute(
        select(Workspace.team_id)
        .where(Workspace.team_id.in_(sorted(marked)))
        .order_by(Workspace.team_id)
        .with_for_update(key_share=True)
    ).all()
    for team_id, (days, metrics) in sorted(marked.items()):
        ordered = sorted(days)
        for start in range(0, len(ordered), _DAYS_PER_STATEMENT):
            recompute(session, team_id, ordered[start : start + _DAYS_PER_STATEMENT], metrics)


def recompute(
    session: Session, team_id: str, days: Sequence[date] | None, metrics: Iterable[str] | None
) -> None:
    """Rebuild the roll-up of `team_id` for `days` x `metrics` (None: all of them)."""
    reading, rollup = MetricReading, MetricDailyRollup
    readings_filter = [reading.team_id == team_id]
    rollups_filter = [rollup.team_id == team_id]
    if days is not None:
        readings_filter.append(reading.day.in_(days))
        rollups_filter.append(rollup.day.in_(days))
    if metrics is not None:
        wanted = sorted(metrics)
        readings_filter.append(reading.metric.in_(wanted))
        rollups_filter.append(rollup.metric.in_(wanted))
    session.execute(delete(rollup).where(*rollups_filter))
    per_platform, per_campaign = _grouped(readings_filter)
    columns = ["team_id", "dimension", "metric", "day", "key", "total", "peak"]
    session.execute(insert(rollup).from_select(columns, union_all(per_platform, per_campaign)))


def _grouped(readings_filter: list[Any]) -> tuple[_Grouped, _Grouped]:
    """The platform rows and the campaign rows of the readings `readings_filter` selects."""
    reading = MetricReading
    account_wide = reading.platform == ""
    account_level = reading.source.not_like(f"{POST_SOURCE_PREFIX}%")
    per_platform = (
        select(
            reading.team_id,
            literal(RollupDimension.PLATFORM.value),
            reading.metric,
            reading.day,
            reading.platform,
            func.coalesce(func.sum(reading.value).filter(account_level), func.sum(reading.value)),
            func.coalesce(func.max(reading.value).filter(account_level), func.max(reading.value)),
        )
        .where(*readings_filter)
        .group_by(reading.team_id, reading.metric, reading.day, reading.platform)
    )
    # A campaign's day under the account-wide rule: its readings without a platform when it
    # has any, else its per-platform account-level readings, else its posts' own results;
    # never two of them added up.
    per_campaign = (
        select(
            reading.team_id,
            literal(RollupDimension.CAMPAIGN.value),
            reading.metric,
            reading.day,
            reading.campaign,
            func.coalesce(
                func.sum(reading.value).filter(account_wide),
                func.sum(reading.value).filter(account_level),
                func.sum(reading.value),
            ),
            func.coalesce(
                func.max(reading.value).filter(account_wide),
                func.max(reading.value).filter(account_level),
                func.max(reading.value),
            ),
        )
        .where(*readings_filter)
        .group_by(reading.team_id, reading.metric, reading.day, reading.campaign)
    )
    return per_platform, per_campaign
