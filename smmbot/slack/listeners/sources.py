"""The account picker's buttons after signing in to a metric source."""

from __future__ import annotations

from smmbot.rendering.sources import PICK_ACTION
from smmbot.services.sources_sign_in import pick_account
from smmbot.slack.listeners.interactions import ButtonService

BUTTONS: dict[str, ButtonService] = {PICK_ACTION: pick_account}
