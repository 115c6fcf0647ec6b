"""`/smm schedule "every monday 9am" <text…> [until=… | times=N]`: repeating posts, and
cancelling a whole series (`schedule cancel series=<id>` or its **Cancel series** button).

A series is created by one function, ``create_series``, in one transaction with its first
occurrences (``recurring_plan.materialise``), so a refused series leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from itertools import islice
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.approval import ApprovalPolicy
from smmbot.domain.dates import DateError, read_date
from smmbot.domain.payloads import parse_record_id
from smmbot.domain.recurring import (
    RecurrenceError,
    RepeatPhrase,
    Unit,
    first_day,
    split_repeat,
    starts_repeat,
    weekdays_text,
)
from smmbot.domain.when import MAX_AHEAD
from smmbot.domain.when_resolve import at
from smmbot.persistence.models import RecurringSeries
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.recurring_repository import ACTIVE, CANCELLED, HELD, RecurringRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import formatting
from smmbot.rendering import recurring as replies
from smmbot.rendering.dates import date_problem
from smmbot.rendering.i18n import Translator
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services import calendar
from smmbot.services.approval import held_reply, policy_of, request_review
from smmbot.services.audit import record_scheduled
from smmbot.services.calendar_drafts import SCHEDULE
from smmbot.services.context import Actor, ButtonRequest, CommandRequest, ServiceContext
from smmbot.services.recurring_plan import hold_first, materialise, ref_of, series_moments
from smmbot.services.schedule_warnings import schedule_warnings

MAX_TIMES: Final = 500
SHOWN_NEXT: Final = 3
END_OPTIONS: Final = ("until", "times")


def handle_schedule(request: CommandRequest) -> Reply:
    """`schedule`: a repeat when `<when>` starts with every/setiap/tiap, `schedule cancel`
    for a series, else one moment (``calendar.handle_schedule``)."""
    if request.command.arguments[:1] == ("cancel",):
        return _cancel_command(request)
    if request.command.arguments and starts_repeat(request.command.arguments):
        return _schedule_series(request)
    typed = [key for key in END_OPTIONS if key in request.command.options]
    if typed:
        key = next(o for o in SCHEDULE.options if o.key == typed[0]).shown(request.tr.locale)
        message = request.tr.mrkdwn("recurring.ends_need_repeat", key=key)
        raise Refusal(message, usage_of=SCHEDULE)
    return calendar.handle_schedule(request)


def _schedule_series(request: CommandRequest) -> Reply:
    tr, actor, now = request.tr, request.actor, request.ctx.clock()
    try:
        phrase, rest = split_repeat(request.command.arguments)
    except RecurrenceError as error:
        raise Refusal(
            tr.mrkdwn("recurring.unreadable", text=error.text), usage_of=SCHEDULE
        ) from None
    zone = ZoneInfo(phrase.zone or actor.timezone)
    start = first_day(phrase.rule, now=now, zone=zone)
    until, count = _series_end(tr, request.command.options, start)
    with request.ctx.db.transaction() as session:
        first = at(start, phrase.rule.minutes, zone)
        given = calendar.read_schedule_input(session, request, first, rest)
        if len(given.versions) != 1:
            message = tr.mrkdwn(
                "recurring.one_version", id=given.draft_id, count=len(given.versions)
            )
            raise Refusal(message, usage_of=SCHEDULE)
        version = given.versions[0]
        warnings = schedule_warnings(
            session, tr, actor, text=version.text, platform=version.platform, due_at=first
        )
        policy = policy_of(WorkspaceRepository(session, actor.team_id).get_or_create(now=now))
        held = policy.holds(actor.user_id, is_admin=actor.is_admin)
        series = create_series(
            session, actor, phrase, given, start=start, until=until, count=count, now=now,
            held=held,
        )  # fmt: skip
        if held:
            return _submit_series(session, request, series, policy)
        upcoming = list(islice(series_moments(series, after=now), SHOWN_NEXT))
        view = replies.SeriesView(ref_of(series), given.campaign_name, until, count)
        return replies.series_created(tr, request.prefix, view, given, upcoming, warnings)


def _submit_series(
    session: Session, request: CommandRequest, series: RecurringSeries, policy: ApprovalPolicy
) -> Reply:
    """With approval on, a member's series is reviewed once, through its first post."""
    actor, now = request.actor, request.ctx.clock()
    first = hold_first(session, series, now=now)
    record_scheduled(session, actor, first, now=now, held=True)
    request_review(
        session, request.tr, policy, first, team_id=actor.team_id, author=actor.user_id, now=now
    )
    return held_reply(request.tr, [first], policy)


