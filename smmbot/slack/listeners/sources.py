"""The account picker's buttons after signing in to a metric source."""

from __future__ import annotations

from typing import Any

from smmbot.rendering.sources import PICK_ACTION
from smmbot.services.interactions import Button
from smmbot.services.sources_sign_in import pick_account

BUTTONS: dict[str, Button[Any]] = {PICK_ACTION: Button(str, pick_account)}
