"""What `/smm schedule` warns about without refusing: a text too long for its network, and the
same text planned twice on one platform within an hour."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from smmbot.domain.platforms import Platform, measure
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.rendering import formatting
from smmbot.rendering.calendar import platform_name
from smmbot.rendering.drafts import over_limit_note
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.services.context import Actor

TWIN_WINDOW = timedelta(hours=1)


def schedule_warnings(
    session: Session,
    tr: Translator,
    actor: Actor,
    *,
    text: str,
    platform: Platform | None,
    due_at: datetime,
) -> list[Mrkdwn]:
    return [
        *_length_warnings(tr, text, platform),
        *_twin_warnings(session, tr, actor, text=text, platform=platform, due_at=due_at),
    ]


def _length_warnings(tr: Translator, text: str, platform: Platform | None) -> list[Mrkdwn]:
    if platform is None:
        return []
    note = over_limit_note(tr, measure(text, platform), platform)
    return [] if note is None else [note]


def _twin_warnings(
    session: Session,
    tr: Translator,
    actor: Actor,
    *,
    text: str,
    platform: Platform | None,
    due_at: datetime,
) -> list[Mrkdwn]:
    """The same text on the same platform within an hour is most often a slip (pasted twice,
    scheduled from two drafts); it may be deliberate, so it is said, not refused. The nearest
    one is named; cancelling it is a click away in the calendar."""
    near = CalendarRepository(session, actor.team_id).list_planned_near(
        platform=platform.value if platform else None,
        start=due_at - TWIN_WINDOW,
        end=due_at + TWIN_WINDOW,
    )
    twins = [item for item in near if _comparable(item.text) == _comparable(text)]
    if not twins:
        return []
    twin = min(twins, key=lambda item: abs(item.due_at - due_at))
    when = formatting.moment(twin.due_at, actor.timezone, tr.locale)
    return [
        tr.mrkdwn("calendar.twin", id=twin.id, when=when, platform=platform_name(tr, twin.platform))
    ]


def _comparable(text: str) -> str:
    """Texts that differ only in case or spacing are the same post."""
    return " ".join(text.split()).casefold()
