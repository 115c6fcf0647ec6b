"""A workspace's published posts with their own results, for insights and "What worked".

A post's results are the readings whose source is `post:<item id>` (see `domain.insights`);
its template is the one of the draft it came from, its pillar that template's pillar.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from smmbot.domain.insights import POST_SOURCE_PREFIX, PublishedPost, post_id, post_source
from smmbot.persistence.models import CalendarItem, Campaign, Draft, MetricReading
from smmbot.persistence.rollups import touch
from smmbot.persistence.team_scoped import TeamScopedRepository

PUBLISHED = "published"


class InsightsRepository(TeamScopedRepository):
    def list_published(
        self,
        *,
        pillars: Mapping[str, str],
        since: datetime | None = None,
        until: datetime | None = None,
        item_id: int | None = None,
    ) -> list[PublishedPost]:
        """Published posts on a platform (due in [since, until), or the one `item_id`), with
        the results they have; `pillars` maps a template name to its pillar."""
        window = []
        if since is not None and until is not None:
            window = [CalendarItem.due_at >= since, CalendarItem.due_at < until]
        if item_id is not None:
            window.append(CalendarItem.id == item_id)
        rows = self._session.execute(
            select(CalendarItem, Draft.template_name)
            .outerjoin(Draft, Draft.id == CalendarItem.draft_id)
            .where(
                self._scoped(
                    CalendarItem,
                    CalendarItem.status == PUBLISHED,
                    CalendarItem.platform.is_not(None),
                    *window,
                )
            )
            .order_by(CalendarItem.due_at, CalendarItem.id)
        ).all()
        results = self._results({item.id for item, _ in rows})
        return [
            PublishedPost(
                item_id=item.id,
                platform=item.platform or "",
                published_at=item.due_at,
                text=item.text,
                template=template or "",
                pillar=pillars.get(template or "", ""),
                results=results.get(item.id, {}),
            )
            for item, template in rows
        ]

    def _results(self, item_ids: set[int]) -> dict[int, dict[str, Decimal]]:
        if not item_ids:
            return {}
        found: dict[int, dict[str, Decimal]] = {}
        for source, metric, value in self._session.execute(
            select(MetricReading.source, MetricReading.metric, MetricReading.value).where(
                self._scoped(MetricReading, MetricReading.source.like(f"{POST_SOURCE_PREFIX}%"))
            )
        ):
            item_id = post_id(source)
            if item_id in item_ids:
                found.setdefault(item_id, {})[metric] = value
        return found

    def list_linked_since(
        self, since: datetime, platforms: tuple[str, ...]
    ) -> list[tuple[CalendarItem, str]]:
        """Published posts on `platforms` due since `since` that carry their link, with their
        campaign's name ("" without one): the posts a connector can look up."""
        rows = self._session.execute(
            select(CalendarItem, Campaign.name)
            .outerjoin(Campaign, Campaign.id == CalendarItem.campaign_id)
            .where(
                self._scoped(
                    CalendarItem,
                    CalendarItem.status == PUBLISHED,
                    CalendarItem.platform.in_(platforms),
                    CalendarItem.published_url.is_not(None),
                    CalendarItem.due_at >= since,
                )
            )
            .order_by(CalendarItem.due_at, CalendarItem.id)
        ).all()
        return [(item, name or "") for item, name in rows]

    def remove_made_by(self, creator: str) -> None:
        """The posts' own results and the drafts of what `creator` (the demo) made; its
        calendar items go with `CalendarRepository.remove_created_by`."""
        items = self._session.scalars(
            select(CalendarItem.id).where(
                self._scoped(CalendarItem, CalendarItem.created_by == creator)
            )
        ).all()
        sources = [post_source(item_id) for item_id in items]
        removed = self._session.execute(
            self._delete(MetricReading, MetricReading.source.in_(sources)).returning(
                MetricReading.day, MetricReading.metric
            )
        ).all()
        touch(self._session, self.team_id, {d for d, _ in removed}, {m for _, m in removed})
        self._session.execute(self._delete(Draft, Draft.author_id == creator))
