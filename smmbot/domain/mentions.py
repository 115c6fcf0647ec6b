"""Slack's escaped references in command text: `<@U123|ayu>` for a member, `<#C123|news>` for a
channel (what Slack sends for a picked `@name` / `#name` when the command escapes them).

One reader for every option that names a person or channel, so owner=, channel= and the digest
channel accept exactly the same forms.
"""

from __future__ import annotations

import re

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^<>]*)?>")


def mentioned_user(text: str) -> str | None:
    match = _USER.fullmatch(text.strip())
    return match.group(1) if match else None


def mentioned_channel(text: str) -> str | None:
    match = _CHANNEL.fullmatch(text.strip())
    return match.group(1) if match else None


_USER_GROUP = re.compile(r"<!subteam\^(S[A-Z0-9]+)(?:\|[^<>]*)?>")


def mentioned_user_group(text: str) -> str | None:
    """`<!subteam^S123|design>`: what Slack sends for a picked `@group`."""
    match = _USER_GROUP.fullmatch(text.strip())
    return match.group(1) if match else None
