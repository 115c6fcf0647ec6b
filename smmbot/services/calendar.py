"""`/smm schedule` and `/smm calendar`: put posts on the calendar and plan their reminders.

Scheduling writes the item and every message it will need (lead reminders, the due message and
the missed nudge) to the outbox in one transaction, so the reminders exist exactly when the item
does; the scheduler only delivers what is in the outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from smmbot.domain.approval import IN_REVIEW, SCHEDULED
from smmbot.domain.mentions import mentioned_channel, mentioned_user
from smmbot.domain.recurring import SeriesRef
from smmbot.domain.reminder_lead_times import leads_ahead
from smmbot.domain.when import WhenError, WhenProblem, split_when
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.models import CalendarItem
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import calendar as replies
from smmbot.rendering import formatting
from smmbot.rendering.dates import when_hint
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply, reply_to_data
from smmbot.services.approval import held_reply, policy_of, request_review
from smmbot.services.audit import record_scheduled
from smmbot.services.calendar_drafts import SCHEDULE, Version, draft_versions, typed_platforms
from smmbot.services.context import Actor, CommandRequest
from smmbot.services.insights_slots import best_moment, wants_best
from smmbot.services.schedule_warnings import schedule_warnings

MISSED_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class ScheduleInput:
    due_at: datetime
    versions: list[Version]
    campaign_id: int | None
    campaign_name: str | None
    channel_id: str
    owner_id: str
    draft_id: int | None
    notes: tuple[Mrkdwn, ...] = ()


def handle_schedule(request: CommandRequest) -> Reply:
    """One calendar item per version (a draft's platforms, or the typed text), each with its
    own reminders, all in one transaction: a refused version leaves none of them saved. With
    approval on, a member's items are held for review instead, with no reminder planned."""
    tr, actor, now = request.tr, request.actor, request.ctx.clock()
    with request.ctx.db.transaction() as session:
        given = _read_input(session, request)
        calendar = CalendarRepository(session, actor.team_id)
        policy = policy_of(WorkspaceRepository(session, actor.team_id).get_or_create(now=now))
        held = policy.holds(actor.user_id, is_admin=actor.is_admin)
        views, warnings = [], list(given.notes)
        for version in given.versions:
            warnings += schedule_warnings(
                session,
                tr,
                actor,
                text=version.text,
                platform=version.platform,
                due_at=given.due_at,
            )
            item = calendar.add(_item(given, version, actor, now, held=held))
            record_scheduled(session, actor, item, now=now, held=held)
            views.append(item_view(item, given.campaign_name))
            if held:
                request_review(
                    session,
                    tr,
                    policy,
                    views[-1],
                    team_id=actor.team_id,
                    author=actor.user_id,
                    now=now,
                )
            else:
                leads, skipped = plan_messages(
                    session, tr, views[-1], team_id=actor.team_id, now=now
                )
    if held:
        return held_reply(tr, views, policy)
    if len(views) == 1:
        return replies.scheduled(tr, views[0], leads, skipped, warnings)
    return replies.scheduled_versions(tr, views, given.draft_id, leads, skipped, warnings)


def _item(
    given: ScheduleInput, version: Version, actor: Actor, now: datetime, *, held: bool
) -> CalendarItem:
    return CalendarItem(
        due_at=given.due_at,
        timezone=actor.timezone,
        text=version.text,
        platform=version.platform.value if version.platform else None,
        campaign_id=given.campaign_id,
        draft_id=given.draft_id,
        channel_id=given.channel_id,
        owner_id=given.owner_id,
        status=IN_REVIEW if held else SCHEDULED,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )


def _read_input(session: Session, request: CommandRequest) -> ScheduleInput:
    tr, actor, options = request.tr, request.actor, request.command.options
    notes: tuple[Mrkdwn, ...] = ()
    try:
        if wants_best(request.command.arguments):
            due_at, note = best_moment(
                session, tr, team_id=actor.team_id, platform_text=options.get("platform"),
                prefix=request.prefix, now=request.ctx.clock(),
            )  # fmt: skip
            rest, notes = list(request.command.arguments[1:]), (note,)
        else:
            due_at, rest = split_when(
                request.command.arguments, now=request.ctx.clock(), timezone=actor.timezone
            )
    except WhenError as error:
        if error.problem is WhenProblem.PAST and error.when is not None:
            when = formatting.moment(error.when, actor.timezone, tr.locale)
            raise Refusal(tr.mrkdwn("calendar.past", when=when), usage_of=SCHEDULE) from error
        hint = when_hint(tr, error)
        raise Refusal(
            tr.mrkdwn("calendar.unreadable", text=error.text, hint=hint), usage_of=SCHEDULE
        ) from error
    return replace(read_schedule_input(session, request, due_at, rest), notes=notes)


def read_schedule_input(
    session: Session, request: CommandRequest, due_at: datetime, rest: list[str]
) -> ScheduleInput:
    """Everything `schedule` says besides its moment: the versions, campaign, channel, owner
    (a repeating post's first moment is `due_at`)."""
    tr, actor, options = request.tr, request.actor, request.command.options
    versions, draft_id = _versions(session, tr, actor, " ".join(rest).strip(), options)
    campaign_id, campaign_name = _campaign(session, request, options.get("campaign"))
    return ScheduleInput(
        due_at=due_at,
        versions=versions,
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


def _versions(
    session: Session, tr: Translator, actor: Actor, typed: str, options: Mapping[str, str]
) -> tuple[list[Version], int | None]:
    """The post text typed after the moment (for the first platform named, if any), or the
    versions of `draft=<id>`."""
    if options.get("draft"):
        return draft_versions(session, tr, actor.team_id, typed, options)
    if not typed:
        raise Refusal(tr.mrkdwn("calendar.no_text"), usage_of=SCHEDULE)
    platforms = typed_platforms(tr, options.get("platform"))
    return [Version(typed, platforms[0] if platforms else None)], None


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


def item_view(
    item: CalendarItem, campaign_name: str | None, series: SeriesRef | None = None
) -> replies.ItemView:
    return replies.ItemView(
        id=item.id,
        due_at=item.due_at,
        timezone=item.timezone,
        text=item.text,
        platform=item.platform,
        campaign=campaign_name,
        owner_id=item.owner_id,
        channel_id=item.channel_id,
        series=series,
        status=item.status,
    )


def plan_messages(
    session: Session, tr: Translator, item: replies.ItemView, *, team_id: str, now: datetime
) -> tuple[list[timedelta], bool]:
    """Queues the lead reminders still ahead, the due message and the missed nudge. Returns the
    leads that will be sent and whether any were skipped for being in the past already."""
    workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
    queue = _ItemQueue(OutboxRepository(session, team_id), tr, item)
    stamp = int(item.due_at.timestamp())
    late = reply_to_data(replies.late_note(tr, item))
    ahead, skipped = leads_ahead(workspace.reminder_lead_minutes, due_at=item.due_at, now=now)
    leads = [timedelta(minutes=minutes) for minutes in ahead]
    for minutes, lead in zip(ahead, leads, strict=True):
        queue.add(
            "lead",
            f"lead:{minutes}:{stamp}",
            due_at=item.due_at - lead,
            drop_after=item.due_at,
            reply=replies.lead_reminder(tr, item, lead),
            late=late,
        )
    queue.add(
        "due", f"due:{stamp}", due_at=item.due_at, reply=replies.due_message(tr, item), late=late
    )
    queue.add(
        "missed",
        f"missed:{stamp}",
        due_at=item.due_at + MISSED_AFTER,
        reply=replies.missed_nudge(tr, item),
    )
    return leads, skipped


class _ItemQueue:
    """An item's channel messages, each stored with the language it is written in (its later
    edits are written in it too)."""

    def __init__(self, outbox: OutboxRepository, tr: Translator, item: replies.ItemView) -> None:
        self._outbox, self._locale, self._item = outbox, tr.locale, item

    def add(
        self,
        kind: str,
        key: str,
        *,
        due_at: datetime,
        reply: Reply,
        drop_after: datetime | None = None,
        late: dict[str, object] | None = None,
    ) -> None:
        payload: dict[str, object] = {"reply": reply_to_data(reply), "locale": self._locale}
        if late is not None:
            payload["late_note"] = late
        self._outbox.enqueue(
            kind=kind,
            dedupe_key=f"{self._outbox.team_id}:item:{self._item.id}:{key}",
            channel_id=self._item.channel_id,
            due_at=due_at,
            drop_after=drop_after,
            payload=payload,
            calendar_item_id=self._item.id,
        )
