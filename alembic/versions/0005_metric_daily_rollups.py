"""metric daily roll-ups, filled from the readings already stored

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "metric_daily_rollups",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("total", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("peak", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_metric_daily_rollups_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "team_id", "dimension", "key", "metric", "day", name=op.f("pk_metric_daily_rollups")
        ),
    )
    op.create_index(
        "ix_metric_daily_rollups_team_id_dimension_metric_day",
        "metric_daily_rollups",
        ["team_id", "dimension", "metric", "day"],
    )
    op.execute(
        "INSERT INTO metric_daily_rollups (team_id, dimension, metric, day, key, total, peak)"
        " SELECT team_id, 'platform', metric, day, platform, sum(value), max(value)"
        " FROM metric_readings GROUP BY team_id, metric, day, platform"
    )
    op.execute(
        "INSERT INTO metric_daily_rollups (team_id, dimension, metric, day, key, total, peak)"
        " SELECT team_id, 'campaign', metric, day, campaign, sum(value), max(value)"
        " FROM metric_readings GROUP BY team_id, metric, day, campaign"
    )


def downgrade() -> None:
    op.drop_table("metric_daily_rollups")
