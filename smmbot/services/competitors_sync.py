"""Competitors' Instagram numbers at each Meta sync, through Business Discovery.

Read outside any transaction with the first chosen Instagram account's Page token, then stored
in the sync's own transaction: followers as the sync day's level, and per day of their posts
(in the workspace's zone) how many they published and the likes plus comments those posts
have. A rate limit or a rejected sign-in stops the whole sync as the connector's own calls do
(the sync backs off); one competitor's broken answer skips only that competitor; a handle that
is no business or creator account marks the competitor "not found" and stores nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.competitors import ENGAGEMENTS, FOLLOWERS, POSTS
from smmbot.persistence.competitors_repository import CompetitorRepository, ReadingKey
from smmbot.services.connectors.base import (
    Account,
    AccountKind,
    Connector,
    ConnectorError,
    CredentialsRejected,
    RateLimited,
    TokenSet,
)
from smmbot.services.context import ServiceContext

if TYPE_CHECKING:
    from smmbot.services.connectors.meta_discovery import Discovered

log = logging.getLogger(__name__)

SOURCE = "instagram"
NOT_FOUND = "not_found"
FOUND = "found"


@dataclass(frozen=True)
class Rivals:
    """What one sync read: per competitor id, its numbers, or None for a handle not found."""

    read: dict[int, Discovered | None]
    zone: str
    start: date
    end: date


def fetch_competitors(
    ctx: ServiceContext,
    team_id: str,
    connector: Connector,
    tokens: TokenSet,
    accounts: Sequence[Account],
    window: tuple[str, date, date],
) -> Rivals | None:
    """None when there is nothing to ask or no Instagram account to ask through. The Meta client
    is imported here, by a sync that has a connector, not at start (it brings httpx)."""
    from smmbot.services.connectors.meta import MetaConnector
    from smmbot.services.connectors.meta_graph import UnknownUser

    ours = next((a for a in accounts if a.kind is AccountKind.INSTAGRAM_ACCOUNT), None)
    if not isinstance(connector, MetaConnector) or ours is None:
        return None
    with ctx.db.transaction() as session:
        handles = [(c.id, c.instagram) for c in CompetitorRepository(session, team_id).list_all()]
    zone, start, end = window
    since = datetime.combine(start, time(), ZoneInfo(zone))
    read: dict[int, Discovered | None] = {}
    for competitor_id, handle in handles:
        if not handle:
            continue
        try:
            read[competitor_id] = connector.discover(tokens, ours, handle, since)
        except UnknownUser:
            log.info("competitor %s/%s: @%s is no business account", team_id, competitor_id, handle)
            read[competitor_id] = None
        except (CredentialsRejected, RateLimited):
            raise
        except ConnectorError as error:
            log.warning("competitor %s/%s: skipped, %s", team_id, competitor_id, error)
    return Rivals(read, zone, start, end) if read else None


def store_competitors(session: Session, team_id: str, rivals: Rivals | None, now: datetime) -> None:
    if rivals is None:
        return
    repository = CompetitorRepository(session, team_id)
    values: dict[ReadingKey, Decimal] = defaultdict(Decimal)
    for competitor in repository.list_all():
        if competitor.id not in rivals.read:
            continue  # removed meanwhile, or skipped this time
        found = rivals.read[competitor.id]
        competitor.status = FOUND if found is not None else NOT_FOUND
        if found is None:
            continue
        values[(competitor.id, rivals.end, FOLLOWERS)] = found.followers
        for when, engagements in found.media:
            day = when.astimezone(ZoneInfo(rivals.zone)).date()
            if rivals.start <= day <= rivals.end:
                values[(competitor.id, day, POSTS)] += 1
                values[(competitor.id, day, ENGAGEMENTS)] += engagements
    repository.upsert_readings(values, source=SOURCE, now=now)
