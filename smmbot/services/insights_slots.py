"""`schedule best <text> platform=…` (`jadwal terbaik`) and the best times the schedule form
offers: the platform's best time blocks of the last 16 weeks that have no post planned yet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.insights import DEFAULT_WEEKS, MIN_POSTS, Cell, compute_insights
from smmbot.domain.insights_slots import LOOKAHEAD_WEEKS, free_slots
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import insights as words
from smmbot.rendering.calendar import platform_name
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.services.calendar_drafts import SCHEDULE, typed_platforms
from smmbot.services.insights_posts import published_posts

BEST_WORDS = frozenset({"best", "terbaik"})
FORM_CHOICES = 5
BEST_WHEN_LENGTH = len("2026-12-03 18:00")
"""A best-time choice starts with the moment as `<when>` reads it; the rest is its label."""


def wants_best(arguments: Sequence[str]) -> bool:
    return bool(arguments) and arguments[0].casefold() in BEST_WORDS


def free_best_slots(
    session: Session, team_id: str, platform: str, now: datetime
) -> tuple[str, list[tuple[datetime, Cell]], bool]:
    """The workspace zone, the platform's free best starts (best first), and whether the
    platform has any rated block at all."""
    zone = WorkspaceRepository(session, team_id).get_or_create(now=now).timezone
    posts = published_posts(session, team_id, since=now - timedelta(weeks=DEFAULT_WEEKS), until=now)
    found = compute_insights(posts, zone, platform)
    if not found or found[0].best_time is None:
        return zone, [], False
    busy = [
        item.due_at
        for item in CalendarRepository(session, team_id).list_planned_near(
            platform=platform, start=now, end=now + timedelta(weeks=LOOKAHEAD_WEEKS + 1)
        )
    ]
    return zone, free_slots(found[0].times, zone, now, busy), True


def best_moment(
    session: Session, tr: Translator, *, team_id: str, platform_text: str | None, prefix: str,
    now: datetime,
) -> tuple[datetime, Mrkdwn]:  # fmt: skip
    """The next free best start for the platform named, and the line that says why."""
    platforms = typed_platforms(tr, platform_text)
    if not platforms:
        raise Refusal(tr.mrkdwn("schedule_best.needs_platform"), usage_of=SCHEDULE)
    platform = platforms[0].value
    shown = platform_name(tr, platform)
    zone, slots, rated = free_best_slots(session, team_id, platform, now)
    if not rated:
        message = tr.mrkdwn(
            "schedule_best.no_data",
            platform=shown,
            platform_id=platform,
            prefix=prefix,
            needed=MIN_POSTS,
        )
        raise Refusal(message, usage_of=SCHEDULE)
    if not slots:
        raise Refusal(tr.mrkdwn("schedule_best.no_free_slot", platform=shown), usage_of=SCHEDULE)
    start, cell = slots[0]
    note = tr.mrkdwn(
        "schedule_best.picked",
        platform=shown,
        block=words.block_label(cell, zone, now, tr.locale, long=True),
        rate=words.percent(cell.median or Decimal(0), tr.locale),
        posts=cell.posts,
    )
    return start, note


def best_choices(
    session: Session, tr: Translator, *, team_id: str, platforms: Sequence[str], zone: str,
    now: datetime,
) -> tuple[str, ...]:  # fmt: skip
    """The schedule form's best times: `2026-12-03 18:00 · Instagram · 6.0%`, the moment in
    the member's zone first, as `<when>` reads it (the form takes the first 16 characters)."""
    choices: list[tuple[float, str]] = []
    for platform in platforms:
        _, slots, _ = free_best_slots(session, team_id, platform, now)
        for start, cell in slots[:FORM_CHOICES]:
            local = start.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
            rate = words.percent(cell.median or Decimal(0), tr.locale)
            label = f"{local} · {platform_name(tr, platform)} · {rate}"
            choices.append((-float(cell.median or Decimal(0)), label))
    return tuple(label for _, label in sorted(choices)[:FORM_CHOICES])
