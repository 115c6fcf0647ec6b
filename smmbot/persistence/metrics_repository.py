"""Metric readings of one workspace, and the one lookup that finds a workspace by its API token."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from smmbot.persistence.models import MetricReading, Workspace
from smmbot.persistence.rollups import touch

ReadingKey = tuple[date, str, str, str]
"""(day, metric, campaign, platform)."""
SourcedKey = tuple[date, str, str, str, str]
"""(day, metric, campaign, platform, source): a reading's unique key within a workspace."""


@dataclass(frozen=True, slots=True)
class Upserted:
    """What an upsert did: ``previous`` is the value it replaced, None when the row is new."""

    reading: MetricReading
    previous: Decimal | None


class MetricRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def upsert(
        self,
        *,
        day: date,
        metric: str,
        value: Decimal,
        campaign: str = "",
        platform: str = "",
        source: str,
        recorded_by: str | None,
        now: datetime,
    ) -> Upserted:
        """Save a reading, replacing the one with the same key (day, metric, campaign, platform,
        source). Select-then-write inside the caller's transaction works on every database and
        tells the caller the value it replaced; the unique constraint still guards against a
        concurrent writer (that transaction fails instead of double counting)."""
        reading = self._session.scalars(
            select(MetricReading).where(
                MetricReading.team_id == self.team_id,
                MetricReading.day == day,
                MetricReading.metric == metric,
                MetricReading.campaign == campaign,
                MetricReading.platform == platform,
                MetricReading.source == source,
            )
        ).one_or_none()
        previous = None if reading is None else reading.value
        if reading is None:
            reading = MetricReading(
                team_id=self.team_id,
                day=day,
                metric=metric,
                campaign=campaign,
                platform=platform,
                source=source,
            )
            self._session.add(reading)
        reading.value = value
        reading.recorded_by = recorded_by
        reading.updated_at = now
        self._session.flush()
        return Upserted(reading, previous)

    def remove_sources_of(
        self, *, day: date, metric: str, campaign: str, platform: str, sources: Collection[str]
    ) -> list[str]:
        """Deletes the readings `sources` wrote for this day, metric, campaign and platform (a
        member's own number replaces a connector's); returns which sources had one."""
        removed = self._session.scalars(
            delete(MetricReading)
            .where(
                MetricReading.team_id == self.team_id,
                MetricReading.day == day,
                MetricReading.metric == metric,
                MetricReading.campaign == campaign,
                MetricReading.platform == platform,
                MetricReading.source.in_(sources),
            )
            .returning(MetricReading.source)
        ).all()
        touch(self._session, self.team_id, {day} if removed else set(), {metric})
        return sorted(removed)

    def sources_between(self, start: date, end: date) -> list[str]:
        """The distinct sources of the readings on these days, in a stable order."""
        return list(
            self._session.scalars(
                select(MetricReading.source)
                .where(MetricReading.team_id == self.team_id, MetricReading.day.between(start, end))
                .distinct()
                .order_by(MetricReading.source)
            )
        )

    def manual_keys(self, days: Collection[date], manual_source: str) -> set[ReadingKey]:
        """(day, metric, campaign, platform) a member logged by hand on these days."""
        if not days:
            return set()
        rows = self._session.execute(
            select(
                MetricReading.day,
                MetricReading.metric,
                MetricReading.campaign,
                MetricReading.platform,
            ).where(
                MetricReading.team_id == self.team_id,
                MetricReading.source == manual_source,
                MetricReading.day.between(min(days), max(days)),
            )
        ).all()
        return {(day, metric, campaign, platform) for day, metric, campaign, platform in rows}

    def upsert_many(
        self, values: Mapping[SourcedKey, Decimal], *, recorded_by: str | None, now: datetime
    ) -> int:
        """Saves many readings with one read of the rows they may replace, one INSERT for the
        new ones and one flush for the changed: a 90-day backfill is thousands of readings, and
        a statement per reading would dominate it. Returns how many rows were new or changed."""
        if not values:
            return 0
        days = [key[0] for key in values]
        sources = {key[4] for key in values}
        existing = {
            (r.day, r.metric, r.campaign, r.platform, r.source): r
            for r in self._session.scalars(
                select(MetricReading).where(
                    MetricReading.team_id == self.team_id,
                    MetricReading.source.in_(sources),
                    MetricReading.day.between(min(days), max(days)),
                )
            )
        }
        fresh: list[dict[str, object]] = []
        changed = 0
        for key, value in values.items():
            reading = existing.get(key)
            if reading is None:
                day, metric, campaign, platform, source = key
                fresh.append(
                    {
                        "team_id": self.team_id, "day": day, "metric": metric,
                        "campaign": campaign, "platform": platform, "source": source,
                        "value": value, "recorded_by": recorded_by, "updated_at": now,
                    }
                )  # fmt: skip
            elif reading.value != value:
                reading.value = value
                reading.recorded_by = recorded_by
                reading.updated_at = now
                changed += 1
        if fresh:  # one multi-row INSERT; Core bypasses the flush hook, so mark the roll-up
            self._session.execute(insert(MetricReading), fresh)
            touch(
                self._session, self.team_id, {key[0] for key in values}, {key[1] for key in values}
            )
        self._session.flush()
        return changed + len(fresh)

    def delete_source(self, source: str) -> None:
        """Remove every reading `source` wrote; a bulk delete bypasses the flush, so the days
        and metrics it removed are marked for the roll-up here."""
        removed = self._session.execute(
            delete(MetricReading)
            .where(MetricReading.team_id == self.team_id, MetricReading.source == source)
            .returning(MetricReading.day, MetricReading.metric)
        ).all()
        touch(
            self._session,
            self.team_id,
            {day for day, _ in removed},
            {metric for _, metric in removed},
        )

    def all(self) -> list[MetricReading]:
        return list(
            self._session.scalars(
                select(MetricReading)
                .where(MetricReading.team_id == self.team_id)
                .order_by(MetricReading.day, MetricReading.metric, MetricReading.id)
            )
        )


def token_hash(token: str) -> str:
    """Only this SHA-256 is stored: a leaked database does not leak working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def workspace_by_token(session: Session, token: str) -> Workspace | None:
    """The workspace a metrics API token belongs to.

    Deliberately not bound to a team id: on `POST /api/metrics` the token is the only thing that
    says which workspace is calling, so this lookup is how the team id is learnt in the first
    place. Everything after it goes through the team-bound repositories.
    """
    if not token:
        return None
    return session.scalars(
        select(Workspace).where(Workspace.metrics_token_hash == token_hash(token))
    ).one_or_none()
