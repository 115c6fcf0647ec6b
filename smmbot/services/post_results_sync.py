"""Per-post results in a connector's sync: each published Instagram or Facebook post that
carries its link is looked up for `RESULT_DAYS` days after it was due, and its lifetime numbers
replace the post's readings (source `post:<id>`), as re-reading the last days does for the
account's. A post's own results never add to the account's totals of a day the account's
figure was synced for (see `persistence.rollups`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from smmbot.domain.insights import post_source
from smmbot.persistence.insights_repository import InsightsRepository
from smmbot.services.connectors.base import (
    Account,
    Connector,
    ConnectorError,
    CredentialsRejected,
    FetchedReading,
    PostRef,
    RateLimited,
    TokenSet,
)
from smmbot.services.context import ServiceContext
from smmbot.services.sources_fetch import Fetched

log = logging.getLogger(__name__)

RESULT_DAYS = 7
POST_PLATFORMS = ("instagram", "facebook")


@runtime_checkable
class PostResultsConnector(Protocol):
    def fetch_posts(
        self, tokens: TokenSet, accounts: Sequence[Account], refs: Sequence[PostRef]
    ) -> list[FetchedReading]: ...


def _refs(ctx: ServiceContext, team_id: str, zone: str) -> list[PostRef]:
    since = ctx.clock() - timedelta(days=RESULT_DAYS)
    with ctx.db.transaction() as session:
        found = InsightsRepository(session, team_id).list_linked_since(since, POST_PLATFORMS)
        return [
            PostRef(
                item_id=item.id,
                platform=item.platform or "",
                url=item.published_url or "",
                day=item.due_at.astimezone(ZoneInfo(zone)).date(),
                campaign=campaign,
                source=post_source(item.id),
            )
            for item, campaign in found
        ]


def with_post_results(
    ctx: ServiceContext,
    workspace: tuple[str, str, Sequence[Account]],
    connector: Connector,
    tokens: TokenSet,
    fetched: Fetched,
) -> Fetched:
    """`fetched` plus the recent posts' results of the workspace (team id, zone, the chosen
    accounts); a post lookup that fails costs only the posts (logged), while a rejected
    token or a rate limit stops the sync as any call does."""
    team_id, zone, accounts = workspace
    if not isinstance(connector, PostResultsConnector):
        return fetched
    refs = _refs(ctx, team_id, zone)
    if not refs:
        return fetched
    try:
        readings = connector.fetch_posts(tokens, accounts, refs)
    except (CredentialsRejected, RateLimited):
        raise
    except ConnectorError as error:
        log.warning("sync %s: post results skipped, %s", team_id, error)
        return fetched
    return Fetched([*fetched.readings, *readings], fetched.failed)
