"""What every service call needs from the outside world, built once in bootstrap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from smmbot.domain.commands import Subcommand
from smmbot.domain.grammar import ParsedCommand
from smmbot.domain.platforms import DEFAULT_INSTAGRAM_HASHTAG_CAP
from smmbot.persistence.database import Database
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.connectors.base import Connector

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    """`public_url` is where this bot is reachable from the internet (for `/r/<code>` links)."""

    db: Database
    clock: Clock = utc_now
    public_url: str | None = None
    instagram_hashtag_cap: int = DEFAULT_INSTAGRAM_HASHTAG_CAP
    connectors: Mapping[str, Connector] = field(default_factory=dict)
    """The configured metric-source providers by name; one missing lacks its client id/secret."""
    secret_key: str | None = None
    """SMMBOT_SECRET_KEY: keys the stored credentials' cipher and the connect states' MAC."""
    sync_hour: int = 6
    sync_lease: timedelta = timedelta(minutes=15)
    """How long a sync's claim holds before another process may take over (a crashed one)."""
    connector_gaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per provider not in `connectors`: the variables it lacks (e.g. GOOGLE_CLIENT_SECRET)."""


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


@dataclass(frozen=True)
class CommandRequest:
    """Everything a subcommand handler gets: who asked, what they typed, how to answer."""

    ctx: ServiceContext
    actor: Actor
    command: ParsedCommand
    subcommand: Subcommand
    tr: Translator
    prefix: str


@dataclass(frozen=True)
class FormOutcome:
    """A submitted form either has field errors (shown next to the fields) or a reply, posted
    where the form was started (`channel_id`)."""

    errors: Mapping[str, str]
    reply: Reply | None = None
    channel_id: str | None = None
