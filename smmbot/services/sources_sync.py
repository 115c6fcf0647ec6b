"""Syncing connected sources: the daily run, the 90-day backfill and `/smm sources sync`.

Never on a Slack request's path: the sweep claims due sources (`persistence.sources_repository`),
fetches outside any transaction, then writes one sync's readings in one transaction that also
moves the source's next run, conditional on still holding the claim (a sync taken over after a
crash cannot write twice). Readings are upserts, so re-reading three days never changes a total.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.insights import post_id
from smmbot.domain.metrics import METRICS
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.metrics_repository import MetricRepository, SourcedKey
from smmbot.persistence.models import ConnectorSource
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.persistence.sources_repository import (
    ACTIVE,
    BROKEN,
    PICKING,
    ConnectorRepository,
    SyncClaims,
)
from smmbot.services.competitors_sync import fetch_competitors, store_competitors
from smmbot.services.connectors.base import (
    Account,
    CampaignLabel,
    ConnectorError,
    CredentialsRejected,
    FetchedReading,
    Provider,
    RateLimited,
    TokenSet,
)
from smmbot.services.connectors.vault import Vault, Vaulted
from smmbot.services.context import ServiceContext
from smmbot.services.metrics import MANUAL_SOURCE
from smmbot.services.post_results_sync import with_post_results
from smmbot.services.sources_fetch import Fetched, fetch_accounts
from smmbot.services.sources_notices import notify_broken

log = logging.getLogger(__name__)

BACKFILL_DAYS = 90
REREAD_DAYS = 3
REFRESH_MARGIN = timedelta(minutes=5)
RATE_LIMIT_PAUSE = timedelta(minutes=15)
FAILURE_PAUSE = timedelta(hours=1)
ATTRIBUTED = frozenset({"orders", "revenue"})


def next_sync_at(now: datetime, zone: str, hour: int) -> datetime:
    """The next `hour`:00 in the workspace's zone strictly after `now`."""
    local = now.astimezone(ZoneInfo(zone))
    candidate = datetime.combine(local.date(), time(hour), tzinfo=ZoneInfo(zone))
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), time(hour), ZoneInfo(zone))
    return candidate


@dataclass(frozen=True)
class SweepReport:
    claimed: int
    synced: int


def sync_due(
    *, ctx: ServiceContext, worker_id: str, limit: int = 64, concurrency: int = 8
) -> SweepReport:
    """One sweep: claim due sources, sync them `concurrency` at a time (the time goes into
    waiting for the providers). Without SMMBOT_SECRET_KEY nothing can be read."""
    if not ctx.secret_key:
        return SweepReport(0, 0)
    with ctx.db.transaction() as session:
        claimed = [
            (source.id, source.team_id)
            for source in SyncClaims(session).claim_due(
                ctx.clock(), worker_id=worker_id, lease=ctx.sync_lease, limit=limit
            )
        ]
    if not claimed:
        return SweepReport(0, 0)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sync") as pool:
        results = list(
            pool.map(
                lambda sid: sync_claimed(ctx=ctx, source_id=sid, worker_id=worker_id),
                [sid for sid, _ in claimed],
            )
        )
    return SweepReport(len(claimed), sum(results))


@dataclass(frozen=True)
class _Job:
    provider: Provider
    team_id: str
    zone: str
    vaulted: Vaulted
    accounts: tuple[Account, ...]
    start: date
    end: date
    backfill: bool


def sync_claimed(*, ctx: ServiceContext, source_id: int, worker_id: str) -> bool:
    """Syncs one claimed source; True when readings were written."""
    assert ctx.secret_key is not None
    vault = Vault(ctx.secret_key)
    job = _load(ctx, vault, source_id, worker_id)
    if job is None:
        return False
    connector = ctx.connectors.get(job.provider.value)
    try:
        if connector is None:
            raise ConnectorError(f"{job.provider} is not configured")
        tokens = job.vaulted.tokens
        if tokens.expires_at is not None and tokens.expires_at - REFRESH_MARGIN <= ctx.clock():
            tokens = connector.refresh(tokens)
        fetched = fetch_accounts(connector, tokens, job.accounts, job.start, job.end)
        workspace = (job.team_id, job.zone, job.accounts)
        fetched = with_post_results(ctx, workspace, connector, tokens, fetched)
        window = (job.zone, job.start, job.end)
        rivals = fetch_competitors(ctx, job.team_id, connector, tokens, job.accounts, window)
    except CredentialsRejected as error:
        log.warning("sync %s/%s: credentials rejected (%s)", job.team_id, job.provider, error)
        _fail(ctx, source_id, worker_id, problem="credentials_rejected", pause=None)
        return False
    except RateLimited as error:
        log.warning("sync %s/%s: rate limited (%s)", job.team_id, job.provider, error)
        _fail(ctx, source_id, worker_id, "rate_limited", error.retry_after or RATE_LIMIT_PAUSE)
        return False
    except ConnectorError as error:
        log.warning("sync %s/%s: skipped, %s", job.team_id, job.provider, error)
        _fail(ctx, source_id, worker_id, problem="fetch_failed", pause=FAILURE_PAUSE)
        return False
    return _store(ctx, vault, source_id, worker_id, job, tokens, replace(fetched, rivals=rivals))


