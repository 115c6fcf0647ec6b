"""The demo's published posts with their own results, so `insights` and the digest's "What
worked" have something true to say about the sample workspace.

Eight weeks of Instagram and Facebook posts at the same few times each week, each from a
built-in template (a draft of it), with reach and interactions logged per post as a team would
with `/smm log likes 120 post=<id>`. Thursday evenings and the behind-the-scenes template do
best, so the rankings tell one clear story; the numbers are seeded random, the same each run.
The account-level demo readings of the same days stay the totals' source (a post never adds to
them).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.insights import post_source
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.metrics_repository import MetricRepository, SourcedKey
from smmbot.persistence.models import CalendarItem, Draft
from smmbot.services.context import Actor

DEMO_SOURCE = "demo"


class _Slot(NamedTuple):
    platform: str
    weekday: int
    hour: int
    template: str
    rate: float
    """The slot's usual engagement rate; each post varies around it."""
    text: str


_SLOTS: Final = (
    _Slot("instagram", 1, 12, "tips", 0.035, "3 tips menyeduh kopi susu di rumah ☕"),
    _Slot(
        "instagram", 3, 19, "behind-the-scenes", 0.07,
        "Di balik layar: malam sangrai biji kopi Gayo kami, langsung dari dapur",
    ),
    _Slot(
        "instagram", 5, 10, "promo", 0.03,
        "Promo akhir pekan: Kopi Susu Gula Aren 2 gelas Rp35.000 https://kopinusantara.id/menu",
    ),
    _Slot("instagram", 6, 19, "behind-the-scenes", 0.05, "Kenalan dengan barista kami, Sari"),
    _Slot(
        "facebook", 0, 9, "blog-share", 0.02,
        "Baca di blog: asal-usul kopi Toraja https://kopinusantara.id/blog/toraja",
    ),
    _Slot("facebook", 4, 12, "promo", 0.03, "Jumat hemat: diskon 20% semua menu sampai jam 3"),
)  # fmt: skip


def _results(slot: _Slot, rng: random.Random) -> dict[str, Decimal]:
    reach = rng.randint(600, 1400)
    engaged = reach * slot.rate * rng.uniform(0.8, 1.2)
    likes = int(engaged * 0.75)
    comments = int(engaged * 0.1)
    saves = int(engaged * 0.1)
    shares = max(int(engaged) - likes - comments - saves, 0)
    return {
        "reach": Decimal(reach),
        "likes": Decimal(likes),
        "comments": Decimal(comments),
        "shares": Decimal(shares),
        "saves": Decimal(saves),
    }


def add_demo_posts(
    session: Session, actor: Actor, *, today: date, weeks: int, now: datetime
) -> int:
    """Published posts of the last `weeks` weeks (only those already due), with results."""
    rng = random.Random(14)  # noqa: S311  (sample data, not security)
    zone = ZoneInfo(actor.timezone)
    calendar = CalendarRepository(session, actor.team_id)
    monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    results: dict[SourcedKey, Decimal] = {}
    for week in range(weeks):
        for slot in _SLOTS:
            day = monday + timedelta(weeks=week, days=slot.weekday)
            due_at = datetime.combine(day, time(slot.hour), tzinfo=zone)
            if due_at >= now:
                continue
            draft = Draft(
                team_id=actor.team_id, author_id=DEMO_SOURCE, template_name=slot.template,
                language="id", variables={}, campaign=None, created_at=now,
            )  # fmt: skip
            session.add(draft)
            session.flush()
            item = calendar.add(
                CalendarItem(
                    due_at=due_at, timezone=actor.timezone, text=slot.text,
                    platform=slot.platform, campaign_id=None, draft_id=draft.id,
                    channel_id=actor.channel_id or "", owner_id=actor.user_id,
                    status="published", published_url=f"https://example.com/p/{week}{slot.hour}",
                    created_by=DEMO_SOURCE, created_at=now, updated_at=now,
                )
            )  # fmt: skip
            for metric, value in _results(slot, rng).items():
                results[(day, metric, "", slot.platform, post_source(item.id))] = value
    MetricRepository(session, actor.team_id).upsert_batch(
        results, recorded_by=actor.user_id, now=now
    )
    return len({key[4] for key in results})
