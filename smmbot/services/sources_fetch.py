"""Reading a source's accounts one by one, so that one account's problem costs only that account.

A missing permission on one Instagram account or a malformed answer for one Page is a
`ConnectorError` for that account alone: it is logged and the account is skipped while the
others' readings are stored. A rejected credential or a rate limit concerns the whole sign-in,
so it still stops the run (the pending accounts are not even asked). Accounts are read a few at
a time: a backfill spends nearly all its time waiting on the provider.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date

from smmbot.services.competitors_sync import Rivals
from smmbot.services.connectors.base import (
    Account,
    Connector,
    ConnectorError,
    CredentialsRejected,
    FetchedReading,
    RateLimited,
    TokenSet,
)

log = logging.getLogger(__name__)

PARALLEL_ACCOUNTS = 4
"""Concurrent accounts per source; with Instagram's own few day requests per account this
stays well inside Graph's per-user throttles."""


@dataclass(frozen=True)
class Fetched:
    readings: list[FetchedReading]
    failed: tuple[Account, ...]
    """The accounts whose answer was unusable this time, in the source's order."""
    rivals: Rivals | None = None
    """The competitors' numbers read through Business Discovery at a Meta sync."""


def _one(
    connector: Connector, tokens: TokenSet, account: Account, start: date, end: date
) -> list[FetchedReading] | ConnectorError:
    try:
        return connector.fetch(tokens, [account], start, end)
    except (CredentialsRejected, RateLimited):
        raise
    except ConnectorError as error:
        return error


def fetch_accounts(
    connector: Connector, tokens: TokenSet, accounts: Sequence[Account], start: date, end: date
) -> Fetched:
    """Every account's readings; raises `CredentialsRejected`/`RateLimited` as soon as one
    account meets them, and `ConnectorError` when no account at all could be read."""
    if not accounts:
        return Fetched([], ())
    outcomes: dict[Account, list[FetchedReading] | ConnectorError] = {}
    pool = ThreadPoolExecutor(max_workers=min(PARALLEL_ACCOUNTS, len(accounts)))
    try:
        futures = {pool.submit(_one, connector, tokens, a, start, end): a for a in accounts}
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    readings: list[FetchedReading] = []
    failed: list[Account] = []
    for account in accounts:
        outcome = outcomes[account]
        if isinstance(outcome, ConnectorError):
            log.warning("account %s %s: skipped, %s", account.kind, account.id, outcome)
            failed.append(account)
        else:
            readings.extend(outcome)
    if len(failed) == len(accounts):
        raise ConnectorError(f"none of the {len(accounts)} account(s) could be read")
    return Fetched(readings, tuple(failed))
