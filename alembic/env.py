"""Alembic environment: the URL comes from smmbot's Settings unless the caller passed one.

The target is our models plus the tables of slack_sdk's OAuth stores (defined in smmbot.slack,
the one package that may import slack_sdk), so `alembic check` covers every table we migrate.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from smmbot.config import Settings
from smmbot.persistence.database import create_database_engine
from smmbot.persistence.models import Base
from smmbot.slack.installations import OAUTH_METADATA

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

url = config.get_main_option("sqlalchemy.url") or Settings().database_url
target_metadata = [Base.metadata, OAUTH_METADATA]


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_database_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # A batch migration copies a table and drops the old one; with foreign keys
            # enforced, that DROP deletes every row referring to it (ON DELETE CASCADE): a
            # workspace's readings, an item's reminders. Off for the migration, then checked.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left rows without their parent: {broken}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
