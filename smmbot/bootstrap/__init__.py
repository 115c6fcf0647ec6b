"""The one place that builds engine, services, Bolt app and scheduler, and runs the chosen mode.

`context` turns Settings into the ServiceContext every mode shares; `slack_mode` runs Socket
Mode, HTTP and OAuth. What only one mode needs (the console, the OAuth stores and their manifest
reader) is imported when that mode starts, so an HTTP start does not pay for them;
`bench/startup.py` measures it.
"""

from __future__ import annotations

import logging
import sys

from smmbot.bootstrap.context import (
    build_context,
    build_sweeps,
    console_profile,
    start_collecting,
    sweeps,
)
from smmbot.bootstrap.slack_mode import run_slack_mode
from smmbot.config import RunMode, Settings
from smmbot.rendering.i18n import Translator
from smmbot.scheduling.jobs import OutboxSweep, new_worker_id
from smmbot.scheduling.scheduler import start_scheduler
from smmbot.services.context import ServiceContext
from smmbot.services.operations import JsonLogFormatter

log = logging.getLogger("smmbot")


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
    return run_slack_mode(settings, ctx)


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
        interval_seconds=settings.smmbot_scheduler_interval,
        sweeps=sweeps(ctx, outbox),
        build_sweeps=build_sweeps(ctx, settings),
    )
    start_collecting()
    try:
        run_console(ctx=ctx, profile=profile, out=sys.stdout)
    finally:
        outbox.stop()
        scheduler.shutdown(wait=True)
    return 0
