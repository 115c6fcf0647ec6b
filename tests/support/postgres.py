"""Throw-away PostgreSQL schemas and databases, without pytest, so benchmarks can use them too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import create_engine, make_url, text


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@contextmanager
def postgres_schema_url(base_url: str, *, prefix: str = "t") -> Iterator[str]:
    """A fresh, empty schema reached through ``search_path``; dropped on the way out.
    Benchmarks pass their own `prefix`, so a schema a killed run left behind says whose it is."""
    schema = unique_name(prefix)
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base_url else "?"
        try:
            yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@contextmanager
def postgres_database_url(base_url: str, *, template: str | None = None) -> Iterator[str]:
    """A database of its own (a copy of `template` when given: PostgreSQL copies files, which is
    much faster than migrating); dropped on the way out, even with connections still open."""
    name = unique_name("t")
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        source = f' TEMPLATE "{template}"' if template else ""
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{source}'))
        try:
            yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def database_name(url: str) -> str:
    name = make_url(url).database
    assert name, f"{url} names no database"
    return name
