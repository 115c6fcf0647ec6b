"""INSERT … ON CONFLICT in the dialect of the database in use.

Each dialect's module is imported the first time a database of that kind upserts, so a bot on
SQLite never loads PostgreSQL's (17 ms of a half-second start, issue 16) and one on PostgreSQL
never loads SQLite's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite


def dialect_insert(dialect: str, model: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """`insert(model)` that knows ON CONFLICT, for a dialect named as `Dialect.name` names it."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(model)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model)
