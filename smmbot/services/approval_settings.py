"""`/smm settings approval on|off [approvers=@a,@b|@group] [channel=#…] [self_approve=on|off]`.

Admins only (the catalog declares `settings` for them). A user group is resolved to its members
with usergroups.users.list when the setting is saved, so deciding needs no Slack call; a group
changed later is picked up by saving the setting again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.orm import Session

from smmbot.domain.approval import merged, read_approvers, read_switch
from smmbot.domain.audit import AuditAction, Subject
from smmbot.domain.commands import subcommand
from smmbot.domain.mentions import mentioned_channel
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import approval as replies
from smmbot.rendering.approval import channel_mention
from smmbot.rendering.mrkdwn import Mrkdwn, mention
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.audit import record_member_action
from smmbot.services.context import CommandRequest, GroupLookup

log = logging.getLogger(__name__)

SETTINGS = subcommand("settings")


def set_approval(request: CommandRequest) -> Reply:
    tr, options = request.tr, request.command.options
    words = request.command.arguments[1:]
    switch = read_switch(words[0]) if len(words) == 1 else None
    if switch is None:
        raise Refusal(tr.mrkdwn("approval.usage", prefix=request.prefix), usage_of=SETTINGS)
    with request.ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, request.actor.team_id).get_or_create(
            now=request.ctx.clock()
        )
        if not switch:
            workspace.approval_enabled = False
            _record(session, request, AuditAction.APPROVAL_TURNED_OFF, {})
            return replies.notice(tr, "approval.turned_off")
        approvers = _approvers(request, options.get("approvers"), request.lookup_group)
        approvers = approvers if approvers is not None else tuple(workspace.approvers or ())
        if not approvers:
            raise Refusal(
                tr.mrkdwn("approval.no_approvers", prefix=request.prefix), usage_of=SETTINGS
            )
        channel = _channel(request, options.get("channel"), workspace.approvals_channel_id)
        self_approve = _self_approve(request, options.get("self_approve"), workspace.self_approve)
        workspace.approval_enabled, workspace.approvers = True, list(approvers)
        workspace.approvals_channel_id, workspace.self_approve = channel, self_approve
        own = self_approve if self_approve is not None else len(approvers) == 1
        detail = {"approvers": list(approvers), "channel": channel or "", "self_approve": own}
        _record(session, request, AuditAction.APPROVAL_TURNED_ON, detail)
    return replies.notice(
        tr,
        "approval.turned_on",
        approvers=Mrkdwn(", ".join(mention(user) for user in approvers)),
        channel=channel_mention(channel),
        self_approve=own,
    )


def _record(
    session: Session, request: CommandRequest, action: AuditAction, detail: dict[str, object]
) -> None:
    record_member_action(
        session,
        request.actor,
        action,
        Subject.setting("approval"),
        at=request.ctx.clock(),
        detail=detail,
    )


def _approvers(
    request: CommandRequest, value: str | None, lookup_group: GroupLookup | None
) -> tuple[str, ...] | None:
    if value is None:
        return None
    tr = request.tr
    found = read_approvers(value)
    if found.unreadable:
        raise Refusal(
            tr.mrkdwn("approval.bad_approvers", value=found.unreadable[0]), usage_of=SETTINGS
        )
    groups: list[Sequence[str]] = []
    for group in found.groups:
        if lookup_group is None:
            raise Refusal(tr.mrkdwn("approval.group_unavailable"), usage_of=SETTINGS)
        try:
            members = lookup_group(group)
        except Exception as error:  # a missing scope or a deleted group: said, nothing saved
            log.warning("usergroups.users.list %s failed: %s", group, error)
            raise Refusal(tr.mrkdwn("approval.group_unavailable"), usage_of=SETTINGS) from error
        if not members:
            raise Refusal(tr.mrkdwn("approval.empty_group", group=group), usage_of=SETTINGS)
        groups.append(members)
    return merged(found.users, *groups)


def _channel(request: CommandRequest, value: str | None, current: str | None) -> str | None:
    if value is None:
        return current
    channel = mentioned_channel(value)
    if channel is None:
        raise Refusal(request.tr.mrkdwn("calendar.bad_channel", value=value), usage_of=SETTINGS)
    return channel


def _self_approve(request: CommandRequest, value: str | None, current: bool | None) -> bool | None:
    if value is None:
        return current
    switch = read_switch(value)
    if switch is None:
        raise Refusal(request.tr.mrkdwn("approval.bad_switch", value=value), usage_of=SETTINGS)
    return switch
