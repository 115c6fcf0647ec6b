"""The share bar's public key: one per workspace, in every page that embeds the bar.

Public by design (it sits in the site's HTML): it only says which workspace a share beacon
belongs to and grants nothing else, so it is stored as drawn, unique.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class ShareBarKey(Base):
    __tablename__ = "share_bar_keys"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    public_key: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
