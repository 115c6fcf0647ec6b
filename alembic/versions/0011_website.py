"""website: the share bar's public key per workspace, the link-in-bio page and its links

Revision ID: 0011_website
Revises: 0009_connectors
Create Date: 2026-12-01 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models.base

revision: str = "0011_website"
down_revision: str | None = "0009_connectors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "share_bar_keys",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("public_key", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id"),
        sa.UniqueConstraint("public_key", name="uq_share_bar_keys_public_key"),
    )
    op.create_table(
        "bio_pages",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("slug", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("avatar_url", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id"),
        sa.UniqueConstraint("slug", name="uq_bio_pages_slug"),
    )
    op.create_table(
        "bio_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(["team_id"], ["bio_pages.team_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["code"], ["short_links.code"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_bio_links_team_id_position", "bio_links", ["team_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_bio_links_team_id_position", table_name="bio_links")
    op.drop_table("bio_links")
    op.drop_table("bio_pages")
    op.drop_table("share_bar_keys")
