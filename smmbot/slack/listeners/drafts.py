"""Draft buttons and the form that drafts from a template."""

from __future__ import annotations

from typing import Any

from smmbot.domain.payloads import button_record_id
from smmbot.rendering.drafts import (
    DRAFT_FORM_CALLBACK,
    EDIT_ACTION,
    SCHEDULE_ACTION,
    SHARE_KIT_ACTION,
    USE_TEMPLATE_ACTION,
)
from smmbot.rendering.drafts_listing import DELETE_ACTION, DELETE_CONFIRMED_ACTION, PAGE_ACTION
from smmbot.services import calendar_actions, drafts, drafts_listing
from smmbot.services.interactions import Button, Form

BUTTONS: dict[str, Button[Any]] = {
    USE_TEMPLATE_ACTION: Button(str, drafts.open_template_form),
    EDIT_ACTION: Button(button_record_id, drafts.edit_draft_form),
    SCHEDULE_ACTION: Button(button_record_id, calendar_actions.schedule_draft_form),
    SHARE_KIT_ACTION: Button(button_record_id, drafts.share_kit_for_draft),
    PAGE_ACTION: Button(drafts_listing.read_page_value, drafts_listing.next_page),
    DELETE_ACTION: Button(button_record_id, drafts_listing.ask_to_delete),
    DELETE_CONFIRMED_ACTION: Button(button_record_id, drafts_listing.delete_clicked),
}

FORMS: dict[str, Form] = {
    DRAFT_FORM_CALLBACK: Form(drafts.submit_draft_form, optional_ids=("draft_id",)),
}
