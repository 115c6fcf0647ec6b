"""The one place that builds engine, services, Bolt app and scheduler, and runs the chosen mode.

What only one mode needs (the console, the OAuth stores and their manifest reader) is imported
when that mode starts, so an HTTP start does not pay for them; `bench/startup.py` measures it.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING
from wsgiref.types import WSGIApplication

from smmbot.config import RunMode, Settings
from smmbot.domain.sharebar import ShareGate
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import at_head, upgrade_to_head
from smmbot.rendering.i18n import Translator
from smmbot.scheduling.jobs import OutboxSweep, new_worker_id
from smmbot.scheduling.scheduler import Sweep, start_scheduler
from smmbot.services.bio import bio_page
from smmbot.services.calendar_actions import mark_missed
from smmbot.services.connectors.base import Connector, Provider
from smmbot.services.connectors.google import GoogleConnector, GoogleEndpoints
from smmbot.services.connectors.meta import MetaConnector
from smmbot.services.connectors.meta_graph import MetaEndpoints
from smmbot.services.context import ServiceContext
from smmbot.services.digest import queue_weekly_digests
from smmbot.services.identity import MemberProfile
from smmbot.services.link_clicks import ClickRecorder
from smmbot.services.links import follow_short_link
from smmbot.services.metrics_api import ingest_readings
from smmbot.services.operations import ContextExecutor, JsonLogFormatter, metrics_text
from smmbot.services.sharebar import record_share
from smmbot.services.sources_sign_in import complete_sign_in
from smmbot.services.sources_sync import sync_due
from smmbot.slack.app import (
    SlackConnectionError,
    build_bolt_app,
    build_oauth_bolt_app,
    connect_socket_mode,
    oauth_paths,
    wsgi_endpoint,
)
from smmbot.slack.notifier import (
    SlackMessageSender,
    build_message_sender,
    build_workspace_message_sender,
)
from smmbot.web.operations import Operations
from smmbot.web.routes import build_wsgi_app
from smmbot.web.server import serve_http

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger("smmbot")


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
    """The providers whose OAuth client is configured, and for the others what is missing."""
    connectors: dict[str, Connector] = {}
    gaps: dict[str, tuple[str, ...]] = {}
    google = (
        ("GOOGLE_CLIENT_ID", settings.google_client_id),
        ("GOOGLE_CLIENT_SECRET", settings.google_client_secret),
    )
    if settings.google_client_id and settings.google_client_secret:
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


def console_profile(settings: Settings) -> MemberProfile:
    """The console user's language and zone, from SMMBOT_CONSOLE_LOCALE / _TIMEZONE. Whoever
    runs the console owns the installation, so they count as the workspace's admin."""
    return MemberProfile(
        timezone=settings.smmbot_console_timezone,
        locale=settings.smmbot_console_locale,
        is_admin=True,
    )


class _StopSignal:
    """Turns SIGTERM/SIGINT into an event, so every mode shuts down in order and exits 0."""

    def __init__(self) -> None:
        self.event = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        self.event.set()


def run(settings: Settings) -> int:
    mode = settings.run_mode
    handler = logging.StreamHandler(sys.stderr)
    if settings.smmbot_log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(
        level=logging.WARNING if mode is RunMode.CONSOLE else logging.INFO, handlers=[handler]
    )
    refusal = settings.refusal()
    if refusal is not None:
        log.error("cannot start: %s", refusal)
        return 1
    for name in settings.ignored_variables():
        log.warning(
            "%s is set but %s mode does not use it (SLACK_APP_TOKEN selects Socket Mode, else "
            "SLACK_CLIENT_ID with SLACK_CLIENT_SECRET OAuth mode, else SLACK_BOT_TOKEN HTTP mode)",
            name,
            mode,
        )
    ctx = build_context(settings)
    if mode is RunMode.CONSOLE:
        return _run_console(settings, ctx)
    return _run_slack(settings, ctx)


def _sweeps(ctx: ServiceContext, outbox: OutboxSweep) -> tuple[Sweep, ...]:
    return (partial(mark_missed, ctx=ctx), partial(queue_weekly_digests, ctx=ctx), outbox)


def _run_console(settings: Settings, ctx: ServiceContext) -> int:
    """The prompt, with the same sweeps as the bot: due reminders and the weekly digest are
    printed in the terminal when they fall due. Imported here so other modes never load it."""
    from smmbot.console.delivery import ConsoleMessageSender
    from smmbot.console.repl import DEFAULT_FILES_DIR, PROMPT, run_console

    profile = console_profile(settings)
    sender = ConsoleMessageSender(
        out=sys.stdout,
        tr=Translator(profile.locale or ""),
        files_dir=DEFAULT_FILES_DIR,
        prompt=PROMPT,
    )
    outbox = OutboxSweep(ctx=ctx, sender=sender, worker_id=new_worker_id())
    scheduler = start_scheduler(
        interval_seconds=settings.smmbot_scheduler_interval, sweeps=_sweeps(ctx, outbox)
    )
    try:
        run_console(ctx=ctx, profile=profile, out=sys.stdout)
    finally:
        outbox.stop()
        scheduler.shutdown(wait=True)
    return 0


