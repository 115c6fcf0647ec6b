"""The form that adds a workspace template (`/smm template add <name>`)."""

from __future__ import annotations

from smmbot.rendering.templates import TEMPLATE_FORM_CALLBACK
from smmbot.services import templates
from smmbot.slack.listeners.interactions import FormSubmitter

FORMS: dict[str, FormSubmitter] = {
    TEMPLATE_FORM_CALLBACK: templates.submit_template_form,
}
