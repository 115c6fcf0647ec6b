"""A bot process's delivery engine on its own, driven over stdin, for kill -9 tests.

``python -m tests.support.outbox_worker --database-url URL --api-url URL [--lease SECONDS]``
runs one sweep — the real ``deliver_due`` with the real ``SlackMessageSender`` — for every
``sweep`` line read from stdin, answers each with the sweep's report as one JSON line, and exits
at EOF. Because it waits on stdin between sweeps, a test can kill it at a known point (between
two sweeps), or, by not waiting for the answer, in the middle of one.

``sweep SECONDS`` sweeps with the process's clock that far ahead of the wall clock (and keeps it
there): a restart "three seconds later", or after a dead process's leases ran out, is a restart
now, so the tests wait for no timer.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from datetime import UTC, datetime, timedelta

from smmbot.persistence.database import Database, create_database_engine
from smmbot.scheduling.jobs import new_worker_id
from smmbot.services.context import ServiceContext
from smmbot.services.outbox import DeliveryOptions, deliver_due
from smmbot.slack.notifier import build_message_sender
from tests.support.app_process import BOT_TOKEN

SPACING = 0.1  # seconds between two posts to one channel: fast, yet paced


def options(lease: float) -> DeliveryOptions:
    return DeliveryOptions(
        spacing=SPACING,
        poll_interval=0.05,
        lease=timedelta(seconds=lease),
        renew_every=lease / 4,
        send_margin=lease / 2,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--lease", type=float, default=60.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    ahead = timedelta(0)
    ctx = ServiceContext(
        db=Database(create_database_engine(args.database_url)),
        clock=lambda: datetime.now(UTC) + ahead,
    )
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=args.api_url)
    worker_id = new_worker_id()
    for line in sys.stdin:
        command, *seconds = line.split()
        if command != "sweep":
            continue
        ahead = timedelta(seconds=float(seconds[0])) if seconds else ahead
        report = deliver_due(
            ctx=ctx, sender=sender, worker_id=worker_id, options=options(args.lease)
        )
        print(json.dumps(dataclasses.asdict(report)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
