"""Socket Mode, HTTP and OAuth: the Bolt app, the outbox's Slack sender, the web routes, and a
shutdown in order on SIGTERM/SIGINT.

The OAuth stores and their manifest reader are imported only when OAuth mode starts, so an HTTP
start does not pay for them.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING
from wsgiref.types import WSGIApplication

from smmbot.bootstrap.context import build_sweeps, start_collecting, sweeps
from smmbot.config import RunMode, Settings
from smmbot.domain.sharebar import ShareGate
from smmbot.persistence.migrations import at_head
from smmbot.scheduling.jobs import OutboxSweep, new_worker_id
from smmbot.scheduling.scheduler import start_scheduler
from smmbot.services.bio import bio_page
from smmbot.services.context import ServiceContext
from smmbot.services.link_clicks import ClickRecorder
from smmbot.services.links import follow_short_link
from smmbot.services.metrics_api import ingest_readings
from smmbot.services.operations import ContextExecutor, metrics_text
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


class _StopSignal:
    """Turns SIGTERM/SIGINT into an event, so every mode shuts down in order and exits 0."""

    def __init__(self) -> None:
        self.event = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        self.event.set()


def run_slack_mode(settings: Settings, ctx: ServiceContext) -> int:
    stop = _StopSignal()
    executor = ContextExecutor(max_workers=settings.smmbot_http_threads, thread_name_prefix="bolt")
    bolt_app, sender = slack_app(settings, ctx, executor)
    outbox = OutboxSweep(ctx=ctx, sender=sender, worker_id=new_worker_id())
    scheduler = start_scheduler(
        interval_seconds=settings.smmbot_scheduler_interval,
        sweeps=sweeps(ctx, outbox),
        build_sweeps=build_sweeps(ctx, settings),
        slow_sweeps=(partial(sync_due, ctx=ctx, worker_id=outbox.worker_id),),
    )
    clicks = ClickRecorder(ctx)
    start_collecting()
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
    sender = build_workspace_message_sender(
        bot_tokens=installations.bot_token,
        api_url=api_url,
        refused=installations.refused,
        keep_tokens=installations.keep_bot_tokens,
    )
    return bolt_app, sender


def web_app(
    settings: Settings,
    ctx: ServiceContext,
    slack_events: WSGIApplication,
    slack_paths: Collection[str],
    clicks: ClickRecorder,
    scheduler_running: Callable[[], bool],
) -> WSGIApplication:
    """HTTP and OAuth modes: the routes of DESIGN.md plus the operators' `/metrics`, `/readyz`."""
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
