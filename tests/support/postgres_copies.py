"""Copies of the session's migrated PostgreSQL template, emptied and reused from test to test.

`CREATE DATABASE … TEMPLATE` costs 0.3 to 0.5 s here (PostgreSQL 15 writes the whole copy, system
catalogs included, through the WAL and fsyncs it) and the `DROP` after it up to 0.1 s more: with
several hundred PostgreSQL tests that was the largest single cost of the integration suite.
Emptying a used copy takes ~20 ms and leaves what a fresh copy would hold: the migrated schema,
`alembic_version`, no rows, every sequence at its start. (A `DELETE` per table, children before
parents, in one transaction: `TRUNCATE` makes new files for every table and index and fsyncs
each, ~0.2 s.)

A copy is reused only when that is certainly true, else it is dropped and the next test gets a
fresh copy, exactly as before:
- the template itself holds no rows outside `alembic_version` (a migration that seeds data turns
  reuse off for the session, since emptying would delete the seed);
- the used copy's schema (tables, columns, indexes, constraints, sequences) still matches the
  template's, so a test that altered it never hands its changes on;
- no table has a row left after the deletes (nothing put one back);
- every connection a test or its child process left open is terminated first (as `DROP …
  WITH (FORCE)` did), so no lock, advisory lock or session setting survives into the next test.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from graphlib import CycleError, TopologicalSorter

from sqlalchemy import Connection, create_engine, make_url, text

from tests.support.postgres import unique_name

log = logging.getLogger(__name__)

_SCHEMA = text(
    "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type"
    " || ' ' || is_nullable || ' ' || coalesce(column_default, '')"
    " FROM information_schema.columns WHERE table_schema = 'public'"
    " UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'"
    " UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' '"
    " || pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE connamespace = 'public'::regnamespace"
    " UNION ALL SELECT 'sequence ' || sequencename FROM pg_sequences WHERE schemaname = 'public'"
    " UNION ALL SELECT 'version ' || version_num FROM alembic_version"
)
_TABLES = text(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    " AND tablename <> 'alembic_version' ORDER BY tablename"
)
_REFERENCES = text(
    "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
    " WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
)
_RESTART = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false)"
    " FROM pg_sequences WHERE schemaname = 'public'"
)
_OTHERS = text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _schema(connection: Connection) -> frozenset[str]:
    return frozenset(connection.scalars(_SCHEMA))


def _children_first(connection: Connection) -> list[str]:
    """The tables in an order that deletes every row a foreign key points to after the rows
    pointing to it. Raises `graphlib.CycleError` for a cycle between tables."""
    tables = list(connection.scalars(_TABLES))
    children: dict[str, set[str]] = {table: set() for table in tables}
    for child, parent in connection.execute(_REFERENCES):
        if child != parent:  # a self-reference goes in one DELETE
            children[parent.strip('"')].add(child.strip('"'))
    return list(TopologicalSorter(children).static_order())


class PostgresCopies:
    """The copies of one template database: `copy()` hands out one a test owns until it ends."""

    def __init__(self, base_url: str, template: str) -> None:
        self._base_url = base_url
        self._template = template
        self._spare: list[str] = []
        with self._connect(template) as connection:
            self._fingerprint = _schema(connection)
            try:
                self._tables = _children_first(connection)
            except CycleError:
                self._tables = []
            self._any_row = text(
                " UNION ALL ".join(
                    f'SELECT 1 FROM (SELECT FROM "{t}" LIMIT 1) AS r'  # noqa: S608  (catalog names)
                    for t in self._tables
                )
            )
            seeded = connection.execute(self._any_row).first() is not None
        self._reuse = bool(self._tables) and not seeded

    def _url(self, name: str) -> str:
        return make_url(self._base_url).set(database=name).render_as_string(hide_password=False)

    @contextmanager
    def _connect(self, name: str, *, autocommit: bool = True) -> Iterator[Connection]:
        level = "AUTOCOMMIT" if autocommit else "READ COMMITTED"
        engine = create_engine(self._url(name), isolation_level=level)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    def _admin(self, statement: str) -> None:
        with self._connect(make_url(self._base_url).database or "postgres") as connection:
            connection.execute(text(statement))

    @contextmanager
    def copy(self) -> Iterator[str]:
        """A database equal to a fresh copy of the template; emptied for reuse afterwards."""
        if self._spare:
            name = self._spare.pop()
        else:
            name = unique_name("t")
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        try:
            yield self._url(name)
        finally:
            if self._reuse and self._emptied(name):
                self._spare.append(name)
            else:
                self._drop(name)

    def _emptied(self, name: str) -> bool:
        """Empty `name` as a fresh copy is; False (drop it instead) when that cannot be sure."""
        try:
            with self._connect(name, autocommit=False) as connection:  # one commit, one fsync
                connection.execute(_OTHERS)
                if _schema(connection) != self._fingerprint:
                    return False
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                for table in self._tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608
                if connection.execute(self._any_row).first() is not None:
                    return False
                connection.execute(_RESTART)
                connection.commit()
                return True
        except Exception:  # any doubt means a fresh copy for the next test, never a failure here
            log.warning("could not empty test database %s; dropping it", name, exc_info=True)
            return False

    def _drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        while self._spare:
            self._drop(self._spare.pop())
