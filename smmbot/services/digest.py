"""`/smm digest`: the weekly SMO/SMM digest, on demand and every week on the team's chosen day.

The weekly digest is a sweep, not a timer per workspace: each pass enqueues the digest of every
workspace whose moment (weekday and time in its own zone) has come this week, under the dedupe
key `<team>:digest:<monday>`, so the outbox stores it once however many passes or bot processes
see it, and delivery (with retries) is the outbox's job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.commands import DIGEST_WEEK
from smmbot.domain.digest import (
    ActiveCampaign,
    ContentExecution,
    Digest,
    TargetProgress,
    UpcomingPost,
    campaign_achieved,
    summarize,
    target_progress,
)
from smmbot.domain.digest_weeks import (
    WeekError,
    last_week,
    week_bounds,
    week_containing,
    week_of,
)
from smmbot.domain.insights import post_id, top_posts
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.digest_queue import claim_next_digest, queued_keys
from smmbot.persistence.digest_repository import DigestRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import Workspace
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository, workspaces_with_digest
from smmbot.persistence.sharebar_repository import ShareBarRepository
from smmbot.persistence.sources_repository import BROKEN, ConnectorRepository
from smmbot.rendering import digest as replies
from smmbot.rendering.chart import WeekPoint, enough_weeks, weekly_chart_png
from smmbot.rendering.i18n import Translator
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import FileAttachment, Reply, reply_to_data
from smmbot.services.competitors_digest import competitor_blocks
from smmbot.services.context import CommandRequest, ServiceContext
from smmbot.services.digest_helpers import DigestHelpers, finished
from smmbot.services.digest_settings import (
    change_settings,
    current_workspace,
    digest_moment,
    switch,
)
from smmbot.services.insights_posts import published_posts
from smmbot.services.operations import record_digest_build

UPCOMING_LIMIT = 10


def build_digest(*, ctx: ServiceContext, team_id: str, now: datetime) -> Digest:
    """The digest of the week containing `now` so far, in the workspace's zone."""
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
        today = now.astimezone(ZoneInfo(workspace.timezone)).date()
        return _assemble(session, workspace, week_of(today)[0], today)


def _assemble(session: Session, workspace: Workspace, monday: date, today: date) -> Digest:
    """The digest of the week starting `monday`, with campaigns as they stand on `today`."""
    repository = DigestRepository(session, workspace.team_id)
    campaigns = repository.list_active_campaigns(today)
    week = repository.week_aggregates(
        monday,
        min(monday + timedelta(days=6), today),
        campaign_starts={c.name: c.start_date for c in campaigns},
        until=today,
    )
    summary = summarize(monday, week.current, week.previous)
    start, end = week_bounds(monday, workspace.timezone)
    counts = repository.count_executions(start, end)
    next_start, next_end = week_bounds(monday + timedelta(days=7), workspace.timezone)
    upcoming = CalendarRepository(session, workspace.team_id).list_upcoming(
        start=next_start, end=next_end, limit=UPCOMING_LIMIT
    )
    targets: list[TargetProgress] = []
    for campaign in campaigns:
        so_far = campaign_achieved(week.by_campaign.get(campaign.name, {}), week.current)
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
        website_shares=_website_shares(session, workspace.team_id, monday, today),
        top_posts=top_posts(published_posts(session, workspace.team_id, since=start, until=end), 3),
        **_sources(session, workspace.team_id, monday),
    )


def _website_shares(
    session: Session, team_id: str, monday: date, today: date
) -> tuple[tuple[str, int], ...]:
    last_day = min(monday + timedelta(days=6), today)
    shares = ShareBarRepository(session, team_id).shares_by_network(monday, last_day)
    return tuple(sorted(shares.items(), key=lambda item: (-item[1], item[0])))


def _sources(session: Session, team_id: str, monday: date) -> dict[str, tuple[str, ...]]:
    """The week's sources for the footnote and the connectors that stopped updating."""
    week_sources = MetricRepository(session, team_id).list_sources_between(
        monday, monday + timedelta(days=6)
    )
    broken = [
        s.provider for s in ConnectorRepository(session, team_id).list_all() if s.status == BROKEN
    ]
    named = sorted({"posts" if post_id(s) is not None else s for s in week_sources})
    return {"sources": tuple(named), "broken_sources": tuple(broken)}


