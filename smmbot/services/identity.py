"""Who is typing: the workspace row, and the member's Slack time zone and locale (cached).

Slack does not send the locale with a slash command, so it comes from users.info; the result is
cached because that call is slow and rate limited, and a stale cache beats no answer. The cache
holds the member's admin flag too, which decides who may change settings and approve posts, so
it lasts minutes, not a day: a member Slack demotes loses those rights within `PROFILE_MAX_AGE`.
Whether a member is an approver is read from the workspace's settings on every request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from smmbot.domain.timezones import zone_or_fallback
from smmbot.persistence.models import SlackUser, Workspace
from smmbot.persistence.repositories import UserRepository, WorkspaceRepository
from smmbot.rendering.i18n import choose_locale
from smmbot.services.context import Actor, ServiceContext

log = logging.getLogger(__name__)

PROFILE_MAX_AGE = timedelta(minutes=5)


@dataclass(frozen=True)
class MemberProfile:
    """What Slack says of a member; `is_admin` covers workspace admins and owners."""

    timezone: str | None
    locale: str | None
    is_admin: bool = False


ProfileLookup = Callable[[str], MemberProfile | None]


def identify_actor(
    *,
    ctx: ServiceContext,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    lookup_profile: ProfileLookup,
    max_profile_age: timedelta = PROFILE_MAX_AGE,
) -> Actor:
    now = ctx.clock()
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
        cached = UserRepository(session, team_id).get(user_id)
        fetched_at = cached.profile_fetched_at if cached is not None else None
        if fetched_at is not None and now - fetched_at < max_profile_age:
            return _actor(team_id, user_id, channel_id, workspace, cached)
    profile = _lookup_quietly(lookup_profile, user_id)
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
        users = UserRepository(session, team_id)
        if profile is not None:
            users.upsert(
                user_id,
                timezone=profile.timezone,
                locale=profile.locale,
                is_admin=profile.is_admin,
                fetched_at=now,
            )
        return _actor(team_id, user_id, channel_id, workspace, users.get(user_id))


def cached_actor(
    *, ctx: ServiceContext, team_id: str, user_id: str, channel_id: str | None
) -> Actor | None:
    """The member as last seen, or None when their profile must be fetched from Slack first."""
    now = ctx.clock()
    recent = ctx.members.get(team_id, user_id, now)
    if recent is not None:  # a member mostly types in the channel they last typed in
        return recent if recent.channel_id == channel_id else replace(recent, channel_id=channel_id)
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, team_id).get()
        user = UserRepository(session, team_id).get(user_id)
        fetched_at = user.profile_fetched_at if user is not None else None
        if workspace is None or fetched_at is None or now - fetched_at >= PROFILE_MAX_AGE:
            return None
        actor = _actor(team_id, user_id, channel_id, workspace, user)
    ctx.members.put(actor, now)
    return actor


def stored_actor(session: Session, team_id: str, user_id: str, *, now: datetime) -> Actor:
    """The member as smmbot last saw them, for what is sent them later without a request of
    theirs (their App Home): the workspace's language and zone for one never seen."""
    workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
    return _actor(team_id, user_id, None, workspace, UserRepository(session, team_id).get(user_id))


def _actor(
    team_id: str,
    user_id: str,
    channel_id: str | None,
    workspace: Workspace,
    user: SlackUser | None,
) -> Actor:
    """The member's own locale and zone win; the workspace's fill in what Slack didn't say.
    Zones are read by name (WITA, Jakarta), and one that names no zone is passed over."""
    return Actor(
        team_id=team_id,
        user_id=user_id,
        channel_id=channel_id,
        locale=choose_locale(user.locale if user else None, workspace.locale),
        timezone=zone_or_fallback(user.timezone if user else None, workspace.timezone),
        is_admin=user.is_admin if user else False,
        is_approver=user_id in (workspace.approvers or ()),
    )


def locale_without_database(
    ctx: ServiceContext, team_id: str, user_id: str, lookup_profile: ProfileLookup
) -> str:
    """The member's language while the database is unreachable: from the last minute's cache,
    else from Slack's profile; English when neither answers."""
    recent = ctx.members.get(team_id, user_id, ctx.clock())
    if recent is not None:
        return recent.locale
    profile = _lookup_quietly(lookup_profile, user_id)
    return choose_locale(profile.locale if profile else None, None)


def _lookup_quietly(lookup_profile: ProfileLookup, user_id: str) -> MemberProfile | None:
    """A failed lookup must not fail the command: the reply falls back to workspace defaults."""
    try:
        return lookup_profile(user_id)
    except Exception:
        log.warning("profile lookup for %s failed; using cached or workspace defaults", user_id)
        return None
