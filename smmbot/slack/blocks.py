"""Block Kit builders: turn a presentation-neutral `Reply` into Slack's JSON."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from smmbot.rendering import limits
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

log = logging.getLogger(__name__)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str, limit: int = limits.SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _clip(text, limit)}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def _button(button: Button) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": _plain(button.plain, limits.BUTTON_TEXT),
        "action_id": button.action_id,
        "value": button.value,
    }
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    return element


def block_kit(block: Block) -> dict[str, Any]:
    match block:
        case Header(plain):
            return {"type": "header", "text": _plain(plain, limits.HEADER_TEXT)}
        case Section(mrkdwn, fields, accessory):
            section: dict[str, Any] = {"type": "section", "text": _mrkdwn(mrkdwn)}
            if fields:
                section["fields"] = [
                    _mrkdwn(field, limits.FIELD_TEXT) for field in fields[: limits.SECTION_FIELDS]
                ]
            if accessory is not None:
                section["accessory"] = _button(accessory)
            return section
        case Context(mrkdwn):
            return {"type": "context", "elements": [_mrkdwn(mrkdwn, limits.CONTEXT_TEXT)]}
        case Divider():
            return {"type": "divider"}
        case Actions(buttons):
            elements = [_button(button) for button in buttons[: limits.ACTIONS_ELEMENTS]]
            return {"type": "actions", "elements": elements}
    raise TypeError(f"unknown block {block!r}")


def within_blocks(blocks: Sequence[Block], limit: int) -> list[dict[str, Any]]:
    """The last resort behind the renderers' paging: Slack refuses the whole message when it
    has one block too many, so a reply over the limit loses its tail (and says so in the log,
    as a renderer that needs paging) instead of not arriving at all."""
    if len(blocks) > limit:
        log.warning("a reply of %d blocks was cut to Slack's %d", len(blocks), limit)
    return [block_kit(block) for block in blocks[:limit]]


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
        "text": _clip(fallback_text(reply), limits.MESSAGE_TEXT),
        "blocks": within_blocks(reply.blocks, limits.MESSAGE_BLOCKS),
        "response_type": "in_channel" if reply.public else "ephemeral",
    }


def home_view(reply: Reply) -> dict[str, Any]:
    return {"type": "home", "blocks": within_blocks(reply.blocks, limits.VIEW_BLOCKS)}


def _option(choice: str) -> dict[str, Any]:
    return {"text": _plain(choice, limits.BUTTON_TEXT), "value": choice}


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
        element["initial_value"] = field.initial[: limits.INPUT_VALUE]
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder, limits.INPUT_PLACEHOLDER)
    return element


def _input(field: FormField) -> dict[str, Any]:
    element = _element(field)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.name,
        "label": _plain(field.label, limits.INPUT_LABEL),
        "element": element,
        "optional": not field.required,
    }
    if field.hint:
        block["hint"] = _plain(field.hint, limits.INPUT_LABEL)
    return block


def modal_view(form: Form) -> dict[str, Any]:
    intro = [block_kit(Section(form.intro))] if form.intro else []
    return {
        "type": "modal",
        "callback_id": form.callback_id,
        "private_metadata": form.private_metadata[: limits.PRIVATE_METADATA],
        "title": _plain(form.title, limits.MODAL_TITLE),
        "submit": _plain(form.submit, limits.MODAL_TITLE),
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
