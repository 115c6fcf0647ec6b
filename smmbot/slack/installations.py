"""OAuth mode's storage: slack_sdk's SQLAlchemy installation and OAuth-state stores, on our engine.

The tables are slack_sdk's own definitions (its `build_*_table` class methods), collected in
`OAUTH_METADATA`, which Alembic compares with the migrations next to our models' metadata: a
slack_sdk upgrade that changes a column shows up in `alembic check`, not as an error at run
time. They live here, not in smmbot.persistence, because only smmbot.slack may import slack_sdk;
migration 0007 creates them, never `create_all`.
"""

from __future__ import annotations

from typing import Final

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, select

from smmbot.persistence.models.base import NAMING_CONVENTION

STATE_EXPIRATION_SECONDS: Final = 600  # an install started and not finished in 10 min restarts

OAUTH_METADATA: Final = MetaData(naming_convention=NAMING_CONVENTION)
SQLAlchemyInstallationStore.build_installations_table(
    OAUTH_METADATA, SQLAlchemyInstallationStore.default_installations_table_name
)
SQLAlchemyInstallationStore.build_bots_table(
    OAUTH_METADATA, SQLAlchemyInstallationStore.default_bots_table_name
)
SQLAlchemyOAuthStateStore.build_oauth_states_table(
    OAUTH_METADATA, SQLAlchemyOAuthStateStore.default_table_name
)


class WorkspaceInstallations(SQLAlchemyInstallationStore):
    """The installations of this app (its client id), with the lookup background work needs."""

    def bot_token(self, team_id: str) -> str | None:
        """The newest bot token stored for the workspace, or None once it uninstalled the app.

        By team id alone: an outbox message knows its workspace, not its Enterprise Grid org,
        and a team id is unique across orgs.
        """
        bots = self.bots.c
        query = (
            select(bots.bot_token)
            .where(
                bots.client_id == self.client_id,
                bots.team_id == team_id,
                bots.bot_token.is_not(None),
            )
            .order_by(bots.installed_at.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            token: str | None = connection.scalar(query)
        return token


def oauth_state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    """States in the database, not in a file: any of several bot processes on one database can
    finish an install another one started."""
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
