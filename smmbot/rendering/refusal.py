"""The one way to say "no" to a member: raise `Refusal` anywhere below the adapters.

It carries the message, already in the member's language, and the subcommand whose usage the
reply shows (None: no usage, only the pointer to help), or `usage`: blocks of its own (a
template's variables, for `draft`). The command dispatcher and the interaction
router turn it into the reply, once each; raising out of `Database.transaction` also rolls the
transaction back, so a refusal never leaves anything half-saved.
"""

from __future__ import annotations

from smmbot.domain.command_spec import Subcommand
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.reply import Block


class Refusal(Exception):  # noqa: N818 - a refusal is the expected answer, not an error
    def __init__(
        self,
        message: Mrkdwn,
        *,
        usage_of: Subcommand | None = None,
        usage: tuple[Block, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.usage_of = usage_of
        self.usage = usage
