"""Drafts of one workspace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from smmbot.persistence.models import CalendarItem, Draft, DraftVariant
from smmbot.persistence.team_scoped import TeamScopedRepository


class DraftRepository(TeamScopedRepository):
    def get(self, draft_id: int) -> Draft | None:
        return self._session.scalars(self._select(Draft, Draft.id == draft_id)).one_or_none()

    def upsert(
        self,
        *,
        draft_id: int | None,
        author_id: str,
        template_name: str,
        language: str,
        variables: Mapping[str, str],
        campaign: str | None,
        variants: Sequence[tuple[str, str]],
        now: datetime,
    ) -> Draft:
        """Creates a draft, or replaces the content of the workspace's draft `draft_id` when it
        is edited (one that is gone by now is created again)."""
        draft = self.get(draft_id) if draft_id is not None else None
        if draft is None:
            draft = Draft(team_id=self.team_id, created_at=now)
            self._session.add(draft)
        draft.author_id = author_id
        draft.template_name = template_name
        draft.language = language
        draft.variables = dict(variables)
        draft.campaign = campaign
        draft.variants.clear()
        self._session.flush()
        draft.variants.extend(
            DraftVariant(platform=platform, position=position, text=text)
            for position, (platform, text) in enumerate(variants)
        )
        self._session.flush()
        return draft

    def list_page(
        self, *, author_id: str | None, offset: int, limit: int
    ) -> tuple[list[Draft], int]:
        """Newest first (`author_id`: only theirs), with their variants, and how many in all."""
        scope = [] if author_id is None else [Draft.author_id == author_id]
        total = self._session.scalar(
            select(func.count()).select_from(Draft).where(self._scoped(Draft, *scope))
        )
        drafts = self._session.scalars(
            self._select(Draft, *scope)
            .order_by(Draft.created_at.desc(), Draft.id.desc())
            .offset(offset)
            .limit(limit)
            .options(selectinload(Draft.variants))
        )
        return list(drafts), int(total or 0)

    def list_items_of(self, draft_ids: Sequence[int]) -> list[CalendarItem]:
        """The calendar items made from these drafts, soonest first."""
        if not draft_ids:
            return []
        return list(
            self._session.scalars(
                self._select(CalendarItem, CalendarItem.draft_id.in_(draft_ids)).order_by(
                    CalendarItem.due_at, CalendarItem.id
                )
            )
        )

    def remove(self, draft: Draft) -> None:
        """The draft and its versions; items made from it keep their own copy of the text and
        lose only the link (set here too, so no database's foreign-key setting matters)."""
        for item in self.list_items_of([draft.id]):
            item.draft_id = None
        self._session.delete(draft)
        self._session.flush()