def handle_digest(request: CommandRequest) -> Reply:
    """`digest now|last|week=…` post to the channel; `settings`, `on` and `off` answer the
    member only. The catalog has checked each action's options; `week=` alone is this bare
    form's one option."""
    tr, prefix, options = request.tr, request.prefix, request.command.options
    typed = request.command.arguments[0] if request.command.arguments else ""
    if typed.casefold() in DIGEST_WEEK.all_keys:
        typed = "week"  # `digest week` without `=`: the week form, told how to write its date
    action = typed or ("week" if "week" in options else "now")
    if action == "settings":
        return change_settings(request, options)
    if action in {"on", "off"}:
        return switch(request, on=action == "on")
    with request.ctx.db.transaction() as session:
        workspace = current_workspace(request, session)
        today = request.ctx.clock().astimezone(ZoneInfo(workspace.timezone)).date()
        try:
            monday = _shown_week(action, options, today)
        except WeekError as error:
            refusal = tr.mrkdwn(f"digest.{error.problem.value}", value=error.text)
            raise Refusal(refusal, usage_of=request.subcommand) from error
        return digest_reply(session, workspace, monday, today, tr, prefix)


def _shown_week(action: str, options: Mapping[str, str], today: date) -> date:
    """The Monday of the week `digest now|last|week=` shows, in the workspace's calendar."""
    if action == "last":
        return last_week(today)
    if action == "week":
        return week_containing(options.get("week", ""), today)
    return week_of(today)[0]


def queue_weekly_digests(
    *,
    ctx: ServiceContext,
    helpers: DigestHelpers | None = None,
    on_built: Callable[[float], object] = record_digest_build,
) -> int:
    """Enqueues each due weekly digest (of the last full week); returns how many were new.

    Each digest is built and enqueued in a transaction of its own, so the first ones go out
    while the rest of a Monday rush is still being built, and a digest another process is
    building is left to it (`claim_next_digest`). One at a time: a second builder thread in
    the same process overlapped its database waits but cost 10% more CPU a digest (the two
    contend for the GIL), so a rush gets more cores from more processes, which split it: other
    bot processes, and the `helpers` a large rush starts (`digest_helpers`). `on_built` gets each
    build's CPU seconds (the operators' metrics)."""
    now = ctx.clock()
    teams = {key: team_id for team_id, key in _due_digests(ctx, now)}
    started = helpers.start(len(teams), now) if helpers is not None else []
    remaining = list(teams)
    queued = 0
    while remaining:
        with ctx.db.transaction() as session:
            key = claim_next_digest(session, remaining)
            if key is None:
                break
            # the keys before it are queued, or being built by another process, which has them
            remaining = remaining[remaining.index(key) + 1 :]
            queued += _queue_digest(session, teams[key], key, now, on_built)
    for helper in started:
        helped, builds = finished(helper)
        queued += helped
        for seconds in builds:
            on_built(seconds)
    return queued


def _queue_digest(
    session: Session, team_id: str, key: str, now: datetime, on_built: Callable[[float], object]
) -> bool:
    """Builds and enqueues the claimed digest under `key`, in the claim's transaction; the
    build's CPU (not the enqueue's) goes to `on_built`."""
    started = time.thread_time()
    workspace = WorkspaceRepository(session, team_id).get()
    if workspace is None or workspace.digest_channel_id is None:
        return False
    today = now.astimezone(ZoneInfo(workspace.timezone)).date()
    tr = Translator(workspace.locale or "")
    reply = digest_reply(session, workspace, last_week(today), today, tr, "/smm ")
    payload = {"reply": reply_to_data(reply)}
    on_built(time.thread_time() - started)
    OutboxRepository(session, team_id).enqueue_only(
        kind="digest",
        dedupe_key=key,
        channel_id=workspace.digest_channel_id,
        due_at=digest_moment(workspace, now)[1],
        payload=payload,
    )
    return True


def _due_digests(ctx: ServiceContext, now: datetime) -> list[tuple[str, str]]:
    """(team id, dedupe key) of each digest whose moment has come and that is not queued yet:
    two statements however many workspaces there are."""
    with ctx.db.transaction() as session:
        due: dict[str, str] = {}
        for workspace in workspaces_with_digest(session):
            monday, due_at = digest_moment(workspace, now)
            if due_at <= now:
                due[f"{workspace.team_id}:digest:{monday.isoformat()}"] = workspace.team_id
        done = queued_keys(session, due)
    return [(team_id, key) for key, team_id in due.items() if key not in done]


def digest_reply(
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
    end = min(monday + timedelta(days=6), today)
    rivals = competitor_blocks(session, workspace.team_id, digest, end, tr)
    message = replace(message, blocks=(*message.blocks, *rivals))
    points = _chart_points(session, workspace, monday, today)
    if not enough_weeks(points):
        return replies.without_chart(tr, message)
    png = weekly_chart_png(tr, points, workspace.currency)
    chart = FileAttachment(f"smmbot-digest-{monday.isoformat()}.png", tr.plain("chart.title"), png)
    return replace(message, files=(chart,))


CHART_WEEKS = 8
CHART_METRICS = ("social_sessions", "revenue")


def _chart_points(
    session: Session, workspace: Workspace, monday: date, today: date
) -> list[WeekPoint]:
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
    return points
