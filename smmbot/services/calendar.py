"""`/smm schedule` and `/smm calendar`: put posts on the calendar and plan their reminders.

Scheduling writes the item and every message it will need (lead reminders, the due message and
the missed nudge) to the outbox in one transaction, so the reminders exist exactly when the item
does; the scheduler only delivers what is in the outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from smmbot.domain.commands import subcommand
from smmbot.domain.mentions import mentioned_channel, mentioned_user
from smmbot.domain.payloads import parse_record_id
from smmbot.domain.platforms import Platform, UnknownPlatformError, measure, parse_platforms
from smmbot.domain.when import WhenError, WhenProblem, split_when
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.drafts_repository import DraftRepository
from smmbot.persistence.models import CalendarItem
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import calendar as replies
from smmbot.rendering import formatting
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply, reply_to_data
from smmbot.services.context import Actor, CommandRequest

SCHEDULE_OPTIONS = frozenset({"campaign", "platform", "channel", "owner", "draft"})
MISSED_AFTER = timedelta(hours=24)
SCHEDULE = subcommand("schedule")


@dataclass(frozen=True)
class _ScheduleInput:
    due_at: datetime
    text: str
    platform: Platform | None
    campaign_id: int | None
    campaign_name: str | None
    channel_id: str
    owner_id: str
    draft_id: int | None


def handle_schedule(request: CommandRequest) -> Reply:
    tr, actor = request.tr, request.actor
    with request.ctx.db.transaction() as session:
        order = _read_input(session, request)
        warnings = _length_warnings(tr, order)
        item = CalendarRepository(session, actor.team_id).add(
            CalendarItem(
                due_at=order.due_at,
                timezone=actor.timezone,
                text=order.text,
                platform=order.platform.value if order.platform else None,
                campaign_id=order.campaign_id,
                draft_id=order.draft_id,
                channel_id=order.channel_id,
                owner_id=order.owner_id,
                status="scheduled",
                created_by=actor.user_id,
                created_at=request.ctx.clock(),
                updated_at=request.ctx.clock(),
            )
        )
        view = item_view(item, order.campaign_name)
        leads, skipped = plan_messages(
            session, tr, view, team_id=actor.team_id, now=request.ctx.clock()
        )
    return replies.scheduled(tr, view, leads, skipped, warnings)


def _read_input(session: Session, request: CommandRequest) -> _ScheduleInput:
    tr, actor, options = request.tr, request.actor, request.command.options
    unknown = sorted(set(options) - SCHEDULE_OPTIONS)
    if unknown:
        raise Refusal(tr.mrkdwn("calendar.unknown_option", key=unknown[0]), usage_of=SCHEDULE)
    try:
        due_at, rest = split_when(
            request.command.arguments, now=request.ctx.clock(), timezone=actor.timezone
        )
    except WhenError as error:
        if error.problem is WhenProblem.PAST and error.when is not None:
            when = formatting.moment(error.when, actor.timezone, tr.locale)
            raise Refusal(tr.mrkdwn("calendar.past", when=when), usage_of=SCHEDULE) from error
        raise Refusal(
            tr.mrkdwn("calendar.unreadable", text=error.text), usage_of=SCHEDULE
        ) from error
    platform = _platform(tr, options.get("platform"))
    text, draft_id, platform = _text(session, tr, actor, " ".join(rest).strip(), options, platform)
    campaign_id, campaign_name = _campaign(session, request, options.get("campaign"))
    return _ScheduleInput(
        due_at=due_at,
        text=text,
        platform=platform,
        campaign_id=campaign_id,
        campaign_name=campaign_name,
        channel_id=_mentioned(
            mentioned_channel,
            options.get("channel"),
            actor.channel_id or "",
            tr.mrkdwn("calendar.bad_channel", value=options.get("channel", "")),
        ),
        owner_id=_mentioned(
            mentioned_user,
            options.get("owner"),
            actor.user_id,
            tr.mrkdwn("calendar.bad_owner", value=options.get("owner", "")),
        ),
        draft_id=draft_id,
    )


def _platform(tr: Translator, value: str | None) -> Platform | None:
    if not value:
        return None
    try:
        return parse_platforms(value)[0]
    except (UnknownPlatformError, IndexError) as error:
        known = ", ".join(platform.value for platform in Platform)
        raise Refusal(
            tr.mrkdwn("draft.bad_platform", unknown=value, known=known), usage_of=SCHEDULE
        ) from error


def _text(
    session: Session,
    tr: Translator,
    actor: Actor,
    typed: str,
    options: Mapping[str, str],
    platform: Platform | None,
) -> tuple[str, int | None, Platform | None]:
    """The post text: typed after the moment, or a draft's variant for the platform."""
    if not options.get("draft"):
        if not typed:
            raise Refusal(tr.mrkdwn("calendar.no_text"), usage_of=SCHEDULE)
        return typed, None, platform
    draft_id = options["draft"].lstrip("#")
    number = parse_record_id(draft_id)
    draft = DraftRepository(session, actor.team_id).get(number) if number is not None else None
    if draft is None or not draft.variants:
        raise Refusal(tr.mrkdwn("calendar.draft_not_found", id=draft_id), usage_of=SCHEDULE)
    variant = next(
        (v for v in draft.variants if platform and v.platform == platform.value), draft.variants[0]
    )
    return typed or variant.text, draft.id, platform or Platform(variant.platform)