def create_series(
    session: Session,
    actor: Actor,
    phrase: RepeatPhrase,
    given: calendar.ScheduleInput,
    *,
    start: date,
    until: date | None,
    count: int | None,
    now: datetime,
    held: bool = False,
) -> RecurringSeries:
    """The one place a series is born: the series row, then its occurrences on the rolling
    window with their reminders. A review step belongs here, once per series: submit the
    series instead of calling ``materialise``, and materialise when it is approved, so
    its occurrences inherit the series' decision and are never reviewed one by one."""
    version, rule = given.versions[0], phrase.rule
    weekdays = rule.weekdays or ((start.weekday(),) if rule.unit is Unit.WEEK else ())
    series = RecurringRepository(session, actor.team_id).add(
        RecurringSeries(
            every=rule.every,
            unit=rule.unit.value,
            weekdays=weekdays_text(weekdays),
            minutes=rule.minutes,
            timezone=phrase.zone or actor.timezone,
            start_date=start,
            until=until,
            count=count,
            text=version.text,
            platform=version.platform.value if version.platform else None,
            campaign_id=given.campaign_id,
            draft_id=given.draft_id,
            channel_id=given.channel_id,
            owner_id=given.owner_id,
            locale=Translator(actor.locale).locale,
            status=HELD if held else ACTIVE,
            planned_through=now,
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
        )
    )
    if not held:
        materialise(session, series, now=now)
    return series


def _series_end(
    tr: Translator, options: Mapping[str, str], start: date
) -> tuple[date | None, int | None]:
    """`until=` (a date on or after the first post) or `times=N`, not both; neither: the
    series runs until it is cancelled."""
    if all(key in options for key in END_OPTIONS):
        raise Refusal(tr.mrkdwn("recurring.both_ends"), usage_of=SCHEDULE)
    if "times" in options:
        typed = options["times"]
        if not typed.isdecimal() or not 1 <= int(typed) <= MAX_TIMES:
            message = tr.mrkdwn("recurring.bad_times", value=typed, most=MAX_TIMES)
            raise Refusal(message, usage_of=SCHEDULE)
        return None, int(typed)
    if "until" not in options:
        return None, None
    try:
        until = read_date(options["until"])
    except DateError as error:
        raise Refusal(date_problem(tr, error), usage_of=SCHEDULE) from None
    if until < start or until > start + MAX_AHEAD:
        first = formatting.long_date(start, tr.locale)
        message = tr.mrkdwn("recurring.bad_until", value=options["until"], start=first)
        raise Refusal(message, usage_of=SCHEDULE)
    return until, None


def _cancel_command(request: CommandRequest) -> Reply:
    typed = request.command.options.get("series", "").lstrip("#")
    series_id = parse_record_id(typed)
    if series_id is None:
        message = request.tr.mrkdwn("recurring.which_series", value=typed)
        raise Refusal(message, usage_of=SCHEDULE)
    return cancel_series_by_id(request.ctx, request.actor, request.tr, series_id)


def cancel_series(request: ButtonRequest[int]) -> Reply:
    """The **Cancel series** button of an occurrence or of the series' reply."""
    return cancel_series_by_id(request.ctx, request.actor, request.tr, request.value)


def cancel_series_by_id(ctx: ServiceContext, actor: Actor, tr: Translator, series_id: int) -> Reply:
    """Ends the series and cancels its occurrences still ahead with their reminders; what is
    already past (posted, missed, or overdue and waiting for Mark published) stays."""
    now = ctx.clock()
    with ctx.db.transaction() as session:
        repository = RecurringRepository(session, actor.team_id)
        series = repository.get(series_id, for_update=True)
        if series is None:
            return replies.notice(tr, "recurring.not_found", id=series_id)
        if series.status == CANCELLED:
            return replies.notice(tr, "recurring.already_cancelled", id=series_id)
        series.status, series.updated_at = CANCELLED, now
        outbox = OutboxRepository(session, actor.team_id)
        upcoming = repository.list_upcoming_occurrences(series.id, after=now)
        for item in upcoming:
            item.status, item.updated_at = "cancelled", now
            outbox.cancel_for_item(item.id)
        return replies.notice(tr, "recurring.cancelled", id=series_id, count=len(upcoming))
