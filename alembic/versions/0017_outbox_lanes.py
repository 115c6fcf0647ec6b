"""outbox lanes: when a message's claim began, and since when its delivery is in doubt

Revision ID: 0017_outbox_lanes
Revises: 0016_competitors
Create Date: 2026-12-02 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models.base

revision: str = "0017_outbox_lanes"
down_revision: str | None = "0016_competitors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = smmbot.persistence.models.base.UtcDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", UTC_DATETIME, nullable=True))
        batch_op.add_column(sa.Column("in_doubt_since", UTC_DATETIME, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("in_doubt_since")
        batch_op.drop_column("claimed_at")
