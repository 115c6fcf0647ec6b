"""`/smm digest`: the weekly SMO/SMM digest, on demand and every week on the team's chosen day.

The weekly digest is a sweep, not a timer per workspace: each pass enqueues the digest of every
workspace whose moment (weekday and time in its own zone) has come this week, under the dedupe
key `<team>:digest:<monday>`, so the outbox stores it once however many passes or bot processes
see it, and delivery (with retries) is the outbox's job.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.digest import (
    ActiveCampaign,
    ContentExecution,
    Digest,
    TargetProgress,
    UpcomingPost,
    summarize,
    target_progress,
    week_bounds,
    week_of,
)
from smmbot.domain.mentions import mentioned_channel
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.digest_repository import DigestRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import Workspace
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository, workspaces_with_digest
from smmbot.persistence.sources_repository import BROKEN, ConnectorRepository
from smmbot.rendering import digest as replies
from smmbot.rendering import formatting
from smmbot.rendering.chart import WeekPoint, weekly_chart_png
from smmbot.rendering.help import problem
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import FileAttachment, Reply, reply_to_data
from smmbot.services.context import CommandRequest, ServiceContext

UPCOMING_LIMIT = 10
SETTINGS_OPTIONS = frozenset({"day", "time", "channel"})
_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("monday", "mon", "senin"),
            ("tuesday", "tue", "selasa"),
            ("wednesday", "wed", "rabu"),
            ("thursday", "thu", "kamis"),
            ("friday", "fri", "jumat", "jum'at"),
            ("saturday", "sat", "sabtu"),
            ("sunday", "sun", "minggu", "ahad"),
        )
    )
    for name in names
}
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


def build_digest(*, ctx: ServiceContext, team_id: str, now: datetime) -> Digest:
    """The digest of the week containing `now` so far, in the workspace's zone."""
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
        today = now.astimezone(ZoneInfo(workspace.timezone)).date()
        return _assemble(session, workspace, week_of(today)[0], today)


def _assemble(session: Session, workspace: Workspace, monday: date, today: date) -> Digest:
    """The digest of the week starting `monday`, with campaigns as they stand on `today`."""
    repository = DigestRepository(session, workspace.team_id)
    campaigns = repository.active_campaigns(today)
    week = repository.week_aggregates(
        monday,
        min(monday + timedelta(days=6), today),
        campaign_starts={c.name: c.start_date for c in campaigns},
        until=today,
    )
    summary = summarize(monday, week.current, week.previous)
    start, end = week_bounds(monday, workspace.timezone)
    counts = repository.execution_counts(start, end)
    next_start, next_end = week_bounds(monday + timedelta(days=7), workspace.timezone)
    upcoming = CalendarRepository(session, workspace.team_id).upcoming(
        start=next_start, end=next_end, limit=UPCOMING_LIMIT
    )
    targets: list[TargetProgress] = []
    for campaign in campaigns:
        so_far = dict(week.by_campaign.get(campaign.name, {}))
        if "followers" in week.current:
            so_far["followers"] = week.current["followers"]
        wanted = {name: Decimal(value) for name, value in campaign.targets.items()}
        targets.extend(target_progress(campaign.name, wanted, so_far))
    return Digest(
        summary=summary,
        targets=tuple(targets),
        execution=ContentExecution(
            scheduled=counts.get("scheduled", 0),
            published=counts.get("published", 0),
            missed=counts.get("missed", 0),
        ),
        upcoming=tuple(UpcomingPost(i.due_at, i.platform, i.text) for i in upcoming),
        campaigns=tuple(
            ActiveCampaign(
                name=c.name,
                days_left=(c.end_date - today).days + 1,
                budget=c.budget,
                budget_used=week.by_campaign.get(c.name, {}).get("ad_spend", Decimal(0)),
            )
            for c in campaigns
        ),
        timezone=workspace.timezone,
        currency=workspace.currency,
        **_sources(session, workspace.team_id, monday),
    )


def _sources(session: Session, team_id: str, monday: date) -> dict[str, tuple[str, ...]]:
    """The week's sources for the footnote and the connectors that stopped updating."""
    week_sources = MetricRepository(session, team_id).sources_between(
        monday, monday + timedelta(days=6)
    )
    broken = [s.provider for s in ConnectorRepository(session, team_id).all() if s.status == BROKEN]
    return {"sources": tuple(week_sources), "broken_sources": tuple(broken)}


def handle_digest(request: CommandRequest) -> Reply:
    """`digest now` posts to the channel; `settings`, `on` and `off` answer the member only."""
    tr, prefix = request.tr, request.prefix
    action = request.command.arguments[0].lower() if request.command.arguments else "now"
    if action == "now":
        with request.ctx.db.transaction() as session:
            workspace = _workspace(request, session)
            today = request.ctx.clock().astimezone(ZoneInfo(workspace.timezone)).date()
            return _digest_reply(session, workspace, week_of(today)[0], today, tr, prefix)
    if action in {"on", "off"}:
        with request.ctx.db.transaction() as session:
            workspace = _workspace(request, session)
            workspace.digest_enabled = action == "on"
            view = _settings_view(request, workspace)
        return replies.settings(tr, view, changed=True)
    if action == "settings":
        return _settings(request)
    return problem(
        tr, prefix, tr.mrkdwn("digest.unknown_action", action=action), usage_of=request.subcommand
    )


