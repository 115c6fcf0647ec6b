"""A workspace's published posts with their results, as the insights maths wants them.

The pillar of a post is its template's (built-in or the workspace's own); a post without a
template has none. Shared by `/smm insights`, `schedule best`, the digest's "What worked" and
the reply to a post's logged result.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from smmbot.domain.insights import PublishedPost
from smmbot.persistence.insights_repository import InsightsRepository
from smmbot.persistence.templates_repository import CustomTemplateRepository
from smmbot.rendering.post_library import builtin_templates


def _pillars(session: Session, team_id: str) -> dict[str, str]:
    pillars = {name: t.pillar.value for name, t in builtin_templates().items()}
    for row in CustomTemplateRepository(session, team_id).list_all():
        pillars[row.name] = row.pillar
    return pillars


def published_posts(
    session: Session, team_id: str, *, since: datetime, until: datetime
) -> list[PublishedPost]:
    return InsightsRepository(session, team_id).list_published(
        since=since, until=until, pillars=_pillars(session, team_id)
    )


def post_of(session: Session, team_id: str, item_id: int) -> PublishedPost | None:
    """One published post with its results (after a result was logged)."""
    found = InsightsRepository(session, team_id).list_published(
        pillars=_pillars(session, team_id), item_id=item_id
    )
    return found[0] if found else None
