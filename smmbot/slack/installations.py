"""OAuth mode's storage: slack_sdk's SQLAlchemy installation and OAuth-state stores, on our engine.

The tables are slack_sdk's own definitions (its `build_*_table` class methods), collected in
`OAUTH_METADATA`, which Alembic compares with the migrations next to our models' metadata: a
slack_sdk upgrade that changes a column shows up in `alembic check`, not as an error at run
time. They live here, not in smmbot.persistence, because only smmbot.slack may import slack_sdk;
migration 0007 creates them, never `create_all`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Final

from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, select

from smmbot.persistence.models.base import NAMING_CONVENTION

STATE_EXPIRATION_SECONDS: Final = 600  # an install started and not finished in 10 min restarts
TOKEN_CACHE_SECONDS: Final = 60.0

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


@dataclass
class _CachedToken:
    token: str
    until: float  # monotonic seconds
    served: int = 0
    """Times handed out since it was looked up, beyond the send it was looked up for (-1 when
    looked up ahead of that send, `keep_bot_tokens`): a refused one served more is stale."""


class WorkspaceInstallations(SQLAlchemyInstallationStore):
    """The installations of this app (its client id), with the lookup background work needs.

    Bot tokens are kept for a minute: every outbox message looked its workspace's token up, a
    digest twice (its message, then its chart), a connection and a query each; and a claimed
    batch's are looked up in one query before its sends (`keep_bot_tokens`). What a minute
    could leave stale is covered: this process forgets a token as soon as it saves or deletes
    it (an install, an uninstall, a revocation), and a token Slack refuses that came from the
    cache is forgotten with the message retried (`refused`), for what another bot process
    changed. A workspace without a token is never kept, so one installed meanwhile is seen at
    once."""

    def __init__(
        self, client_id: str, engine: Engine, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._tokens: dict[str, _CachedToken] = {}
        self._clock = clock

    def bot_token(self, team_id: str) -> str | None:
        """The newest bot token stored for the workspace, or None once it uninstalled the app.

        By team id alone: an outbox message knows its workspace, not its Enterprise Grid org,
        and a team id is unique across orgs.
        """
        now = self._clock()
        cached = self._tokens.get(team_id)
        if cached is not None and now < cached.until:
            cached.served += 1
            return cached.token
        token = self._stored_bot_tokens([team_id]).get(team_id)
        if token is None:
            self._tokens.pop(team_id, None)
        else:
            self._tokens[team_id] = _CachedToken(token, now + TOKEN_CACHE_SECONDS)
        return token

    def keep_bot_tokens(self, team_ids: Collection[str]) -> None:
        """Looks up at once the tokens of these workspaces that are not kept: the outbox claims
        its messages in batches, and in a Monday rush each of a batch's digests is the first
        of its workspace in a minute, so each looked its token up with a connection and a query
        of its own. Workspaces without a token are left out, as `bot_token` leaves them."""
        now = self._clock()
        wanted = {
            team_id
            for team_id in team_ids
            if (cached := self._tokens.get(team_id)) is None or now >= cached.until
        }
        if not wanted:
            return
        for team_id, token in self._stored_bot_tokens(wanted).items():
            self._tokens[team_id] = _CachedToken(token, now + TOKEN_CACHE_SECONDS, served=-1)

    def refused(self, team_id: str, token: str) -> bool:
        """Slack refused `token` (invalid_auth, token_revoked …): forgets the workspace's token;
        True when this one had come from the cache, so that it may be stale and the message is
        worth retrying with a fresh lookup rather than failing."""
        cached = self._tokens.pop(team_id, None)
        return cached is not None and cached.token == token and cached.served > 0

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(bot)
        self._tokens.pop(bot.team_id or "", None)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        super().delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self._tokens.pop(team_id or "", None)

    def _stored_bot_tokens(self, team_ids: Collection[str]) -> dict[str, str]:
        """The newest bot token stored for each of these workspaces that has one."""
        bots = self.bots.c
        query = (
            select(bots.team_id, bots.bot_token)
            .where(
                bots.client_id == self.client_id,
                bots.team_id.in_(sorted(team_ids)),
                bots.bot_token.is_not(None),
            )
            .order_by(bots.installed_at)  # the newest comes last and is the one kept
        )
        with self.engine.connect() as connection:
            return {str(team_id): str(token) for team_id, token in connection.execute(query)}


def oauth_state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    """States in the database, not in a file: any of several bot processes on one database can
    finish an install another one started."""
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