def _load(ctx: ServiceContext, vault: Vault, source_id: int, worker_id: str) -> _Job | None:
    with ctx.db.transaction() as session:
        source = SyncClaims(session).holds(source_id, worker_id)
        if source is None:
            return None
        zone = WorkspaceRepository(session, source.team_id).get_or_create(now=ctx.clock()).timezone
        vaulted = vault.open(source.vault)
        chosen = {(a["kind"], a["id"]) for a in source.accounts}
        accounts = tuple(a for a in vaulted.accounts if (a.kind.value, a.id) in chosen)
        end = ctx.clock().astimezone(ZoneInfo(zone)).date()
        days = BACKFILL_DAYS if source.backfill_pending else REREAD_DAYS
        return _Job(
            Provider(source.provider),
            source.team_id,
            zone,
            vaulted,
            accounts,
            end - timedelta(days=days - 1),
            end,
            source.backfill_pending,
        )


def _store(
    ctx: ServiceContext,
    vault: Vault,
    source_id: int,
    worker_id: str,
    job: _Job,
    tokens: TokenSet,
    fetched: Fetched,
) -> bool:
    """Writes what was read; accounts that failed are named on the source, and a backfill
    they missed stays pending, so the next daily sync reads their 90 days again."""
    now = ctx.clock()
    with ctx.db.transaction() as session:
        source = SyncClaims(session).holds(source_id, worker_id)
        if source is None:
            return False
        kept = _keepable(session, job.team_id, fetched.readings)
        written = _upsert(session, job.team_id, kept, now)
        store_competitors(session, job.team_id, fetched.rivals, now)
        if tokens != job.vaulted.tokens:
            source.vault = vault.seal(Vaulted(tokens, job.vaulted.accounts))
        source.last_sync_at = now
        source.last_summary = {
            "readings": written,
            "metrics": sorted({r.metric for r in kept}),
            "start": job.start.isoformat(),
            "end": job.end.isoformat(),
            "failed_accounts": [a.name for a in fetched.failed],
        }
        source.problem = "accounts_failed" if fetched.failed else None
        picked_meanwhile = {(a["kind"], a["id"]) for a in source.accounts} - {
            (a.kind.value, a.id) for a in job.accounts
        }
        # a pick during this sync: go again at once
        source.backfill_pending = bool(picked_meanwhile) or (job.backfill and bool(fetched.failed))
        source.next_sync_at = (
            now if picked_meanwhile else next_sync_at(now, job.zone, ctx.sync_hour)
        )
        source.claimed_by = None
        source.lease_until = None
    log.info(
        "sync %s/%s: %d reading(s) for %s..%s",
        job.team_id,
        job.provider,
        written,
        job.start,
        job.end,
    )
    return True


def _keepable(
    session: Session, team_id: str, readings: Sequence[FetchedReading]
) -> list[FetchedReading]:
    """Drops what another source owns: Meta's attributed orders/revenue while GA4 is connected
    (one source per number), and unknown metric names (a provider bug, never stored)."""
    google = ConnectorRepository(session, team_id).get(Provider.GOOGLE.value)
    ga4_on = google is not None and google.status != PICKING
    return [
        r
        for r in readings
        if r.metric in METRICS
        and not (ga4_on and r.source == "meta_ads" and r.metric in ATTRIBUTED)
    ]


def _upsert(
    session: Session, team_id: str, readings: Sequence[FetchedReading], now: datetime
) -> int:
    """Matches campaign labels, adds up what lands on one key (several unmatched GA4 campaigns
    are one "no campaign" reading; two Instagram accounts are one platform figure), skips what
    a member logged by hand, then upserts. A backfill is tens of thousands of readings over a
    few dozen labels, so each label is matched once."""
    campaigns = CampaignRepository(session, team_id)
    tables = {
        "utm_slug": campaigns.names_by_utm_slug(),
        "name": {c.name_key: c.name for c in campaigns.list_all()},
    }
    matched: dict[tuple[str, str], str] = {}  # by (text, match): a tuple hashes in C
    repository = MetricRepository(session, team_id)
    manual = repository.list_manual_keys({r.day for r in readings}, MANUAL_SOURCE)
    values: dict[SourcedKey, Decimal] = defaultdict(Decimal)
    for day, metric, value, source, platform, label in readings:
        if label is None:
            campaign = ""
        elif (known := matched.get((label.text, label.match))) is not None:
            campaign = known
        else:
            campaign = matched[(label.text, label.match)] = _campaign(tables, label)
        key = (day, metric, campaign, platform or "")
        if not manual or key not in manual or post_id(source) is not None:
            values[(*key, source)] += value
    repository.upsert_many(values, recorded_by=None, now=now)
    return len(values)


def _campaign(tables: dict[str, dict[str, str]], label: CampaignLabel) -> str:
    text = label.text if label.match == "utm_slug" else label.text.strip().casefold()
    return tables[label.match].get(text, "")


def _fail(
    ctx: ServiceContext, source_id: int, worker_id: str, problem: str, pause: timedelta | None
) -> None:
    now = ctx.clock()
    with ctx.db.transaction() as session:
        source = SyncClaims(session).holds(source_id, worker_id)
        if source is None:
            return
        source.problem = problem
        source.claimed_by = None
        source.lease_until = None
        if pause is None:
            source.status = BROKEN
            source.next_sync_at = None
            if not source.broken_notified:
                notify_broken(session, source, now)
                source.broken_notified = True
        else:
            source.next_sync_at = now + pause


def queue_now(source: ConnectorSource, now: datetime) -> bool:
    """`/smm sources sync`: due at once; False when the source cannot sync (broken, picking)."""
    if source.status != ACTIVE:
        return False
    source.next_sync_at = now
    return True
