"""Drafts of one workspace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from smmbot.persistence.models import Draft, DraftVariant
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
