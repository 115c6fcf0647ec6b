"""approval: the workspace's approval settings and each calendar item's last decision

Revision ID: 0012_approval
Revises: 0011_website
Create Date: 2026-12-02 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models.base

revision: str = "0012_approval"
down_revision: str | None = "0011_website"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(
            sa.Column("approval_enabled", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("approvers", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch.add_column(sa.Column("approvals_channel_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("self_approve", sa.Boolean(), nullable=True))
    with op.batch_alter_table("calendar_items") as batch:
        batch.alter_column("status", existing_type=sa.String(length=16), type_=sa.String(length=20))
        batch.add_column(sa.Column("decided_by", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column(
                "decided_at",
                smmbot.persistence.models.base.UtcDateTime(timezone=True),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("review_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("calendar_items") as batch:
        batch.drop_column("review_note")
        batch.drop_column("decided_at")
        batch.drop_column("decided_by")
        batch.alter_column("status", existing_type=sa.String(length=20), type_=sa.String(length=16))
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("self_approve")
        batch.drop_column("approvals_channel_id")
        batch.drop_column("approvers")
        batch.drop_column("approval_enabled")
