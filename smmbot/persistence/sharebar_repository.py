"""The share bar's public key of one workspace, and the lookup a share beacon starts from."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmbot.domain.sharebar import READING_SOURCE
from smmbot.persistence.models import MetricReading, ShareBarKey, Workspace
from smmbot.persistence.team_scoped import TeamScopedRepository

KEY_BYTES = 12  # 16 URL-safe characters: unguessable, yet short enough to paste


class ShareBarRepository(TeamScopedRepository):
    def public_key(self, *, now: datetime) -> str:
        """The workspace's key, drawn the first time it is asked for and kept from then on."""
        row = self._session.get(ShareBarKey, self.team_id)
        if row is None:
            key = secrets.token_urlsafe(KEY_BYTES)
            row = self._add(ShareBarKey(public_key=key, created_at=now))
        return row.public_key

    def shares_by_network(self, first_day: date, last_day: date) -> dict[str, int]:
        """Shares the website's bar counted per network over these days (few rows: one per
        network and day), for the digest's SMO part."""
        rows = self._session.execute(
            select(MetricReading.platform, func.sum(MetricReading.value))
            .where(
                self._scoped(
                    MetricReading,
                    MetricReading.metric == "shares",
                    MetricReading.source == READING_SOURCE,
                    MetricReading.day >= first_day,
                    MetricReading.day <= last_day,
                )
            )
            .group_by(MetricReading.platform)
        ).all()
        return {platform: int(total) for platform, total in rows if total}


def workspace_by_share_key(session: Session, public_key: str) -> Workspace | None:
    """Unscoped on purpose, like `find_by_code`: an anonymous beacon names only the key, and the
    workspace found is what every later (scoped) write goes under."""
    return session.scalars(
        select(Workspace)
        .join(ShareBarKey, ShareBarKey.team_id == Workspace.team_id)
        .where(ShareBarKey.public_key == public_key)
    ).one_or_none()
