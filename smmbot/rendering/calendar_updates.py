"""What the channel's reminders become once someone acts on them.

The due reminder and the missed nudge are posted for the whole channel, so when a teammate marks
the post published or snoozes it, the message itself says so (through chat.update) and keeps
only the buttons that still apply: no one clicks Snooze on a post that is already live.
"""

from __future__ import annotations

from datetime import datetime

from smmbot.rendering import formatting, limits
from smmbot.rendering.calendar import ItemView, publish_button
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, mention, slack_link
from smmbot.rendering.reply import Actions, Block, Reply, Section


def published_reminder(
    tr: Translator, item: ItemView, *, kind: str, who: str, url: str | None
) -> Reply:
    """The due reminder or missed nudge of a published post: who marked it, and its link."""
    link = slack_link(url) if url else Mrkdwn("")
    status = tr.mrkdwn("calendar.update_published", who=mention(who), url=link)
    fallback = tr.plain("calendar.fallback_published")
    return Reply(blocks=_with_text(status, item, kind), fallback=fallback, public=True)


def snoozed_reminder(tr: Translator, item: ItemView, *, who: str, until: datetime) -> Reply:
    """The due reminder of a snoozed post: until when, by whom; Snooze itself is gone (the next
    reminder brings it back), Mark published stays."""
    when = (
        f"{formatting.clock_time(until, item.timezone, tr.locale)} "
        f"{formatting.zone_label(until, item.timezone, tr.locale)}"
    )
    status = tr.mrkdwn("calendar.update_snoozed", who=mention(who), when=when)
    fallback = tr.plain("calendar.fallback_snoozed", when=when)
    blocks = (*_with_text(status, item, "due"), Actions((publish_button(tr, item.id),)))
    return Reply(blocks=blocks, fallback=fallback, public=True)


def _with_text(status: Mrkdwn, item: ItemView, kind: str) -> tuple[Block, ...]:
    """The due reminder keeps the post's text (what went out); the nudge never carried it."""
    text = limits.code_sections(item.text) if kind == "due" else ()
    return (Section(status), *text)
