"""A reused PostgreSQL test database is what a fresh copy of the template is (postgres_copies.py):
no rows, sequences at their start; one whose schema a test changed is not reused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import make_url, text

from smmbot.persistence.repositories import WorkspaceRepository
from tests.support.databases import copied_postgres, opened_database

pytestmark = pytest.mark.postgres

NEXT_CAMPAIGN_ID = text("SELECT nextval(pg_get_serial_sequence('campaigns', 'id'))")


def test_a_used_copy_comes_back_empty_with_its_sequences_restarted(postgres_template: str) -> None:
    with (
        copied_postgres(postgres_template) as url,
        opened_database(url) as database,
        database.transaction() as session,
    ):
        WorkspaceRepository(session, "T1").get_or_create(now=datetime.now(UTC))
        first_id = session.scalar(NEXT_CAMPAIGN_ID)
        session.scalar(NEXT_CAMPAIGN_ID)
    with copied_postgres(postgres_template) as again, opened_database(again) as database:
        assert make_url(again).database == make_url(url).database  # reused, not re-created
        with database.transaction() as session:
            assert session.scalar(text("SELECT count(*) FROM workspaces")) == 0
            assert session.scalar(NEXT_CAMPAIGN_ID) == first_id


def test_a_copy_whose_schema_changed_is_not_handed_on(postgres_template: str) -> None:
    with (
        copied_postgres(postgres_template) as url,
        opened_database(url) as database,
        database.transaction() as session,
    ):
        session.execute(text("ALTER TABLE workspaces ADD COLUMN left_behind integer"))
    with copied_postgres(postgres_template) as fresh, opened_database(fresh) as database:
        assert make_url(fresh).database != make_url(url).database
        with database.transaction() as session:
            columns = session.scalars(
                text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = 'workspaces'"
                )
            ).all()
            assert "left_behind" not in columns
