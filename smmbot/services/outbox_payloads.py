"""What a due message sends: its stored payload, or, for the one kind rendered when it is sent,
that rendering.

Every other message is rendered when it is enqueued (see `services.outbox`). A member's App Home
(`HOME_KIND`) is queued without content and rendered here, on the sending thread, from the
state at that moment: the request that queued it never waits for the render (the digest makes
it slow), and one publish shows every change queued while it waited (`approval_home`). Kept out
of the engine, which stays free of rendering and i18n; a render that fails (the database
unreachable) is retried like a failed send. The render (a fraction of a second) comes out of the
lease margin the send starts with (20 s against the sender's 10 s timeout, `services.outbox`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smmbot.domain.outbox import HOME_KIND
from smmbot.persistence.models import OutboxMessage
from smmbot.services.context import ServiceContext
from smmbot.services.home import home_payload


def payload_at_send(ctx: ServiceContext, message: OutboxMessage) -> Mapping[str, Any]:
    if message.kind == HOME_KIND:
        return home_payload(ctx, message.team_id, message.channel_id)
    return message.payload
