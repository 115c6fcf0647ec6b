"""`/smm history <id>` (`riwayat`) and `/smm history export [from=…] [to=…]` (admins only, as the
catalog declares): a post's life, and the whole audit log as a CSV file.

History reads the item first, through the workspace's own repository, so another workspace's
id is refused exactly like an id that does not exist. The export's `from=`/`to=` are days in
the admin's zone, both included; either may be left out.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from smmbot.domain.audit import AuditRow, SubjectKind, audit_csv
from smmbot.domain.dates import DateError, read_date
from smmbot.persistence.audit_repository import AuditRepository
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.models import AuditEvent
from smmbot.rendering import history as replies
from smmbot.rendering.dates import date_problem
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import FileAttachment, Reply, Section
from smmbot.services.context import CommandRequest

MAX_ITEM_ID = 2**31 - 1


def handle_history(request: CommandRequest) -> Reply:
    arguments = request.command.arguments
    if arguments[:1] == ("export",):
        return _export(request)
    tr, prefix = request.tr, request.prefix
    if not arguments:
        raise Refusal(tr.mrkdwn("history.missing_id", prefix=prefix), usage_of=request.subcommand)
    typed = arguments[0].removeprefix("#")
    if not typed.isdecimal() or not 0 < int(typed) <= MAX_ITEM_ID:
        message = tr.mrkdwn("history.bad_id", value=arguments[0], prefix=prefix)
        raise Refusal(message, usage_of=request.subcommand)
    return _show(request, int(typed))


def _show(request: CommandRequest, item_id: int) -> Reply:
    tr, actor, prefix = request.tr, request.actor, request.prefix
    typed_page = request.command.options.get("page", "1")
    with request.ctx.db.transaction() as session:
        item = CalendarRepository(session, actor.team_id).get(item_id)
        if item is None:
            raise Refusal(tr.mrkdwn("history.not_found", id=item_id, prefix=prefix))
        events = AuditRepository(session, actor.team_id).list_for_subject(
            SubjectKind.ITEM.value, str(item_id)
        )
        status, due_at = item.status, item.due_at
    pages = max(1, -(-len(events) // replies.PAGE_SIZE))
    if not typed_page.isdecimal() or not 0 < int(typed_page) <= pages:
        message = tr.mrkdwn("history.bad_page", value=typed_page, pages=pages)
        raise Refusal(message, usage_of=request.subcommand)
    page = int(typed_page)
    start = (page - 1) * replies.PAGE_SIZE
    view = replies.HistoryPage(
        item_id=item_id,
        status=status,
        due_at=due_at,
        entries=[_entry(event) for event in events[start : start + replies.PAGE_SIZE]],
        first=start + 1,
        total=len(events),
        page=page,
        pages=pages,
    )
    return replies.history(tr, prefix, view, actor.timezone)


def _entry(event: AuditEvent) -> replies.EntryView:
    return replies.EntryView(event.occurred_at, event.actor_id, event.action, event.detail)


def _export(request: CommandRequest) -> Reply:
    tr, actor = request.tr, request.actor
    options = request.command.options
    start_day, end_day = _day(request, options.get("from")), _day(request, options.get("to"))
    if start_day and end_day and start_day > end_day:
        message = tr.mrkdwn("history.export_range", start=start_day, end=end_day)
        raise Refusal(message, usage_of=request.subcommand)
    zone = ZoneInfo(actor.timezone)
    start = datetime.combine(start_day, time(), zone) if start_day else None
    end = datetime.combine(end_day + timedelta(days=1), time(), zone) if end_day else None
    with request.ctx.db.transaction() as session:
        events = AuditRepository(session, actor.team_id).list_between(start, end)
        rows = [_row(event) for event in events]
    filename = f"smmbot-audit-{actor.team_id}-{request.ctx.clock():%Y%m%d-%H%M}.csv"
    attachment = FileAttachment(filename, tr.plain("history.export_title"), audit_csv(rows))
    text = tr.mrkdwn(
        "history.export_sent",
        count=len(rows),
        start=start_day.isoformat() if start_day else "",
        end=end_day.isoformat() if end_day else "",
        filename=filename,
    )
    return Reply(
        blocks=(Section(text),),
        fallback=tr.plain("history.export_fallback"),
        files=(attachment,),
        files_in_dm=True,
    )


def _day(request: CommandRequest, typed: str | None) -> date | None:
    if typed is None:
        return None
    try:
        return read_date(typed)
    except DateError as error:
        raise Refusal(date_problem(request.tr, error), usage_of=request.subcommand) from None


def _row(event: AuditEvent) -> AuditRow:
    return AuditRow(
        occurred_at=event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        actor=event.actor_id,
        action=event.action,
        subject_kind=event.subject_kind,
        subject=event.subject_key,
        detail=json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
    )
