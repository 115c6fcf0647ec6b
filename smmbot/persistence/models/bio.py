"""The link-in-bio page of a workspace (one row) and its links, ordered by `position`.

Each link goes out through a tracked short link (`code`), so its clicks are counted like any
other short link's, as `link_clicks` with source `bio`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class BioPage(Base):
    __tablename__ = "bio_pages"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(100), default="")
    avatar_url: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BioLink(Base):
    __tablename__ = "bio_links"
    __table_args__ = (Index("ix_bio_links_team_id_position", "team_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("bio_pages.team_id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(ForeignKey("short_links.code", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
