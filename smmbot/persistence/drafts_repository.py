"""Drafts of one workspace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmbot.persistence.models import Draft, DraftVariant


class DraftRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def get(self, draft_id: int) -> Draft | None:
        return self._session.scalars(
            select(Draft).where(Draft.team_id == self.team_id, Draft.id == draft_id)
        ).one_or_none()

    def save(
        self,
        *,
        draft: Draft | None,
        author_id: str,
        template_name: str,
        language: str,
        variables: Mapping[str, str],
        campaign: str | None,
        variants: Sequence[tuple[str, str]],
        now: datetime,
    ) -> Draft:
        """Creates a draft, or replaces an existing one's content when it is edited."""
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
