"""The workspace and its members; plus the digest sweep's look across workspaces.

Every repository derives from `TeamScopedRepository` (`team_scoped.py`: the shared verbs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.orm import Session

from smmbot.persistence.models import SlackUser, Workspace
from smmbot.persistence.team_scoped import TeamScopedRepository
from smmbot.persistence.upserts import dialect_insert


class WorkspaceRepository(TeamScopedRepository):
    def get(self) -> Workspace | None:
        return self._session.get(Workspace, self.team_id)

    def get_or_create(self, *, now: datetime) -> Workspace:
        """Atomic: several first commands from a new workspace at once (or two replicas) all
        get the one row, where a read-then-insert let all but one fail on the primary key."""
        workspace = self.get()
        if workspace is None:
            row = {"team_id": self.team_id, "created_at": now}  # Core applies the defaults
            _insert_if_absent(self._session, Workspace, row)
            workspace = self._session.get(Workspace, self.team_id, populate_existing=True)
            assert workspace is not None  # inserted now, or by whoever won the race
        return workspace


class UserRepository(TeamScopedRepository):
    def get(self, user_id: str) -> SlackUser | None:
        return self._session.scalars(
            self._select(SlackUser, SlackUser.user_id == user_id)
        ).one_or_none()

    def upsert(
        self,
        user_id: str,
        *,
        timezone: str | None,
        locale: str | None,
        is_admin: bool,
        fetched_at: datetime,
    ) -> SlackUser:
        user = self.get(user_id)
        if user is None:
            row = {"team_id": self.team_id, "user_id": user_id}
            _insert_if_absent(self._session, SlackUser, row)
            user = self.get(user_id)
            assert user is not None  # inserted now, or by a concurrent first command
        user.timezone = timezone
        user.locale = locale
        user.is_admin = is_admin
        user.profile_fetched_at = fetched_at
        self._session.flush()
        return user


def _insert_if_absent(session: Session, model: type[Any], values: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT DO NOTHING, in the dialect of the session's database."""
    insert = dialect_insert(session.get_bind().dialect.name, model)
    statement: Insert = insert.values(**values).on_conflict_do_nothing()
    session.execute(statement)


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """When a workspace's weekly digest is due: what the digest sweep reads of every one."""

    team_id: str
    timezone: str
    digest_weekday: int
    digest_time: time


def workspaces_with_digest(session: Session) -> list[DigestSchedule]:
    """Workspaces whose weekly digest is on and has a channel. Not bound to a team: the digest
    sweep is the one caller that looks across workspaces. Four columns as plain rows, not
    `Workspace` objects: the sweep reads every workspace each few seconds all week long, and
    building a thousand ORM objects each time was most of the cost of an idle sweep."""
    rows = session.execute(
        select(
            Workspace.team_id, Workspace.timezone, Workspace.digest_weekday, Workspace.digest_time
        ).where(Workspace.digest_enabled.is_(True), Workspace.digest_channel_id.is_not(None))
    )
    return [DigestSchedule(*row) for row in rows]
