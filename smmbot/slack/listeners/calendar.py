"""The calendar's and reminders' buttons, and the reschedule, publish and schedule-draft forms."""

from __future__ import annotations

from smmbot.rendering.calendar import (
    CANCEL_ACTION,
    PUBLISH_FORM_CALLBACK,
    PUBLISHED_ACTION,
    RESCHEDULE_ACTION,
    RESCHEDULE_FORM_CALLBACK,
    SCHEDULE_DRAFT_FORM_CALLBACK,
    SNOOZE_ACTION,
)
from smmbot.services import calendar_actions
from smmbot.slack.listeners.interactions import (
    ButtonService,
    FormSubmitter,
)

BUTTONS: dict[str, ButtonService] = {
    CANCEL_ACTION: lambda ctx, actor, value: calendar_actions.cancel_item(
        ctx=ctx, actor=actor, item_id=int(value)
    ),
    RESCHEDULE_ACTION: lambda ctx, actor, value: calendar_actions.reschedule_form(
        ctx=ctx, actor=actor, item_id=int(value)
    ),
    PUBLISHED_ACTION: lambda ctx, actor, value: calendar_actions.publish_form(
        ctx=ctx, actor=actor, item_id=int(value)
    ),
    SNOOZE_ACTION: lambda ctx, actor, value: calendar_actions.snooze_item(
        ctx=ctx, actor=actor, item_id=int(value)
    ),
}

FORMS: dict[str, FormSubmitter] = {
    RESCHEDULE_FORM_CALLBACK: calendar_actions.submit_reschedule,
    PUBLISH_FORM_CALLBACK: calendar_actions.submit_publish,
    SCHEDULE_DRAFT_FORM_CALLBACK: calendar_actions.submit_schedule_draft,
}
