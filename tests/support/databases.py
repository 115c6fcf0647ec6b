"""Fresh, migrated databases for tests: an SQLite file, or a throw-away PostgreSQL schema.

Each PostgreSQL test gets its own schema (through `search_path`) so tests commit for real, can
run concurrent transactions, and still never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head

POSTGRES_ENV = "SMMBOT_TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def require_postgres_in_ci() -> None:
    """CI must exercise PostgreSQL: a missing URL there is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true" and not postgres_base_url():
        pytest.exit(f"{POSTGRES_ENV} must be set in CI", returncode=1)


@contextmanager
def postgres_schema_url(base_url: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {base_url} cannot be reached: {error}", pytrace=False)
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_url_for(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'smmbot.db'}"
        return
    base_url = postgres_base_url()
    if base_url is None:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    with postgres_schema_url(base_url) as url:
        yield url


@contextmanager
def migrated_database(url: str) -> Iterator[Database]:
    upgrade_to_head(url)
    database = Database(create_database_engine(url))
    try:
        yield database
    finally:
        database.engine.dispose()
