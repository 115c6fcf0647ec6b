"""What every service call needs from the outside world, built once in bootstrap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from smmbot.persistence.database import Database

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    db: Database
    clock: Clock = utc_now


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
