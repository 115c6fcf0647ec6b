"""The form that adds a workspace template (`/smm template add <name>`)."""

from __future__ import annotations

from smmbot.rendering.templates import TEMPLATE_FORM_CALLBACK
from smmbot.services import templates
from smmbot.services.interactions import Form

FORMS: dict[str, Form] = {
    TEMPLATE_FORM_CALLBACK: Form(templates.submit_template_form),
}
