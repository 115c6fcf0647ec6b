"""Campaigns of one workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmbot.domain.utm import slugify_campaign
from smmbot.persistence.models import Campaign


class CampaignRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def all(self) -> list[Campaign]:
        return list(self._session.scalars(select(Campaign).where(Campaign.team_id == self.team_id)))

    def names_by_utm_slug(self) -> dict[str, str]:
        """Each campaign's name under the slug its links carry as `utm_campaign`: how a label
        that only knows the slug (GA4's `sessionCampaignName`, a short link, a share-bar
        beacon) finds the campaign it belongs to. A slug that is not here belongs to none."""
        return {slugify_campaign(c.name): c.name for c in self.all()}

    def by_name(self, name: str) -> Campaign | None:
        return self._session.scalars(
            select(Campaign).where(
                Campaign.team_id == self.team_id, Campaign.name_key == name.casefold()
            )
        ).one_or_none()

    def by_id(self, campaign_id: int) -> Campaign | None:
        return self._session.scalars(
            select(Campaign).where(Campaign.team_id == self.team_id, Campaign.id == campaign_id)
        ).one_or_none()

    def add(self, campaign: Campaign) -> Campaign:
        campaign.team_id = self.team_id
        campaign.name_key = campaign.name.casefold()
        self._session.add(campaign)
        self._session.flush()
        return campaign
