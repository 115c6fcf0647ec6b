"""drafts, custom templates, short links

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 11:42:41.597121
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmbot.persistence.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("pillar", sa.String(length=8), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("platforms", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_custom_templates_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_templates")),
        sa.UniqueConstraint("team_id", "name", name=op.f("uq_custom_templates_team_id")),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("template_name", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("campaign", sa.String(length=120), nullable=True),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_drafts_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_drafts_team_id_created_at", ["team_id", "created_at"], unique=False
        )

    op.create_table(
        "short_links",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("target_url", sa.Text(), nullable=False),
        sa.Column("campaign", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("medium", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_short_links_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_short_links")),
    )
    with op.batch_alter_table("short_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_short_links_team_id"), ["team_id"], unique=False)

    op.create_table(
        "draft_variants",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_draft_variants_draft_id_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("draft_id", "platform", name=op.f("pk_draft_variants")),
    )
    op.create_table(
        "link_clicks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("campaign", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column(
            "clicked_at", smmbot.persistence.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["code"],
            ["short_links.code"],
            name=op.f("fk_link_clicks_code_short_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_link_clicks_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_clicks")),
    )
    with op.batch_alter_table("link_clicks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_link_clicks_team_id_clicked_at", ["team_id", "clicked_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("link_clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_link_clicks_team_id_clicked_at")

    op.drop_table("link_clicks")
    op.drop_table("draft_variants")
    with op.batch_alter_table("short_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_short_links_team_id"))

    op.drop_table("short_links")
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_drafts_team_id_created_at")

    op.drop_table("drafts")
    op.drop_table("custom_templates")
