"""connectors: connected metric sources (encrypted credentials, sync claims) and connect states

Revision ID: 0009_connectors
Revises: 0008_rollup_account_wide
Create Date: 2026-12-01 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_connectors"
down_revision: str | None = "0008_rollup_account_wide"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "connector_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("connected_by", sa.String(length=32), nullable=False),
        sa.Column("vault", sa.Text(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("backfill_pending", sa.Boolean(), nullable=False),
        sa.Column("next_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_summary", sa.JSON(), nullable=False),
        sa.Column("problem", sa.String(length=32), nullable=True),
        sa.Column("broken_notified", sa.Boolean(), nullable=False),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_connector_sources_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connector_sources")),
        sa.UniqueConstraint("team_id", "provider", name=op.f("uq_connector_sources_team_id")),
    )
    op.create_index(
        "ix_connector_sources_status_next_sync_at",
        "connector_sources",
        ["status", "next_sync_at"],
    )
    op.create_table(
        "connect_states",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_connect_states_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_connect_states")),
    )


def downgrade() -> None:
    op.drop_table("connect_states")
    op.drop_index("ix_connector_sources_status_next_sync_at", table_name="connector_sources")
    op.drop_table("connector_sources")
