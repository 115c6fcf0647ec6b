"""Two sample competitors for `demo`, with eight weeks of readings, so `competitor list` and the
digest's "Competitors" part show a story at once: one growing faster than the demo shop but
posting less, one bigger and slower. Seeded, so every run tells the same story."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from smmbot.domain.competitors import ENGAGEMENTS, FOLLOWERS, POSTS, name_key
from smmbot.persistence.competitors_repository import CompetitorRepository, ReadingKey

DEMO_SOURCE = "demo"
_RIVALS = (
    # name, Instagram handle, followers on the first day, daily growth, posts a day, per post
    ("Kopi Senja", "kopisenja.id", 2400, 14, 0.4, (90, 160)),
    ("Warung Kopi Pagi", "warkoppagi", 6800, 5, 0.8, (40, 90)),
)


def add_demo_competitors(
    session: Session, team_id: str, user_id: str, days: tuple[date, date], now: datetime
) -> int:
    """Replaces the demo's own competitors (never one a member added under the same name)."""
    first, last = days
    repository = CompetitorRepository(session, team_id)
    rng = random.Random(20261202)  # noqa: S311  (sample data, not security)
    values: dict[ReadingKey, Decimal] = {}
    added = 0
    for name, handle, start, growth, pace, per_post in _RIVALS:
        existing = repository.find_by_name(name_key(name))
        if existing is not None and existing.created_by != DEMO_SOURCE:
            continue
        if existing is not None:
            repository.remove(existing)
        rival = repository.add(
            name=name, key=name_key(name), instagram=handle, facebook="", by=DEMO_SOURCE, now=now
        )
        added += 1
        for index in range((last - first).days + 1):
            day = first + timedelta(days=index)
            values[(rival.id, day, FOLLOWERS)] = Decimal(start + growth * index + rng.randint(0, 6))
            posts = sum(1 for _ in range(2) if rng.random() < pace / 2)
            if posts:
                values[(rival.id, day, POSTS)] = Decimal(posts)
                values[(rival.id, day, ENGAGEMENTS)] = Decimal(posts * rng.randint(*per_post))
    repository.upsert_readings(values, source=DEMO_SOURCE, now=now)
    return added
