"""Campaigns of one workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmbot.persistence.models import Campaign


class CampaignRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def all(self) -> list[Campaign]:
        return list(self._session.scalars(select(Campaign).where(Campaign.team_id == self.team_id)))

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
