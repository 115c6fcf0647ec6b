"""The review request's buttons (Approve, Request changes, Reject), their forms, and Edit."""

from __future__ import annotations

from typing import Any

from smmbot.domain.payloads import button_record_id
from smmbot.rendering.approval import (
    APPROVE_ACTION,
    CHANGES_ACTION,
    CHANGES_FORM_CALLBACK,
    EDIT_ACTION,
    EDIT_FORM_CALLBACK,
    REJECT_ACTION,
    REJECT_FORM_CALLBACK,
)
from smmbot.services import approval_decisions, approval_edit
from smmbot.services.interactions import Button, Form

BUTTONS: dict[str, Button[Any]] = {
    APPROVE_ACTION: Button(button_record_id, approval_decisions.approve),
    CHANGES_ACTION: Button(button_record_id, approval_decisions.changes_form),
    REJECT_ACTION: Button(button_record_id, approval_decisions.reject_form),
    EDIT_ACTION: Button(button_record_id, approval_edit.edit_form),
}

FORMS: dict[str, Form] = {
    CHANGES_FORM_CALLBACK: Form(approval_decisions.request_changes, ids=("item",)),
    REJECT_FORM_CALLBACK: Form(approval_decisions.reject, ids=("item",)),
    EDIT_FORM_CALLBACK: Form(approval_edit.resubmit, ids=("item",)),
}
