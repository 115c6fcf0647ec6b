"""Block Kit builders: turn a presentation-neutral `Reply` into Slack's JSON."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from smmbot.rendering.mrkdwn import escape_mrkdwn
from smmbot.rendering.reply import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Context,
    Divider,
    Form,
    FormField,
    Header,
    Reply,
    Section,
)

# Slack rejects longer texts in these fields (Block Kit reference limits).
HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
BUTTON_LIMIT = 75


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _clip(text, limit)}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def _button(button: Button) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": _plain(button.plain, BUTTON_LIMIT),
        "action_id": button.action_id,
        "value": button.value,
    }
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    return element


def block_kit(block: Block) -> dict[str, Any]:
    match block:
        case Header(plain):
            return {"type": "header", "text": _plain(plain, HEADER_LIMIT)}
        case Section(mrkdwn, fields, accessory):
            section: dict[str, Any] = {"type": "section", "text": _mrkdwn(mrkdwn)}
            if fields:
                section["fields"] = [_mrkdwn(field, FIELD_LIMIT) for field in fields[:10]]
            if accessory is not None:
                section["accessory"] = _button(accessory)
            return section
        case Context(mrkdwn):
            return {"type": "context", "elements": [_mrkdwn(mrkdwn)]}
        case Divider():
            return {"type": "divider"}
        case Actions(buttons):
            return {"type": "actions", "elements": [_button(button) for button in buttons]}
    raise TypeError(f"unknown block {block!r}")


def fallback_text(reply: Reply) -> str:
    """The notification text of a message. Slack parses `text` like any mrkdwn (`<!channel>`
    notifies a whole channel), while `fallback` is plain and often carries a campaign name or
    post text, so every message leaves through here, escaped once."""
    return escape_mrkdwn(reply.fallback)


@lru_cache(maxsize=512)
def message_payload(reply: Reply) -> Mapping[str, Any]:
    """Arguments for `respond()` / `chat.postMessage`: blocks plus the notification fallback.
    Cached because replies such as help are built once and sent often; read-only for callers."""
    return {
        "text": fallback_text(reply),
        "blocks": [block_kit(block) for block in reply.blocks],
        "response_type": "in_channel" if reply.public else "ephemeral",
    }


MODAL_TITLE_LIMIT = 24
INPUT_LABEL_LIMIT = 2000
INPUT_VALUE_LIMIT = 3000


def _option(choice: str) -> dict[str, Any]:
    return {"text": _plain(choice, BUTTON_LIMIT), "value": choice}


def _element(field: FormField) -> dict[str, Any]:
    if field.file_types:
        return {
            "type": "file_input",
            "action_id": "value",
            "filetypes": list(field.file_types),
            "max_files": 1,
        }
    if field.choices:
        element: dict[str, Any] = {
            "type": "static_select",
            "action_id": "value",
            "options": [_option(choice) for choice in field.choices],
        }
        if field.initial in field.choices:
            element["initial_option"] = _option(field.initial)
        return element
    element = {"type": "plain_text_input", "action_id": "value", "multiline": field.multiline}
    if field.initial:
        element["initial_value"] = field.initial[:INPUT_VALUE_LIMIT]
    return element


def _input(field: FormField) -> dict[str, Any]:
    element = _element(field)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.name,
        "label": _plain(field.label, INPUT_LABEL_LIMIT),
        "element": element,
        "optional": not field.required,
    }
    if field.hint:
        block["hint"] = _plain(field.hint, INPUT_LABEL_LIMIT)
    return block


def modal_view(form: Form) -> dict[str, Any]:
    intro = [block_kit(Section(form.intro))] if form.intro else []
    return {
        "type": "modal",
        "callback_id": form.callback_id,
        "private_metadata": form.private_metadata,
        "title": _plain(form.title, MODAL_TITLE_LIMIT),
        "submit": _plain(form.submit, MODAL_TITLE_LIMIT),
        "blocks": intro + [_input(field) for field in form.fields],
    }


def submitted_values(view: dict[str, Any]) -> dict[str, str]:
    """The text typed into each input of a submitted modal, keyed by field name."""
    state = view.get("state", {}).get("values", {})
    values: dict[str, str] = {}
    for name, inputs in state.items():
        typed = inputs.get("value", {})
        selected = typed.get("selected_option") or {}
        values[name] = typed.get("value") or selected.get("value") or ""
    return values


def submitted_files(view: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The Slack file objects uploaded into each file input of a submitted modal."""
    state = view.get("state", {}).get("values", {})
    return {
        name: list(inputs.get("value", {}).get("files") or [])
        for name, inputs in state.items()
        if inputs.get("value", {}).get("type") == "file_input"
    }
