"""The digest's "Competitors" part: each competitor's followers and the week's growth next to
ours, with their posts a week and engagement per post over the last four weeks.

Read in the digest's own transaction, from the competitors' readings only; our side is the
digest's own followers line, so the two can never be mixed.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from smmbot.domain.competitors import FOLLOWERS, GROWTH_WEEKS, DayReading, standing
from smmbot.domain.digest import Digest
from smmbot.persistence.competitors_repository import CompetitorRepository
from smmbot.rendering import competitors as replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Block


def competitor_blocks(
    session: Session, team_id: str, digest: Digest, end: date, tr: Translator
) -> list[Block]:
    """`end`: the digest week's last day with numbers (its Sunday, or today mid-week)."""
    repository = CompetitorRepository(session, team_id)
    competitors = repository.list_all()
    if not competitors:
        return []
    since = end - timedelta(weeks=GROWTH_WEEKS + 1)
    per: dict[int, list[DayReading]] = {c.id: [] for c in competitors}
    for r in repository.list_readings(list(per), since):
        if r.day <= end:
            per[r.competitor_id].append(DayReading(r.day, r.metric, r.value))
    rows = [
        (c.name, standing(per[c.id], end, weeks=1), standing(per[c.id], end)) for c in competitors
    ]
    ours = next((m for m in digest.summary.smo.metrics if m.name == FOLLOWERS), None)
    followers = (ours.value, ours.growth) if ours is not None else (None, None)
    return replies.digest_part(tr, followers, rows)
