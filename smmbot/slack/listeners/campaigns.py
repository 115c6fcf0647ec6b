"""The campaign form (`/smm campaign new` without its fields)."""

from __future__ import annotations

from smmbot.rendering.campaigns import CAMPAIGN_FORM_CALLBACK
from smmbot.services import campaigns
from smmbot.services.interactions import Form

FORMS: dict[str, Form] = {
    CAMPAIGN_FORM_CALLBACK: Form(campaigns.submit_campaign_form),
}
