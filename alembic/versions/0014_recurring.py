"""recurring: series of repeating posts, and the series slot of each occurrence

Revision ID: 0014_recurring
Revises: 0013_audit
Create Date: 2026-12-02 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models.base

revision: str = "0014_recurring"
down_revision: str | None = "0013_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = smmbot.persistence.models.base.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "recurring_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("every", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("weekdays", sa.String(length=16), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("planned_through", UTC_DATETIME, nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name="fk_recurring_series_team_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name="fk_recurring_series_campaign_id_campaigns",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name="fk_recurring_series_draft_id_drafts",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_recurring_series"),
    )
    op.create_index(
        "ix_recurring_series_status_planned_through",
        "recurring_series",
        ["status", "planned_through"],
    )
    with op.batch_alter_table("calendar_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("series_slot", UTC_DATETIME, nullable=True))
        batch_op.create_foreign_key(
            "fk_calendar_items_series_id_recurring_series",
            "recurring_series",
            ["series_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "uq_calendar_items_series_id_series_slot", ["series_id", "series_slot"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("calendar_items", schema=None) as batch_op:
        batch_op.drop_index("uq_calendar_items_series_id_series_slot")
        batch_op.drop_constraint("fk_calendar_items_series_id_recurring_series", type_="foreignkey")
        batch_op.drop_column("series_slot")
        batch_op.drop_column("series_id")
    op.drop_index("ix_recurring_series_status_planned_through", table_name="recurring_series")
    op.drop_table("recurring_series")
