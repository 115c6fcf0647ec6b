"""Tracked short links (`/r/<code>`) and their clicks, counted later as the `link_clicks` metric."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class ShortLink(Base):
    __tablename__ = "short_links"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), index=True
    )
    target_url: Mapped[str] = mapped_column(Text)
    campaign: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(64))
    medium: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LinkClick(Base):
    """One redirect served. Campaign and source are copied from the link so that metric
    aggregation is a GROUP BY on this table alone."""

    __tablename__ = "link_clicks"
    __table_args__ = (Index("ix_link_clicks_team_id_clicked_at", "team_id", "clicked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("short_links.code", ondelete="CASCADE"))
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    campaign: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(64))
    clicked_at: Mapped[datetime] = mapped_column(UtcDateTime())
