"""metric readings, metrics token

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 13:14:11.262013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "metric_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("campaign", sa.String(length=120), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=True),
        sa.Column(
            "updated_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_metric_readings_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_readings")),
        sa.UniqueConstraint(
            "team_id",
            "day",
            "metric",
            "campaign",
            "platform",
            "source",
            name=op.f("uq_metric_readings_team_id"),
        ),
    )
    with op.batch_alter_table("metric_readings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_metric_readings_team_id_metric_day", ["team_id", "metric", "day"], unique=False
        )

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metrics_token_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("metrics_token_hash")

    with op.batch_alter_table("metric_readings", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_readings_team_id_metric_day")

    op.drop_table("metric_readings")
