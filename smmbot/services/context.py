"""What every service call needs from the outside world, built once in bootstrap."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from smmbot.domain.command_spec import Role, Subcommand
from smmbot.domain.grammar import ParsedCommand
from smmbot.domain.payloads import FormMetadata
from smmbot.domain.platforms import DEFAULT_INSTAGRAM_HASHTAG_CAP
from smmbot.persistence.database import Database
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.connectors.base import Connector

Clock = Callable[[], datetime]
GroupLookup = Callable[[str], Sequence[str]]
"""A Slack user group's member ids (usergroups.users.list), supplied by the Slack adapter."""
V = TypeVar("V")


def utc_now() -> datetime:
    return datetime.now(UTC)


class RecentMembers:
    """Members seen in the last minute, so that a burst of commands does not query the database
    for the same profile each time. A changed locale or zone shows up within `ttl`. It belongs
    to one `ServiceContext` (one database): two contexts never see each other's members."""

    def __init__(self, ttl: timedelta = timedelta(minutes=1)) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], tuple[Actor, datetime]] = {}

    def get(self, team_id: str, user_id: str, now: datetime) -> Actor | None:
        with self._lock:
            entry = self._seen.get((team_id, user_id))
        if entry is None or now - entry[1] >= self._ttl:
            return None
        return entry[0]

    def put(self, actor: Actor, now: datetime) -> None:
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[(actor.team_id, actor.user_id)] = (actor, now)


@dataclass(frozen=True)
class ServiceContext:
    """`public_url` is where this bot is reachable from the internet (for `/r/<code>` links);
    `serves_web` says whether this process answers HTTP routes at all (not in console or
    Socket Mode), which the website features need besides the URL."""

    db: Database
    clock: Clock = utc_now
    public_url: str | None = None
    instagram_hashtag_cap: int = DEFAULT_INSTAGRAM_HASHTAG_CAP
    serves_web: bool = False
    connectors: Mapping[str, Connector] = field(default_factory=dict)
    """The configured metric-source providers by name; one missing lacks its client id/secret."""
    secret_key: str | None = None
    """SMMBOT_SECRET_KEY: keys the stored credentials' cipher and the connect states' MAC."""
    sync_hour: int = 6
    sync_lease: timedelta = timedelta(minutes=15)
    """How long a sync's claim holds before another process may take over (a crashed one)."""
    connector_gaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per provider not in `connectors`: the variables it lacks (e.g. GOOGLE_CLIENT_SECRET)."""
    members: RecentMembers = field(default_factory=RecentMembers, compare=False)


class Surface(StrEnum):
    """Where a command was typed; decides how usage is written back (`/smm help` vs `help`)."""

    SLACK = "slack"
    CONSOLE = "console"

    @property
    def command_prefix(self) -> str:
        return "/smm " if self is Surface.SLACK else ""


@dataclass(frozen=True)
class Actor:
    """The person behind a command, with the language and time zone their replies use."""

    team_id: str
    user_id: str
    channel_id: str | None
    locale: str
    timezone: str
    is_admin: bool = False
    is_approver: bool = False

    @property
    def roles(self) -> frozenset[Role]:
        """What the catalog's permissions are checked against; admins come from Slack,
        approvers from the workspace's `settings approval`."""
        roles = {Role.ADMIN} if self.is_admin else set()
        if self.is_approver:
            roles.add(Role.APPROVER)
        return frozenset(roles)


@dataclass(frozen=True)
class CommandRequest:
    """Everything a subcommand handler gets: who asked, what they typed, how to answer."""

    ctx: ServiceContext
    actor: Actor
    command: ParsedCommand
    subcommand: Subcommand
    tr: Translator
    prefix: str
    lookup_group: GroupLookup | None = None
    """None outside Slack (the console): a user group cannot be read there."""


@dataclass(frozen=True)
class InteractionRequest:
    """Everything a button, a form or an event gets, built once by the interaction router
    (`services/interactions.py`): who acted and the translator for their language."""

    ctx: ServiceContext
    actor: Actor
    tr: Translator


@dataclass(frozen=True)
class ButtonRequest(InteractionRequest, Generic[V]):
    """A click, with the button's value already read (a record id, a template name...): a
    value our own messages could not have produced never reaches the service."""

    value: V


@dataclass(frozen=True)
class FormRequest(InteractionRequest):
    """A submission: the form's checked metadata and the values typed into its fields."""

    metadata: FormMetadata
    values: Mapping[str, str]


@dataclass(frozen=True)
class FormOutcome:
    """A submitted form either has field errors (shown next to the fields) or a reply, posted
    where the form was started (`channel_id`)."""

    errors: Mapping[str, str]
    reply: Reply | None = None
    channel_id: str | None = None
