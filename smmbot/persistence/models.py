"""SQLAlchemy models. Every workspace-owned row carries the Slack `team_id` (see repositories)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import DateTime, ForeignKey, MetaData, String, Time
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite forgets the zone, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_CURRENCY = "IDR"


class Workspace(Base):
    """A Slack workspace (team) and its defaults for everyone in it."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    currency: Mapped[str] = mapped_column(String(3), default=DEFAULT_CURRENCY)
    digest_enabled: Mapped[bool] = mapped_column(default=True)
    digest_weekday: Mapped[int] = mapped_column(default=0)
    digest_time: Mapped[time] = mapped_column(Time(), default=time(9, 0))
    digest_channel_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SlackUser(Base):
    """What Slack last told us about a member, cached: users.info is slow and rate limited."""

    __tablename__ = "slack_users"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    profile_fetched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
