"""outbox payloads stored out of line without compression (PostgreSQL)

A digest's payload carries its chart, 80 KB of base64 that pglz cannot shrink: PostgreSQL tried
on every insert anyway, 1.2 ms of the server's CPU a digest in the Monday rush (1.57 ms an insert
against 0.41 with `STORAGE EXTERNAL`, same size on disk). Payloads under the TOAST threshold
(2 KB, every other kind) are stored in the row as before. SQLite has no such setting.

Revision ID: 0018_outbox_payload_storage
Revises: 0017_outbox_lanes
Create Date: 2026-12-07 14:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018_outbox_payload_storage"
down_revision: str | None = "0017_outbox_lanes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _set_payload_storage(storage: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE outbox_messages ALTER COLUMN payload SET STORAGE {storage}")


def upgrade() -> None:
    _set_payload_storage("EXTERNAL")


def downgrade() -> None:
    _set_payload_storage("EXTENDED")
