"""Campaigns of one workspace."""

from __future__ import annotations

from smmbot.domain.utm import slugify_campaign
from smmbot.persistence.models import Campaign
from smmbot.persistence.team_scoped import TeamScopedRepository


class CampaignRepository(TeamScopedRepository):
    def list_all(self) -> list[Campaign]:
        return list(self._session.scalars(self._select(Campaign)))

    def names_by_utm_slug(self) -> dict[str, str]:
        """Each campaign's name under the slug its links carry as `utm_campaign`: how a label
        that only knows the slug (GA4's `sessionCampaignName`, a short link, a share-bar
        beacon) finds the campaign it belongs to. A slug that is not here belongs to none."""
        return {slugify_campaign(c.name): c.name for c in self.list_all()}

    def find_by_name(self, name: str) -> Campaign | None:
        return self._session.scalars(
            self._select(Campaign, Campaign.name_key == name.casefold())
        ).one_or_none()

    def get(self, campaign_id: int) -> Campaign | None:
        return self._session.scalars(
            self._select(Campaign, Campaign.id == campaign_id)
        ).one_or_none()

    def add(self, campaign: Campaign) -> Campaign:
        campaign.name_key = campaign.name.casefold()
        return self._add(campaign)
