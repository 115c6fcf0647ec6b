"""workspaces and users

Revision ID: 0001
Revises:
Create Date: 2026-11-24 11:31:07.113227
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("digest_enabled", sa.Boolean(), nullable=False),
        sa.Column("digest_weekday", sa.Integer(), nullable=False),
        sa.Column("digest_time", sa.Time(), nullable=False),
        sa.Column("digest_channel_id", sa.String(length=32), nullable=True),
        sa.Column(
            "created_at", smmbot.persistence.models.UtcDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_workspaces")),
    )
    op.create_table(
        "slack_users",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column(
            "profile_fetched_at",
            smmbot.persistence.models.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_slack_users_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_slack_users")),
    )


def downgrade() -> None:
    op.drop_table("slack_users")
    op.drop_table("workspaces")
