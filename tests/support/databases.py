"""Migrated databases for tests, migrated once per test session and copied for each test.

SQLite: the session migrates one file, each test gets a copy of it. PostgreSQL: the session
migrates one template database, each test gets `CREATE DATABASE … TEMPLATE` of it, or a copy an
earlier test used and that was emptied back to what a fresh copy holds (`postgres_copies.py`).
Either way a test owns its database (tests commit for real, run concurrent transactions, and
never see each other's rows), and `test_migrations.py` still migrates an empty database from
scratch.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import Dialect

from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from tests.support.postgres import database_name, postgres_database_url, postgres_schema_url
from tests.support.postgres_copies import PostgresCopies

POSTGRES_ENV = "SMMBOT_TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def require_postgres_in_ci() -> None:
    """CI must exercise PostgreSQL: a missing URL there is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true" and not postgres_base_url():
        pytest.exit(f"{POSTGRES_ENV} must be set in CI", returncode=1)


def require_postgres_url() -> str:
    base_url = postgres_base_url()
    if base_url is None:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return base_url


@contextmanager
def reachable(base_url: str) -> Iterator[None]:
    """An unreachable server is a clear failure, not a stack trace from deep in a fixture."""
    try:
        yield
    except Exception as error:
        pytest.fail(f"PostgreSQL at {base_url} cannot be reached: {error}", pytrace=False)


@contextmanager
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, for the tests that migrate from scratch."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base_url = require_postgres_url()
    with ExitStack() as stack:
        with reachable(base_url):
            url = stack.enter_context(postgres_schema_url(base_url))
        yield url


RAM_DISK = Path("/dev/shm")  # noqa: S108  (only a parent: mkdtemp makes the folder, mode 0700)


@contextmanager
def scratch_folder(fallback: Path) -> Iterator[Path]:
    """A folder for SQLite files, in RAM (/dev/shm) where the machine has one, else `fallback`.

    On a disk every commit waits for fsync (about 5 ms here, and closing a WAL database 15 ms),
    which was a fifth of the integration suite's time; RAM makes both free and changes nothing
    else SQLite does (WAL, locking, busy timeouts). Removed on the way out: RAM is not a place to
    leave hundreds of databases."""
    parent = RAM_DISK if RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK) else fallback
    folder = Path(tempfile.mkdtemp(prefix="smmbot-tests-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def migrate_sqlite_template(directory: Path) -> Path:
    template = directory / "migrated.db"
    upgrade_to_head(f"sqlite:///{template}")
    return template


@contextmanager
def migrated_postgres_template() -> Iterator[str]:
    """One migrated database per test session, the template every test's database copies."""
    base_url = require_postgres_url()
    with ExitStack() as stack:
        with reachable(base_url):
            url = stack.enter_context(postgres_database_url(base_url))
        upgrade_to_head(url)
        name = database_name(url)
        _COPIES[name] = stack.enter_context(closing(PostgresCopies(base_url, name)))
        try:
            yield name
        finally:
            del _COPIES[name]


def copy_sqlite(template: Path, tmp_path: Path) -> str:
    target = tmp_path / "smmbot.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def restore_sqlite(database: Database, snapshot: Path) -> None:
    """Overwrite SQLite `database` with the file `snapshot` through SQLite's backup API, so the
    connections its engine already holds see the snapshot's rows at once. For data that many
    tests start from and that takes long to build: a module fixture builds it once in a copy of
    the template (see `test_slack_limits.py`'s busy month), each test restores it into its own
    database, and the tests never share a database."""
    raw = database.engine.raw_connection()
    target = raw.driver_connection
    assert isinstance(target, sqlite3.Connection), "restore_sqlite is for SQLite databases"
    source = sqlite3.connect(snapshot)
    try:
        source.backup(target)
    finally:
        source.close()
        raw.close()


_COPIES: dict[str, PostgresCopies] = {}
"""The copies of each template `migrated_postgres_template` made, by template name."""


@contextmanager
def copied_postgres(template: str) -> Iterator[str]:
    """A database of the test's own equal to a fresh copy of `template`."""
    require_postgres_url()
    with _COPIES[template].copy() as url:
        yield url


_DIALECTS: dict[str, Dialect] = {}
_COMPILED: dict[Any, Any] = {}
"""The dialect of each server the test process opened databases on, and the statements compiled
for them, shared by every engine `shared_engine` makes."""


def shared_engine(url: str) -> Engine:
    """`create_database_engine(url)`, compiling each statement once per test process.

    SQLAlchemy caches compiled SQL per engine, keyed by the engine's dialect object, and each test
    has an engine of its own: every test compiled again the statements all the ones before it had
    (and adapted every column type anew), a quarter of the integration suite's CPU. The engines of
    one server differ only in the database they open, and were made with the same arguments by
    `create_database_engine`, so they can share one dialect and one cache; each keeps its own pool
    and connections."""
    engine = create_database_engine(url)
    server = engine.url.set(database="").render_as_string(hide_password=False)
    engine.dialect = _DIALECTS.setdefault(server, engine.dialect)
    return engine.execution_options(compiled_cache=_COMPILED)


@contextmanager
def migrated_database(url: str) -> Iterator[Database]:
    """Migrates `url` to head (one SELECT on a copy of the template: already there) and opens it."""
    engine = shared_engine(url)
    upgrade_to_head(url, engine)
    database = Database(engine)
    try:
        yield database
    finally:
        database.engine.dispose()


@contextmanager
def opened_database(url: str) -> Iterator[Database]:
    database = Database(shared_engine(url))
    try:
        yield database
    finally:
        database.engine.dispose()
