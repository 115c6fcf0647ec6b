"""Settings -> ServiceContext: the database at head, the configured connectors, and the sweeps
every mode runs (the console and the Slack modes share them, so a due reminder is sent the same
way whichever adapter is delivering it)."""

from __future__ import annotations

import gc
from datetime import timedelta
from functools import partial

from smmbot.config import RunMode, Settings
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from smmbot.scheduling.jobs import OutboxSweep
from smmbot.scheduling.scheduler import Sweep
from smmbot.services.calendar_actions import mark_missed
from smmbot.services.connectors.base import Connector, Provider
from smmbot.services.context import ServiceContext
from smmbot.services.digest_helpers import HELPER_LEAD_SECONDS, DigestHelpers
from smmbot.services.digest_sweep import queue_weekly_digests
from smmbot.services.identity import MemberProfile
from smmbot.services.recurring_plan import extend_series


def build_context(settings: Settings) -> ServiceContext:
    engine = create_database_engine(settings.database_url)
    upgrade_to_head(settings.database_url, engine)
    connectors, gaps = build_connectors(settings)
    return ServiceContext(
        db=Database(engine),
        public_url=settings.smmbot_public_url.rstrip("/") if settings.smmbot_public_url else None,
        instagram_hashtag_cap=settings.smmbot_instagram_hashtag_cap,
        serves_web=settings.run_mode in (RunMode.HTTP, RunMode.OAUTH),
        connectors=connectors,
        secret_key=settings.smmbot_secret_key or None,
        sync_hour=settings.smmbot_sync_hour,
        sync_lease=timedelta(seconds=settings.smmbot_sync_lease_seconds),
        connector_gaps=gaps,
    )


def build_connectors(settings: Settings) -> tuple[dict[str, Connector], dict[str, tuple[str, ...]]]:
    """The providers whose OAuth client is configured, and for the others what is missing.

    A provider's client is imported only when it is configured: they bring httpx, which a bot
    without metric sources never loads (issue 16's start and memory goals)."""
    connectors: dict[str, Connector] = {}
    gaps: dict[str, tuple[str, ...]] = {}
    google = (
        ("GOOGLE_CLIENT_ID", settings.google_client_id),
        ("GOOGLE_CLIENT_SECRET", settings.google_client_secret),
    )
    if settings.google_client_id and settings.google_client_secret:
        from smmbot.services.connectors.google import GoogleConnector, GoogleEndpoints

        connectors[Provider.GOOGLE.value] = GoogleConnector(
            client_id=settings.google_client_id,
            client_secret=settings.google_client_secret,
            endpoints=GoogleEndpoints(
                accounts_url=settings.smmbot_google_accounts_url,
                token_url=settings.smmbot_google_token_url,
                data_url=settings.smmbot_ga4_data_url,
                admin_url=settings.smmbot_ga4_admin_url,
            ),
        )
    else:
        gaps[Provider.GOOGLE.value] = tuple(name for name, value in google if not value)
    meta = (("META_APP_ID", settings.meta_app_id), ("META_APP_SECRET", settings.meta_app_secret))
    if settings.meta_app_id and settings.meta_app_secret:
        from smmbot.services.connectors.meta import MetaConnector
        from smmbot.services.connectors.meta_graph import MetaEndpoints

        connectors[Provider.META.value] = MetaConnector(
            app_id=settings.meta_app_id,
            app_secret=settings.meta_app_secret,
            endpoints=MetaEndpoints(
                graph_url=settings.smmbot_meta_graph_url, www_url=settings.smmbot_meta_www_url
            ),
        )
    else:
        gaps[Provider.META.value] = tuple(name for name, value in meta if not value)
    return connectors, gaps


def start_collecting() -> None:
    """The end of start-up: what it built is frozen, so no collection ever rescans it, and the
    collector that `app.py` turned off runs again for what requests allocate."""
    gc.freeze()
    gc.enable()


def console_profile(settings: Settings) -> MemberProfile:
    """The console user's language and zone, from SMMBOT_CONSOLE_LOCALE / _TIMEZONE. Whoever
    runs the console owns the installation, so they count as the workspace's admin."""
    return MemberProfile(
        timezone=settings.smmbot_console_timezone,
        locale=settings.smmbot_console_locale,
        is_admin=True,
    )


def sweeps(ctx: ServiceContext, outbox: OutboxSweep) -> tuple[Sweep, ...]:
    return (partial(mark_missed, ctx=ctx), partial(extend_series, ctx=ctx), outbox)


def build_sweeps(ctx: ServiceContext, settings: Settings) -> tuple[Sweep, ...]:
    """The weekly digests: built in a job of their own (`start_scheduler`), with helper
    processes for a large rush on PostgreSQL (`services.digest_helpers`)."""
    helpers = None
    if settings.smmbot_digest_helpers and ctx.db.engine.dialect.name == "postgresql":
        helpers = DigestHelpers(
            settings.database_url,
            settings.smmbot_digest_helpers,
            ahead=settings.smmbot_scheduler_interval + HELPER_LEAD_SECONDS,
        )
    return (partial(queue_weekly_digests, ctx=ctx, helpers=helpers),)
