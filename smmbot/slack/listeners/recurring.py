"""The **Cancel series** button of a repeating post (its occurrences' own buttons are the
calendar's)."""

from __future__ import annotations

from typing import Any

from smmbot.domain.payloads import button_record_id
from smmbot.rendering.recurring import CANCEL_SERIES_ACTION
from smmbot.services import recurring
from smmbot.services.interactions import Button

BUTTONS: dict[str, Button[Any]] = {
    CANCEL_SERIES_ACTION: Button(button_record_id, recurring.cancel_series),
}
