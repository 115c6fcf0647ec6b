"""`/smm digest`: the weekly SMO/SMM digest, on demand and every week on the team's chosen day.

The weekly digest is a sweep, not a timer per workspace (`digest_sweep`); both it and the
command draw the week with `digest_reply`.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from smmbot.persistence.digest_repository import DigestRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import Workspace
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.persistence.sharebar_repository import ShareBarRepository
from smmbot.persistence.sources_repository import BROKEN, ConnectorRepository
from smmbot.rendering import digest as replies
from smmbot.rendering.chart import WeekPoint, enough_weeks, weekly_chart_png
from smmbot.rendering.i18n import Translator
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import FileAttachment, Reply
from smmbot.services.competitors_digest import competitor_blocks
from smmbot.services.context import CommandRequest, ServiceContext
from smmbot.services.digest_settings import (
    change_settings,
    current_workspace,
    switch,
)
from smmbot.services.insights_posts import published_posts

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