def _workspace(request: CommandRequest, session: Session) -> Workspace:
    return WorkspaceRepository(session, request.actor.team_id).get_or_create(
        now=request.ctx.clock()
    )


def _settings(request: CommandRequest) -> Reply:
    tr, options = request.tr, request.command.options
    unknown = sorted(set(options) - SETTINGS_OPTIONS)
    if unknown:
        refusal = tr.mrkdwn("digest.unknown_option", key=unknown[0])
        return problem(tr, request.prefix, refusal, usage_of=request.subcommand)
    weekday = _WEEKDAYS.get(options.get("day", "").strip().lower()) if "day" in options else None
    moment = _TIME.fullmatch(options.get("time", "").strip()) if "time" in options else None
    channel = mentioned_channel(options["channel"]) if "channel" in options else None
    for key, parsed in (("day", weekday), ("time", moment), ("channel", channel)):
        if key in options and parsed is None:
            refusal = tr.mrkdwn(f"digest.bad_{key}", value=options[key])
            return problem(tr, request.prefix, refusal, usage_of=request.subcommand)
    with request.ctx.db.transaction() as session:
        workspace = _workspace(request, session)
        if weekday is not None:
            workspace.digest_weekday = weekday
        if moment is not None:
            workspace.digest_time = time(int(moment.group(1)), int(moment.group(2)))
        if channel is not None:
            workspace.digest_channel_id = channel
        elif workspace.digest_channel_id is None and request.actor.channel_id:
            workspace.digest_channel_id = request.actor.channel_id
        view = _settings_view(request, workspace)
    return replies.settings(tr, view, changed=bool(options))


def _settings_view(request: CommandRequest, workspace: Workspace) -> replies.SettingsView:
    _, moment = digest_moment(workspace, request.ctx.clock())
    return replies.SettingsView(
        enabled=workspace.digest_enabled,
        weekday=workspace.digest_weekday,
        at=workspace.digest_time,
        zone=formatting.zone_label(moment, workspace.timezone, request.tr.locale),
        channel_id=workspace.digest_channel_id,
    )


def digest_moment(workspace: Workspace, now: datetime) -> tuple[date, datetime]:
    """This week's Monday in the workspace zone and the moment its digest is due."""
    zone = ZoneInfo(workspace.timezone)
    monday = week_of(now.astimezone(zone).date())[0]
    day = monday + timedelta(days=workspace.digest_weekday)
    return monday, datetime.combine(day, workspace.digest_time, tzinfo=zone)


def queue_weekly_digests(*, ctx: ServiceContext) -> int:
    """Enqueues each due weekly digest (of the last full week); returns how many were new."""
    now = ctx.clock()
    queued = 0
    with ctx.db.transaction() as session:
        for workspace in workspaces_with_digest(session):
            monday, due_at = digest_moment(workspace, now)
            if due_at > now or workspace.digest_channel_id is None:
                continue
            key = f"{workspace.team_id}:digest:{monday.isoformat()}"
            if DigestRepository(session, workspace.team_id).queued(key):
                continue
            today = now.astimezone(ZoneInfo(workspace.timezone)).date()
            tr = Translator(workspace.locale or "")
            last_monday = monday - timedelta(days=7)
            reply = _digest_reply(session, workspace, last_monday, today, tr, "/smm ")
            OutboxRepository(session, workspace.team_id).enqueue(
                kind="digest",
                dedupe_key=key,
                channel_id=workspace.digest_channel_id,
                due_at=due_at,
                payload={"reply": reply_to_data(reply)},
            )
            queued += 1
    return queued


def _digest_reply(
    session: Session,
    workspace: Workspace,
    monday: date,
    today: date,
    tr: Translator,
    prefix: str,
) -> Reply:
    """The week starting `monday` as the channel sees it: the digest with its chart."""
    digest = _assemble(session, workspace, monday, today)
    message = replies.digest_message(tr, prefix, digest, public=True)
    return replace(message, files=(_chart(session, workspace, monday, today, tr),))


CHART_WEEKS = 8
CHART_METRICS = ("social_sessions", "revenue")


def _chart(
    session: Session, workspace: Workspace, monday: date, today: date, tr: Translator
) -> FileAttachment:
    """Eight weeks ending with `monday`'s, from one GROUP BY per day; a week that holds
    `today` is drawn as "so far", so a mid-week dip does not read as a fall."""
    first = monday - timedelta(weeks=CHART_WEEKS - 1)
    daily = DigestRepository(session, workspace.team_id).daily_totals(
        first, monday + timedelta(days=6), CHART_METRICS
    )
    points = []
    for weeks_after in range(CHART_WEEKS):
        start = first + timedelta(weeks=weeks_after)
        days = [start + timedelta(days=n) for n in range(7)]
        sessions, revenue = (
            sum((daily.get(day, {}).get(metric, Decimal(0)) for day in days), Decimal(0))
            for metric in CHART_METRICS
        )
        points.append(WeekPoint(start, sessions, revenue, complete=today > days[-1]))
    png = weekly_chart_png(tr, points, workspace.currency)
    return FileAttachment(f"smmbot-digest-{monday.isoformat()}.png", tr.plain("chart.title"), png)
