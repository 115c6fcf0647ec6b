"""Putting a series' occurrences on the calendar ahead of time, on a rolling window.

Each occurrence is an ordinary calendar item with its own reminders, created up to
``HORIZON`` ahead (not all at once: an open-ended daily series would otherwise be endless), and
the scheduler's sweep (``extend_series``) moves the window on about once a day. An occurrence
is stored under its series slot with insert-or-ignore, so a second sweep, a second replica or a
retried transaction never creates it twice, and only the transaction that stored it plans its
reminders (their outbox keys are the item's, so they are planned once too).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.approval import IN_REVIEW
from smmbot.domain.recurring import Recurrence, SeriesRef, Unit, moments, read_weekdays
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.models import CalendarItem, RecurringSeries
from smmbot.persistence.recurring_repository import (
    ACTIVE,
    CANCELLED,
    ENDED,
    HELD,
    RecurringRepository,
    list_to_extend,
)
from smmbot.rendering.calendar import ItemView
from smmbot.rendering.i18n import Translator
from smmbot.services.calendar import item_view, plan_messages
from smmbot.services.context import ServiceContext

HORIZON: Final = timedelta(days=28)
"""How far ahead occurrences exist: four weeks, the calendar's month view and then some."""
REFRESH: Final = timedelta(days=1)
"""The sweep extends a series once its window is this much short of ``HORIZON``, so a
series costs one write a day, not one a sweep."""


def rule_of(series: RecurringSeries) -> Recurrence:
    return Recurrence(
        series.every, Unit(series.unit), read_weekdays(series.weekdays), series.minutes
    )


def ref_of(series: RecurringSeries) -> SeriesRef:
    return SeriesRef(series.id, rule_of(series), series.timezone)


def series_moments(series: RecurringSeries, *, after: datetime) -> Iterator[datetime]:
    """The series' moments after ``after``, soonest first, as its rule and end say."""
    return moments(
        rule_of(series),
        start=series.start_date,
        zone=ZoneInfo(series.timezone),
        after=after,
        until=series.until,
        count=series.count,
    )


def materialise(session: Session, series: RecurringSeries, *, now: datetime) -> int:
    """Creates the occurrences due up to ``now + HORIZON`` not created yet, each with its
    reminders; returns how many were new. The series ends once every occurrence exists."""
    window_end = now + HORIZON
    repository = RecurringRepository(session, series.team_id)
    tr = Translator(series.locale)
    campaign = _campaign_name(session, series)
    created = 0
    finished = True
    for moment in series_moments(series, after=series.planned_through):
        if moment > window_end:
            finished = False
            break
        item = repository.add_occurrence(_occurrence(series, moment, now))
        if item is not None:
            view = item_view(item, campaign, ref_of(series))
            plan_messages(session, tr, view, team_id=series.team_id, now=now)
            created += 1
    series.planned_through, series.updated_at = window_end, now
    if finished:
        series.status = ENDED
    return created


def hold_first(session: Session, series: RecurringSeries, *, now: datetime) -> ItemView:
    """A held series' only post until it is decided: its first occurrence, in review, with no
    reminder; approving it materialises the rest (`decide_series`)."""
    first = next(series_moments(series, after=series.planned_through))
    values = {**_occurrence(series, first, now), "status": IN_REVIEW}
    item = RecurringRepository(session, series.team_id).add_occurrence(values)
    assert item is not None  # the series was born in this transaction
    return item_view(item, _campaign_name(session, series), ref_of(series))


def decide_series(session: Session, item: CalendarItem, *, approved: bool, now: datetime) -> None:
    """Approval applies to a series once: its first post's decision is the series'. Approved,
    the series takes the approved text and its window is materialised (the first post, already
    there, is skipped by its slot); rejected, the series is cancelled. Changes requested leave
    the series held until the edited first post is decided."""
    if item.series_id is None:
        return
    series = RecurringRepository(session, item.team_id).get(item.series_id, for_update=True)
    if series is None or series.status != HELD:
        return
    if not approved:
        series.status, series.updated_at = CANCELLED, now
        return
    series.text, series.status = item.text, ACTIVE
    materialise(session, series, now=now)


def _occurrence(series: RecurringSeries, moment: datetime, now: datetime) -> dict[str, object]:
    return {
        "due_at": moment,
        "timezone": series.timezone,
        "text": series.text,
        "platform": series.platform,
        "campaign_id": series.campaign_id,
        "draft_id": series.draft_id,
        "channel_id": series.channel_id,
        "owner_id": series.owner_id,
        "status": "scheduled",
        "published_url": None,
        "created_by": series.created_by,
        "created_at": now,
        "updated_at": now,
        "series_id": series.id,
        "series_slot": moment,
    }


def _campaign_name(session: Session, series: RecurringSeries) -> str | None:
    if series.campaign_id is None:
        return None
    campaign = CampaignRepository(session, series.team_id).get(series.campaign_id)
    return campaign.name if campaign else None


def extend_series(*, ctx: ServiceContext) -> int:
    """The scheduler's sweep: moves every active series' window on; returns the occurrences
    created. One transaction per series, the series row locked, so a replica doing the same
    at the same moment waits and then finds nothing left to do."""
    now = ctx.clock()
    with ctx.db.transaction() as session:
        due = list_to_extend(session, before=now + HORIZON - REFRESH)
    created = 0
    for team_id, series_id in due:
        with ctx.db.transaction() as session:
            series = RecurringRepository(session, team_id).get(series_id, for_update=True)
            if series is None or series.status != ACTIVE:
                continue
            if series.planned_through >= now + HORIZON - REFRESH:
                continue
            created += materialise(session, series, now=now)
    return created
