"""Shows a `Reply` in a terminal the way Slack would lay it out, minus the colours."""

from __future__ import annotations

import re

from smmbot.rendering.mrkdwn import unescape_mrkdwn
from smmbot.rendering.reply import Actions, Block, Context, Divider, Header, Reply, Section

_LINK = re.compile(r"<([^|<>]+)\|([^<>]+)>")
_BARE_LINK = re.compile(r"<([^|<>]+)>")
_CODE_BLOCK = re.compile(r"```(.*?)```", re.DOTALL)
_RULE = "─" * 60


def _plain_mrkdwn(text: str) -> str:
    """Slack links `<url|label>` read as `label (url)`; entities become the characters they mean."""
    text = _LINK.sub(lambda match: f"{match.group(2)} ({match.group(1)})", text)
    text = _BARE_LINK.sub(lambda match: match.group(1), text)
    text = _CODE_BLOCK.sub(lambda match: "\n" + _indent(match.group(1), "    "), text)
    return unescape_mrkdwn(text).strip()


def _indent(text: str, margin: str) -> str:
    return "\n".join(margin + line for line in text.splitlines())


def _format_block(block: Block) -> str:
    match block:
        case Header(plain):
            return f"{plain}\n{'═' * min(len(plain), 60)}"
        case Section(mrkdwn, fields, accessory):
            parts = [_plain_mrkdwn(mrkdwn)] + [_plain_mrkdwn(field) for field in fields]
            if accessory is not None:
                parts.append(f"[ {accessory.plain} ]")
            return "\n".join(part for part in parts if part)
        case Context(mrkdwn):
            return _indent(_plain_mrkdwn(mrkdwn), "  ")
        case Divider():
            return _RULE
        case Actions(buttons):
            return "  ".join(f"[ {button.plain} ]" for button in buttons)
    raise TypeError(f"unknown block {block!r}")


def format_reply(reply: Reply) -> str:
    return "\n\n".join(_format_block(block) for block in reply.blocks)
