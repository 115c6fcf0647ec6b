from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smmbot.persistence.database import Database
from smmbot.services.context import ServiceContext
from tests.support.databases import (
    copied_postgres,
    copy_sqlite,
    migrate_sqlite_template,
    migrated_postgres_template,
    opened_database,
    require_postgres_in_ci,
    scratch_folder,
)
from tests.support.google_mock import GoogleMock
from tests.support.slack_mock import SlackApiMock

# Hypothesis loads every installed package's hypothesis plugin on import; the only one here is
# trio's (trio comes with Selenium), whose import costs each test process a tenth of a second, and
# no test uses trio.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")


def pytest_sessionstart(session: pytest.Session) -> None:
    require_postgres_in_ci()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """The run is over and reported: what the process still holds is about to go with it. The
    interpreter's exit would first garbage-collect all of it (a few hundred thousand objects, about
    a second of CPU in every test process, which xdist's controller waits for); frozen, the heap is
    left out of those final collections."""
    gc.freeze()


@pytest.fixture(scope="session")
def scratch_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with scratch_folder(tmp_path_factory.getbasetemp()) as folder:
        yield folder


@pytest.fixture
def scratch_path(scratch_root: Path) -> Iterator[Path]:
    """The test's own folder for SQLite files, in RAM where there is one (commits skip fsync);
    use it instead of `tmp_path` for any database file a test or its child process writes."""
    with scratch_folder(scratch_root) as folder:
        yield folder


@pytest.fixture(scope="session")
def sqlite_template(scratch_root: Path) -> Path:
    """Migrated once per session; every SQLite test copies the file (milliseconds, not an
    Alembic run)."""
    return migrate_sqlite_template(scratch_root)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    with migrated_postgres_template() as name:
        yield name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database of the test's own."""
    if request.param == "sqlite":
        folder = request.getfixturevalue("scratch_path")
        yield copy_sqlite(request.getfixturevalue("sqlite_template"), folder)
        return
    with copied_postgres(request.getfixturevalue("postgres_template")) as url:
        yield url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    with opened_database(database_url) as db:
        yield db


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


START = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
"""Where every test's `clock` starts."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def ctx(database: Database, clock: FakeClock) -> ServiceContext:
    return ServiceContext(db=database, clock=clock)


@pytest.fixture
def slack() -> Iterator[SlackApiMock]:
    with SlackApiMock() as mock:
        yield mock


@pytest.fixture
def google() -> Iterator[GoogleMock]:
    """The Google OAuth/GA4 mock, for the connector tests in every layer."""
    with GoogleMock() as mock:
        yield mock
