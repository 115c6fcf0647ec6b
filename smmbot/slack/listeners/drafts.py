"""Draft buttons and the form that drafts from a template."""

from __future__ import annotations

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
from smmbot.slack.listeners.interactions import (
    ButtonService,
    FormSubmitter,
)

BUTTONS: dict[str, ButtonService] = {
    USE_TEMPLATE_ACTION: lambda ctx, actor, value: drafts.open_template_form(
        ctx=ctx, actor=actor, template_name=value
    ),
    EDIT_ACTION: lambda ctx, actor, value: drafts.edit_draft_form(
        ctx=ctx, actor=actor, draft_id=button_record_id(value)
    ),
    SCHEDULE_ACTION: lambda ctx, actor, value: calendar_actions.schedule_draft_form(
        ctx=ctx, actor=actor, draft_id=button_record_id(value)
    ),
    SHARE_KIT_ACTION: lambda ctx, actor, value: drafts.share_kit_for_draft(
        ctx=ctx, actor=actor, draft_id=button_record_id(value)
    ),
    PAGE_ACTION: lambda ctx, actor, value: drafts_listing.next_page(
        ctx=ctx, actor=actor, value=value
    ),
    DELETE_ACTION: lambda ctx, actor, value: drafts_listing.ask_to_delete(
        ctx=ctx, actor=actor, value=value
    ),
    DELETE_CONFIRMED_ACTION: lambda ctx, actor, value: drafts_listing.delete_draft(
        ctx=ctx, actor=actor, draft_id=button_record_id(value)
    ),
}

FORMS: dict[str, FormSubmitter] = {
    DRAFT_FORM_CALLBACK: drafts.submit_draft_form,
}
