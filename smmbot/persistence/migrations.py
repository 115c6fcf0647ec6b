"""Runs Alembic at start so that a fresh database (SQLite file or PostgreSQL) just works.

A start on a database that is already at head costs one `SELECT` and a read of the revision
scripts' ids: Alembic (its environment, the models' metadata compare, about a tenth of a second
of imports) loads only when the stored revision differs from the scripts' head, and then does
the whole upgrade itself. `/readyz` asks the same question.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VERSIONS = PROJECT_ROOT / "alembic" / "versions"
# `revision = "…"` or `down_revision: str | None = …` at top level, as Alembic writes them.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


@cache
def script_heads() -> frozenset[str]:
    """The revisions no other revision builds on, from each script's literal `revision` and
    `down_revision` lines (what Alembic itself reads, without importing the scripts). Read
    once: a process keeps the scripts it started with. Parsing each script whole took 16 ms of
    a start (issue 16)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        for name, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            literal = ast.literal_eval(value)
            if name == "revision":
                revisions.add(str(literal))
            else:
                parents.update([literal] if isinstance(literal, str) else literal or ())
    return frozenset(revisions - parents)


def stored_revisions(engine: Engine) -> frozenset[str]:
    """What `alembic_version` holds; nothing for a database Alembic never touched."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return frozenset(str(row[0]) for row in rows)
    except DBAPIError:
        return frozenset()


def at_head(engine: Engine) -> bool:
    return stored_revisions(engine) == script_heads()


def upgrade_to_head(database_url: str, engine: Engine | None = None) -> None:
    """`alembic upgrade head`, skipped when `engine`'s database is already there."""
    if engine is not None and at_head(engine):
        return
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")
