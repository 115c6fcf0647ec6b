"""`/smm digest settings|on|off`: when and where the weekly digest comes, and whether it does.

Weekdays are read in English and Indonesian (`monday`, `senin`); the time as `HH:MM` (or
`HH.MM`, as Indonesians write it) in the workspace's zone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.audit import AuditAction, Subject
from smmbot.domain.digest_weeks import week_of
from smmbot.domain.mentions import mentioned_channel
from smmbot.persistence.models import Workspace
from smmbot.persistence.repositories import DigestSchedule, WorkspaceRepository
from smmbot.rendering import digest as replies
from smmbot.rendering import formatting
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.audit import record_member_action
from smmbot.services.context import CommandRequest

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


def current_workspace(request: CommandRequest, session: Session) -> Workspace:
    return WorkspaceRepository(session, request.actor.team_id).get_or_create(
        now=request.ctx.clock()
    )


def switch(request: CommandRequest, *, on: bool) -> Reply:
    """`digest on|off`: the weekly digest comes (or stops), settings kept for next time."""
    with request.ctx.db.transaction() as session:
        workspace = current_workspace(request, session)
        workspace.digest_enabled = on
        action = AuditAction.DIGEST_TURNED_ON if on else AuditAction.DIGEST_TURNED_OFF
        record_member_action(
            session, request.actor, action, Subject.setting("digest"), at=request.ctx.clock()
        )
        view = _settings_view(request, workspace)
    return replies.settings(request.tr, view, changed=True)


def change_settings(request: CommandRequest, options: Mapping[str, str]) -> Reply:
    tr = request.tr
    weekday = _WEEKDAYS.get(options.get("day", "").strip().lower()) if "day" in options else None
    moment = _TIME.fullmatch(options.get("time", "").strip()) if "time" in options else None
    channel = mentioned_channel(options["channel"]) if "channel" in options else None
    for key, parsed in (("day", weekday), ("time", moment), ("channel", channel)):
        if key in options and parsed is None:
            refusal = tr.mrkdwn(f"digest.bad_{key}", value=options[key])
            raise Refusal(refusal, usage_of=request.subcommand)
    with request.ctx.db.transaction() as session:
        workspace = current_workspace(request, session)
        if weekday is not None:
            workspace.digest_weekday = weekday
        if moment is not None:
            workspace.digest_time = time(int(moment.group(1)), int(moment.group(2)))
        if channel is not None:
            workspace.digest_channel_id = channel
        elif workspace.digest_channel_id is None and request.actor.channel_id:
            workspace.digest_channel_id = request.actor.channel_id
        view = _settings_view(request, workspace)
        if options:
            record_member_action(
                session,
                request.actor,
                AuditAction.DIGEST_SETTINGS_CHANGED,
                Subject.setting("digest"),
                at=request.ctx.clock(),
                detail=_settings_detail(view),
            )
    return replies.settings(tr, view, changed=bool(options))


def _settings_detail(view: replies.SettingsView) -> dict[str, str]:
    """The settings as they are after the change (what the log needs to say what was set)."""
    return {
        "day": str(view.weekday),
        "time": view.at.strftime("%H:%M"),
        "channel": view.channel_id or "",
    }


def _settings_view(request: CommandRequest, workspace: Workspace) -> replies.SettingsView:
    _, moment = digest_moment(workspace, request.ctx.clock())
    return replies.SettingsView(
        enabled=workspace.digest_enabled,
        weekday=workspace.digest_weekday,
        at=workspace.digest_time,
        zone=formatting.zone_label(moment, workspace.timezone, request.tr.locale),
        channel_id=workspace.digest_channel_id,
    )


def digest_moment(workspace: Workspace | DigestSchedule, now: datetime) -> tuple[date, datetime]:
    """This week's Monday in the workspace zone and the moment its digest is due."""
    zone = ZoneInfo(workspace.timezone)
    monday = week_of(now.astimezone(zone).date())[0]
    day = monday + timedelta(days=workspace.digest_weekday)
    return monday, datetime.combine(day, workspace.digest_time, tzinfo=zone)
