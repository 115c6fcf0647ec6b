"""Drafts: rendered copy, one variant per platform."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smmbot.persistence.models.base import Base, UtcDateTime


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_team_id_created_at", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(String(32))
    template_name: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    variables: Mapped[dict[str, Any]] = mapped_column(JSON)
    campaign: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    variants: Mapped[list[DraftVariant]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="DraftVariant.position"
    )


class DraftVariant(Base):
    """One platform's version of a draft, as it will be posted (links already UTM-tagged)."""

    __tablename__ = "draft_variants"

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    draft: Mapped[Draft] = relationship(back_populates="variants")
