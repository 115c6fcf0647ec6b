"""campaign roll-up rows under the account-wide rule

Revision ID: 0008_rollup_account_wide
Revises: 0007
Create Date: 2026-12-01 22:00:00.000000

A campaign's readings without a platform replace (never add to) its per-platform readings of
the same metric and day. Data only: the roll-up's campaign rows are recomputed from the
readings, as the app now writes them. Downgrading recomputes them the old way (every reading of
the campaign added up).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_rollup_account_wide"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INSERT = (
    "INSERT INTO metric_daily_rollups (team_id, dimension, metric, day, key, total, peak)"
    " SELECT team_id, 'campaign', metric, day, campaign, {total}, {peak}"
    " FROM metric_readings GROUP BY team_id, metric, day, campaign"
)


def _rebuild(total: str, peak: str) -> None:
    op.execute("DELETE FROM metric_daily_rollups WHERE dimension = 'campaign'")
    op.execute(_INSERT.format(total=total, peak=peak))


def upgrade() -> None:
    _rebuild(
        "coalesce(sum(CASE WHEN platform = '' THEN value END), sum(value))",
        "coalesce(max(CASE WHEN platform = '' THEN value END), max(value))",
    )


def downgrade() -> None:
    _rebuild("sum(value)", "max(value)")
