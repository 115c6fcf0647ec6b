"""campaigns, calendar, outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 12:22:29.562103
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.Column("objective", sa.String(length=8), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("budget", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("platforms", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "closed_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_campaigns_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("team_id", "name_key", name=op.f("uq_campaigns_team_id")),
    )
    op.create_table(
        "calendar_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column(
            "due_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_url", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_calendar_items_campaign_id_campaigns"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_calendar_items_draft_id_drafts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_calendar_items_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_items")),
    )
    with op.batch_alter_table("calendar_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calendar_items_team_id_due_at", ["team_id", "due_at"], unique=False
        )

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column(
            "due_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "drop_after", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("calendar_item_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "next_attempt_at",
            smmbot.persistence.models.base.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "lease_until", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column(
            "sent_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["calendar_item_id"],
            ["calendar_items.id"],
            name=op.f("fk_outbox_messages_calendar_item_id_calendar_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_outbox_messages_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_messages_dedupe_key")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_calendar_item_id"), ["calendar_item_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_messages_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "reminder_lead_minutes",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'[1440, 60]'"),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("reminder_lead_minutes")

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_calendar_item_id"))

    op.drop_table("outbox_messages")
    with op.batch_alter_table("calendar_items", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_items_team_id_due_at")

    op.drop_table("calendar_items")
    op.drop_table("campaigns")
