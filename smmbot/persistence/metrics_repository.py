"""Metric readings of one workspace, and the one lookup that finds a workspace by its API token."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Select, Table, insert, select
from sqlalchemy.orm import Session

from smmbot.persistence.models import MetricReading, Workspace
from smmbot.persistence.rollups import touch
from smmbot.persistence.team_scoped import TeamScopedRepository

ReadingKey = tuple[date, str, str, str]
"""(day, metric, campaign, platform)."""
SourcedKey = tuple[date, str, str, str, str]
"""(day, metric, campaign, platform, source): a reading's unique key within a workspace."""
_UNIQUE_KEY = ["team_id", "day", "metric", "campaign", "platform", "source"]


@dataclass(frozen=True, slots=True)
class Upserted:
    """What an upsert did: ``previous`` is the value it replaced, None when the row is new."""

    reading: MetricReading
    previous: Decimal | None


class MetricRepository(TeamScopedRepository):
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
        source), and say which value it replaced. Insert-if-absent first, then update the row
        under a lock: a read-then-insert lost to a teammate (or replica) inserting the same key
        at the same moment and failed on the unique key. The insert waits for such a writer
        and then does nothing, so the locked read that follows sees its value as `previous`."""
        key = {"day": day, "metric": metric, "campaign": campaign, "platform": platform}
        written = {"value": value, "recorded_by": recorded_by, "updated_at": now}
        while (inserted := self._insert_if_absent(key | {"source": source} | written)) is None:
            reading = self._session.scalars(
                self._keyed(key, source).with_for_update(),
                execution_options={"populate_existing": True},
            ).one_or_none()
            if reading is not None:  # else deleted since the insert found it: insert again
                previous = reading.value
                reading.value = value
                reading.recorded_by = recorded_by
                reading.updated_at = now
                self._session.flush()
                return Upserted(reading, previous)
        return Upserted(inserted, None)

    def upsert_batch(
        self, values: Mapping[SourcedKey, Decimal], *, recorded_by: str | None, now: datetime
    ) -> None:
        """Save many readings, each replacing the one with its key, as one `INSERT … ON CONFLICT
        DO UPDATE` executed for all of them: a file of 10,000 rows took 20 s as 10,000 `upsert`
        calls, holding SQLite's write lock all along. The database settles a concurrent writer
        of the same key row by row, as `upsert` does, and rows go in key order, so two batches
        sharing keys wait for each other instead of deadlocking. Unlike `upsert_many` (the
        connectors', which counts what changed) this reads nothing first."""
        if not values:
            return
        statement = self._upsert_insert(MetricReading)
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=_UNIQUE_KEY,
                set_={
                    "value": statement.excluded.value,
                    "recorded_by": statement.excluded.recorded_by,
                    "updated_at": statement.excluded.updated_at,
                },
            ),
            [
                {
                    "team_id": self.team_id, "day": day, "metric": metric, "campaign": campaign,
                    "platform": platform, "source": source, "value": value,
                    "recorded_by": recorded_by, "updated_at": now,
                }
                for (day, metric, campaign, platform, source), value in sorted(values.items())
            ],
        )  # fmt: skip
        touch(self._session, self.team_id, {key[0] for key in values}, {key[1] for key in values})

    def increment(
        self,
        *,
        day: date,
        metric: str,
        by: int,
        campaign: str = "",
        platform: str = "",
        source: str,
        now: datetime,
    ) -> None:
        """Add `by` to a counter reading our own tracking writes (share bar, short links),
        creating it at `by`. One `INSERT … ON CONFLICT DO UPDATE value = value + by`, so two
        writers of one day add up, whether or not the row existed before either of them."""
        statement = self._upsert_insert(MetricReading).values(
            team_id=self.team_id, day=day, metric=metric, campaign=campaign,
            platform=platform, source=source, value=Decimal(by), recorded_by=None,
            updated_at=now,
        )  # fmt: skip
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=_UNIQUE_KEY,
                set_={
                    "value": MetricReading.value + statement.excluded.value,
                    "recorded_by": None,
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )
        touch(self._session, self.team_id, {day}, {metric})

    def _insert_if_absent(self, values: dict[str, object]) -> MetricReading | None:
        """The new row, or None when one with its key exists (committed, or committed by the
        concurrent writer this waited for). Core bypasses the flush hook: mark the roll-up."""
        statement = (
            self._upsert_insert(MetricReading)
            .values(team_id=self.team_id, **values)
            .on_conflict_do_nothing(index_elements=_UNIQUE_KEY)
            .returning(MetricReading)
        )
        inserted = self._session.scalars(
            statement, execution_options={"populate_existing": True}
        ).one_or_none()
        if inserted is not None:
            touch(self._session, self.team_id, {inserted.day}, {inserted.metric})
        return inserted

    def _keyed(self, key: Mapping[str, object], source: str) -> Select[MetricReading]:
        """The reading with this unique key, as a query to lock or read."""
        return self._select(
            MetricReading,
            MetricReading.day == key["day"],
            MetricReading.metric == key["metric"],
            MetricReading.campaign == key["campaign"],
            MetricReading.platform == key["platform"],
            MetricReading.source == source,
        )

    def remove_sources_of(
        self, *, day: date, metric: str, campaign: str, platform: str, sources: Collection[str]
    ) -> list[str]:
        """Deletes the readings `sources` wrote for this day, metric, campaign and platform (a
        member's own number replaces a connector's); returns which sources had one."""
        removed = self._session.scalars(
            self._delete(
                MetricReading,
                MetricReading.day == day,
                MetricReading.metric == metric,
                MetricReading.campaign == campaign,
                MetricReading.platform == platform,
                MetricReading.source.in_(sources),
            ).returning(MetricReading.source)
        ).all()
        touch(self._session, self.team_id, {day} if removed else set(), {metric})
        return sorted(removed)

    def list_sources_between(self, start: date, end: date) -> list[str]:
        """The distinct sources of the readings on these days, in a stable order."""
        return list(
            self._session.scalars(
                select(MetricReading.source)
                .where(self._scoped(MetricReading, MetricReading.day.between(start, end)))
                .distinct()
                .order_by(MetricReading.source)
            )
        )

    def list_manual_keys(self, days: Collection[date], manual_source: str) -> set[ReadingKey]:
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
                self._scoped(
                    MetricReading,
                    MetricReading.source == manual_source,
                    MetricReading.day.between(min(days), max(days)),
                )
            )
        ).all()
        return {(day, metric, campaign, platform) for day, metric, campaign, platform in rows}

    def upsert_many(
        self, values: Mapping[SourcedKey, Decimal], *, recorded_by: str | None, now: datetime
    ) -> int:
        """Saves many readings with one read of the rows they may replace, one INSERT for the
        new ones (into the Table: the ORM bulk path's per-row work was a fifth of it; Core skips
        the flush hook, so the roll-up is marked here) and one flush for the changed: a 90-day
        backfill is thousands of readings, and a statement per reading would dominate it."""
        if not values:
            return 0
        days = [key[0] for key in values]
        sources = {key[4] for key in values}
        existing = {
            (r.day, r.metric, r.campaign, r.platform, r.source): r
            for r in self._session.scalars(
                self._select(
                    MetricReading,
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
        if fresh:
            self._session.execute(insert(cast(Table, MetricReading.__table__)), fresh)
            touch(self._session, self.team_id, {k[0] for k in values}, {k[1] for k in values})
        self._session.flush()
        return changed + len(fresh)  # how many rows were new or changed

    def remove_source(self, source: str) -> None:
        """Remove every reading `source` wrote; a bulk delete bypasses the flush, so the days
        and metrics it removed are marked for the roll-up here."""
        removed = self._session.execute(
            self._delete(MetricReading, MetricReading.source == source).returning(
                MetricReading.day, MetricReading.metric
            )
        ).all()
        touch(
            self._session,
            self.team_id,
            {day for day, _ in removed},
            {metric for _, metric in removed},
        )

    def list_all(self) -> list[MetricReading]:
        return list(
            self._session.scalars(
                self._select(MetricReading).order_by(
                    MetricReading.day, MetricReading.metric, MetricReading.id
                )
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
