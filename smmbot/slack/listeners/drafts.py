"""Draft buttons and the form that drafts from a template."""

from __future__ import annotations

from smmbot.rendering.drafts import (
    DRAFT_FORM_CALLBACK,
    EDIT_ACTION,
    SCHEDULE_ACTION,
    SHARE_KIT_ACTION,
    USE_TEMPLATE_ACTION,
)
from smmbot.services import calendar_actions, drafts
from smmbot.slack.listeners.interactions import (
    ButtonService,
    FormSubmitter,
)

BUTTONS: dict[str, ButtonService] = {
    USE_TEMPLATE_ACTION: lambda ctx, actor, value: drafts.open_template_form(
        ctx=ctx, actor=actor, template_name=value
    ),
    EDIT_ACTION: lambda ctx, actor, value: drafts.edit_draft_form(
        ctx=ctx, actor=actor, draft_id=int(value)
    ),
    SCHEDULE_ACTION: lambda ctx, actor, value: calendar_actions.schedule_draft_form(
        ctx=ctx, actor=actor, draft_id=int(value)
    ),
    SHARE_KIT_ACTION: lambda ctx, actor, value: drafts.share_kit_for_draft(
        ctx=ctx, actor=actor, draft_id=int(value)
    ),
}

FORMS: dict[str, FormSubmitter] = {
    DRAFT_FORM_CALLBACK: drafts.submit_draft_form,
}
