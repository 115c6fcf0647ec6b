"""competitors: the competitors a workspace watches and their per-day readings

Revision ID: 0016_competitors
Revises: 0014_recurring
Create Date: 2026-12-02 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models.base

revision: str = "0016_competitors"
down_revision: str | None = "0014_recurring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "competitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=40), nullable=False),
        sa.Column("instagram", sa.String(length=30), nullable=False),
        sa.Column("facebook", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "name_key", name="uq_competitors_team_id"),
    )
    op.create_table(
        "competitor_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("competitor_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column(
            "updated_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["competitor_id"], ["competitors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "competitor_id", "day", "metric", name="uq_competitor_readings_competitor_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("competitor_readings")
    op.drop_table("competitors")
