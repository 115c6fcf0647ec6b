"""One replica of the fan-out bench: a bot process's outbox engine on its own (the real
``OutboxSweep`` run by the real APScheduler set-up, ``SlackMessageSender`` over HTTP), until
stdin closes or it is killed (``python -m bench.fanout_replica URL API_URL INTERVAL``)."""

from __future__ import annotations

import logging
import sys

from smmbot.persistence.database import Database, create_database_engine
from smmbot.scheduling.jobs import OutboxSweep, new_worker_id
from smmbot.scheduling.scheduler import start_scheduler
from smmbot.services.context import ServiceContext
from smmbot.slack.notifier import build_message_sender
from tests.support.app_process import BOT_TOKEN


def main(argv: list[str]) -> int:
    database_url, api_url, interval = argv[0], argv[1], float(argv[2])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    db = Database(create_database_engine(database_url))
    sweep = OutboxSweep(
        ctx=ServiceContext(db=db),
        sender=build_message_sender(bot_token=BOT_TOKEN, api_url=api_url),
        worker_id=new_worker_id(),
    )
    scheduler = start_scheduler(interval_seconds=interval, sweeps=(sweep,))
    print("ready", flush=True)
    sys.stdin.read()  # until the bench closes our stdin
    sweep.stop()
    scheduler.shutdown(wait=True)
    db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
