"""The calendar's and reminders' buttons, and the reschedule, publish and schedule-draft forms."""

from __future__ import annotations

from typing import Any

from smmbot.domain.payloads import button_record_id
from smmbot.rendering.calendar import (
    CANCEL_ACTION,
    PUBLISH_FORM_CALLBACK,
    PUBLISHED_ACTION,
    RESCHEDULE_ACTION,
    RESCHEDULE_FORM_CALLBACK,
    SCHEDULE_DRAFT_FORM_CALLBACK,
    SNOOZE_ACTION,
)
from smmbot.rendering.calendar_listing import PAGE_ACTION
from smmbot.services import calendar_actions, calendar_listing
from smmbot.services.interactions import Button, Form

BUTTONS: dict[str, Button[Any]] = {
    CANCEL_ACTION: Button(button_record_id, calendar_actions.cancel_item),
    RESCHEDULE_ACTION: Button(button_record_id, calendar_actions.reschedule_form),
    PUBLISHED_ACTION: Button(button_record_id, calendar_actions.publish_form),
    SNOOZE_ACTION: Button(button_record_id, calendar_actions.snooze_item),
    PAGE_ACTION: Button(str, calendar_listing.next_page),
}

FORMS: dict[str, Form] = {
    RESCHEDULE_FORM_CALLBACK: Form(calendar_actions.submit_reschedule, ids=("item",)),
    PUBLISH_FORM_CALLBACK: Form(calendar_actions.submit_publish, ids=("item",)),
    SCHEDULE_DRAFT_FORM_CALLBACK: Form(calendar_actions.submit_schedule_draft, ids=("draft",)),
}
