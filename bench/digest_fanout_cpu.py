"""One weekly digest's build-and-render CPU, the unit of the Monday-rush bench's bound: what the
digest sweep does for one workspace (its queries, the chart, the stored payload), measured with
the process's CPU clock in the bench's own process, in transactions rolled back so nothing is
enqueued."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bench.digest_fanout_data import ZONE, team
from smmbot.domain.digest_weeks import last_week
from smmbot.persistence.database import Database
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import reply_to_data
from smmbot.services.digest import digest_reply


def digest_cpu_seconds(db: Database, samples: int) -> float:
    """The median CPU seconds of `samples` workspaces' digests, after one unmeasured (the first
    chart loads matplotlib and its fonts)."""
    today = datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date()
    times = []
    for n in range(samples + 1):
        with Session(db.engine) as session:
            started = time.process_time()
            workspace = WorkspaceRepository(session, team(n)).get()
            assert workspace is not None
            tr = Translator(workspace.locale or "")
            reply = digest_reply(session, workspace, last_week(today), today, tr, "/smm ")
            json.dumps({"reply": reply_to_data(reply)})
            times.append(time.process_time() - started)
            session.rollback()
    return statistics.median(times[1:])