def _campaign(
    session: Session, request: CommandRequest, name: str | None
) -> tuple[int | None, str | None]:
    if not name:
        return None, None
    campaign = CampaignRepository(session, request.actor.team_id).find_by_name(name)
    if campaign is None:
        raise Refusal(
            request.tr.mrkdwn("calendar.unknown_campaign", name=name, prefix=request.prefix),
            usage_of=SCHEDULE,
        )
    return campaign.id, campaign.name


def _mentioned(
    read: Callable[[str], str | None], value: str | None, default: str, refusal: Mrkdwn
) -> str:
    if not value:
        return default
    found = read(value)
    if found is None:
        raise Refusal(refusal, usage_of=SCHEDULE)
    return found


def _length_warnings(tr: Translator, order: _ScheduleInput) -> list[Mrkdwn]:
    if order.platform is None:
        return []
    check = measure(order.text, order.platform)
    if not check.over_by:
        return []
    return [
        tr.mrkdwn(
            "draft.over_limit",
            length=check.length,
            limit=check.limit,
            over=check.over_by,
            platform=tr.plain(f"platform.{order.platform.value}"),
        )
    ]


def item_view(item: CalendarItem, campaign_name: str | None) -> replies.ItemView:
    return replies.ItemView(
        id=item.id,
        due_at=item.due_at,
        timezone=item.timezone,
        text=item.text,
        platform=item.platform,
        campaign=campaign_name,
        owner_id=item.owner_id,
        channel_id=item.channel_id,
    )


def plan_messages(
    session: Session, tr: Translator, item: replies.ItemView, *, team_id: str, now: datetime
) -> tuple[list[timedelta], bool]:
    """Queues the lead reminders still ahead, the due message and the missed nudge. Returns the
    leads that will be sent and whether any were skipped for being in the past already."""
    workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
    outbox = OutboxRepository(session, team_id)
    stamp = int(item.due_at.timestamp())
    late = reply_to_data(replies.late_note(tr, item))
    leads: list[timedelta] = []
    skipped = False
    for minutes in sorted(workspace.reminder_lead_minutes, reverse=True):
        lead = timedelta(minutes=minutes)
        if item.due_at - lead <= now:
            skipped = True
            continue
        leads.append(lead)
        _enqueue(
            outbox,
            workspace.team_id,
            item,
            kind="lead",
            key=f"lead:{minutes}:{stamp}",
            due_at=item.due_at - lead,
            drop_after=item.due_at,
            reply=replies.lead_reminder(tr, item, lead),
            late=late,
        )
    _enqueue(
        outbox,
        workspace.team_id,
        item,
        kind="due",
        key=f"due:{stamp}",
        due_at=item.due_at,
        drop_after=None,
        reply=replies.due_message(tr, item),
        late=late,
    )
    _enqueue(
        outbox,
        workspace.team_id,
        item,
        kind="missed",
        key=f"missed:{stamp}",
        due_at=item.due_at + MISSED_AFTER,
        drop_after=None,
        reply=replies.missed_nudge(tr, item),
        late=None,
    )
    return leads, skipped


def _enqueue(
    outbox: OutboxRepository,
    team_id: str,
    item: replies.ItemView,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    drop_after: datetime | None,
    reply: Reply,
    late: dict[str, object] | None,
) -> None:
    payload: dict[str, object] = {"reply": reply_to_data(reply)}
    if late is not None:
        payload["late_note"] = late
    outbox.enqueue(
        kind=kind,
        dedupe_key=f"{team_id}:item:{item.id}:{key}",
        channel_id=item.channel_id,
        due_at=due_at,
        drop_after=drop_after,
        payload=payload,
        calendar_item_id=item.id,
    )
