"""Block Kit builders: turn a presentation-neutral `Reply` into Slack's JSON."""

from __future__ import annotations

from typing import Any

from smmbot.rendering.reply import (
    Actions,
    Block,
    ButtonStyle,
    Context,
    Divider,
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


def block_kit(block: Block) -> dict[str, Any]:
    match block:
        case Header(plain):
            return {"type": "header", "text": _plain(plain, HEADER_LIMIT)}
        case Section(mrkdwn, fields):
            section: dict[str, Any] = {"type": "section", "text": _mrkdwn(mrkdwn)}
            if fields:
                section["fields"] = [_mrkdwn(field, FIELD_LIMIT) for field in fields[:10]]
            return section
        case Context(mrkdwn):
            return {"type": "context", "elements": [_mrkdwn(mrkdwn)]}
        case Divider():
            return {"type": "divider"}
        case Actions(buttons):
            elements = []
            for button in buttons:
                element: dict[str, Any] = {
                    "type": "button",
                    "text": _plain(button.plain, BUTTON_LIMIT),
                    "action_id": button.action_id,
                    "value": button.value,
                }
                if button.style is not ButtonStyle.DEFAULT:
                    element["style"] = button.style.value
                elements.append(element)
            return {"type": "actions", "elements": elements}
    raise TypeError(f"unknown block {block!r}")


def message_payload(reply: Reply) -> dict[str, Any]:
    """Arguments for `respond()` / `chat.postMessage`: blocks plus the notification fallback."""
    return {
        "text": reply.fallback,
        "blocks": [block_kit(block) for block in reply.blocks],
        "response_type": "in_channel" if reply.public else "ephemeral",
    }
