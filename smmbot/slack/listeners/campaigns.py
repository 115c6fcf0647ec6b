"""The campaign form (`/smm campaign new` without its fields)."""

from __future__ import annotations

from smmbot.rendering.campaigns import CAMPAIGN_FORM_CALLBACK
from smmbot.services import campaigns
from smmbot.slack.listeners.interactions import FormSubmitter

FORMS: dict[str, FormSubmitter] = {
    CAMPAIGN_FORM_CALLBACK: campaigns.submit_campaign_form,
}
