"""Reading replies in tests: every block's content as one searchable string."""

from __future__ import annotations

from smmbot.rendering.reply import Reply


def reply_text(reply: Reply) -> str:
    return "\n".join(str(block) for block in reply.blocks)