def slack_app(
    settings: Settings, ctx: ServiceContext, executor: ThreadPoolExecutor
) -> tuple[App, SlackMessageSender]:
    """The Bolt app and the outbox's sender: one bot token, or each workspace's (OAuth)."""
    api_url = settings.normalised_api_url
    if settings.run_mode is not RunMode.OAUTH:
        bot_token = settings.slack_bot_token or ""
        bolt_app = build_bolt_app(
            ctx=ctx,
            bot_token=bot_token,
            signing_secret=settings.slack_signing_secret,
            api_url=api_url,
            executor=executor,
        )
        return bolt_app, build_message_sender(bot_token=bot_token, api_url=api_url)
    from smmbot.slack.installations import WorkspaceInstallations
    from smmbot.slack.oauth import oauth_settings

    installations = WorkspaceInstallations(
        client_id=settings.slack_client_id or "", engine=ctx.db.engine
    )
    bolt_app = build_oauth_bolt_app(
        ctx=ctx,
        oauth=oauth_settings(
            client_id=settings.slack_client_id or "",
            client_secret=settings.slack_client_secret or "",
            installations=installations,
            engine=ctx.db.engine,
            api_url=api_url,
        ),
        signing_secret=settings.slack_signing_secret or "",
        api_url=api_url,
        executor=executor,
    )
    sender = build_workspace_message_sender(bot_tokens=installations.bot_token, api_url=api_url)
    return bolt_app, sender


def _run_slack(settings: Settings, ctx: ServiceContext) -> int:
    stop = _StopSignal()
    executor = ContextExecutor(max_workers=settings.smmbot_http_threads, thread_name_prefix="bolt")
    bolt_app, sender = slack_app(settings, ctx, executor)
    outbox = OutboxSweep(ctx=ctx, sender=sender, worker_id=new_worker_id())
    scheduler = start_scheduler(
        interval_seconds=settings.smmbot_scheduler_interval,
        sweeps=_sweeps(ctx, outbox),
        slow_sweeps=(partial(sync_due, ctx=ctx, worker_id=outbox.worker_id),),
    )
    clicks = ClickRecorder(ctx)
    try:
        if settings.run_mode is RunMode.SOCKET:
            try:
                disconnect = connect_socket_mode(bolt_app, app_token=settings.slack_app_token or "")
            except SlackConnectionError as error:
                log.error("could not open a Socket Mode connection: %s", error)
                return 1
            log.info("connected to Slack in Socket Mode")
            stop.event.wait()
            disconnect()
        else:
            web = web_app(settings, ctx, wsgi_endpoint(bolt_app), oauth_paths(bolt_app), clicks,
                          lambda: bool(scheduler.running))  # fmt: skip
            serve_http(web, host=settings.host, port=settings.port,
                       threads=settings.smmbot_http_threads)  # fmt: skip
    finally:
        outbox.stop()  # a running sweep releases the claims it has not started on
        scheduler.shutdown(wait=True)
        executor.shutdown(wait=True)
        clicks.close()  # after the server drained its requests: no click queued is lost
        ctx.db.engine.dispose()
    log.info("stopped cleanly")
    return 0


def web_app(
    settings: Settings,
    ctx: ServiceContext,
    slack_events: WSGIApplication,
    slack_paths: Collection[str],
    clicks: ClickRecorder,
    scheduler_running: Callable[[], bool],
) -> WSGIApplication:
    """HTTP and OAuth modes: DESIGN.md's routes plus the operators' `/metrics` and `/readyz`."""
    ops = Operations(
        metrics=partial(metrics_text, ctx),
        checks=lambda: {
            "database": ctx.db.ping(),
            "migrations_at_head": ctx.db.ping() and at_head(ctx.db.engine),
            "scheduler": scheduler_running(),
        },
        token=settings.smmbot_metrics_token,
    )
    return build_wsgi_app(
        slack_events=slack_events,
        database_ok=ctx.db.ping,
        follow_link=partial(follow_short_link, ctx=ctx, clicks=clicks),
        ingest_metrics=partial(ingest_readings, ctx=ctx),
        record_share=partial(record_share, ctx=ctx, gate=ShareGate()),
        find_bio_page=partial(bio_page, ctx=ctx),
        sign_in=partial(complete_sign_in, ctx),
        oauth_paths=slack_paths,
        ops=ops,
    )
