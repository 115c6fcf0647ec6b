"""The competitors of one workspace and their per-day readings.

Readings are written with one `INSERT … ON CONFLICT DO UPDATE` per batch, so a sync that reads
the same day again, or two members logging the same day at once, keep one value per competitor,
day and metric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from smmbot.persistence.models import Competitor, CompetitorReading
from smmbot.persistence.team_scoped import TeamScopedRepository

MANUAL = "manual"
"""What a member typed wins over what a sync reads for the same day, as for our own readings."""
ReadingKey = tuple[int, date, str]
"""(competitor id, day, metric)."""


class CompetitorRepository(TeamScopedRepository):
    def list_all(self) -> list[Competitor]:
        return list(self._session.scalars(self._select(Competitor).order_by(Competitor.name_key)))

    def count_all(self) -> int:
        return len(self.list_all())

    def find_by_name(self, key: str) -> Competitor | None:
        return self._session.scalars(
            self._select(Competitor, Competitor.name_key == key)
        ).one_or_none()

    def add(
        self, *, name: str, key: str, instagram: str, facebook: str, by: str, now: datetime
    ) -> Competitor:
        row = Competitor(
            name=name,
            name_key=key,
            instagram=instagram,
            facebook=facebook,
            status="found",
            created_by=by,
            created_at=now,
        )
        return self._add(row)

    def remove(self, competitor: Competitor) -> None:
        self._session.execute(
            self._delete(CompetitorReading, CompetitorReading.competitor_id == competitor.id)
        )
        self._session.delete(competitor)
        self._session.flush()

    def list_readings(self, ids: Sequence[int], since: date) -> list[CompetitorReading]:
        return list(
            self._session.scalars(
                self._select(
                    CompetitorReading,
                    CompetitorReading.competitor_id.in_(ids),
                    CompetitorReading.day >= since,
                ).order_by(CompetitorReading.day)
            )
        )

    def upsert_readings(
        self, values: Mapping[ReadingKey, Decimal], *, source: str, now: datetime
    ) -> None:
        """One value per competitor, day and metric; a sync never replaces a manual one."""
        if not values:
            return
        statement = self._upsert_insert(CompetitorReading)
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["competitor_id", "day", "metric"],
                set_={
                    "value": statement.excluded.value,
                    "source": statement.excluded.source,
                    "updated_at": statement.excluded.updated_at,
                },
                where=None if source == MANUAL else CompetitorReading.source != MANUAL,
            ),
            [
                {
                    "team_id": self.team_id, "competitor_id": competitor_id, "day": day,
                    "metric": metric, "value": value, "source": source, "updated_at": now,
                }
                for (competitor_id, day, metric), value in sorted(values.items())
            ],
        )  # fmt: skip
