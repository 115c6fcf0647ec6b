"""audit: the workspace's audit log (who did what, to which item, setting or connector, when)

Revision ID: 0013_audit
Revises: 0012_approval
Create Date: 2026-12-02 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models.base

revision: str = "0013_audit"
down_revision: str | None = "0012_approval"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column(
            "occurred_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("actor_id", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_key", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_audit_events_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(
        "ix_audit_events_team_id_subject",
        "audit_events",
        ["team_id", "subject_kind", "subject_key"],
        unique=False,
    )
    op.create_index(
        "ix_audit_events_team_id_occurred_at",
        "audit_events",
        ["team_id", "occurred_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_team_id_occurred_at", table_name="audit_events")
    op.drop_index("ix_audit_events_team_id_subject", table_name="audit_events")
    op.drop_table("audit_events")
