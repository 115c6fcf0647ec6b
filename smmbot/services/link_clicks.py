"""Recording short-link clicks off the request path, so a redirect never waits for a write.

The redirect only reads the link (one primary-key lookup) and hands the click to a bounded
in-memory queue; one background thread writes queued clicks in batches, one transaction each.

The trade-off, chosen because a click count is analytics and a slow redirect loses the visitor:
- a click lives only in memory for a moment: a crash (not a SIGTERM) loses what is queued, and
  a database that stays down past the retries loses the clicks of that batch;
- when the queue is full (a burst far beyond what the writer keeps up with) further clicks are
  dropped and logged rather than slowing redirects or growing memory without bound;
- `close()` — called by bootstrap once the server has drained its requests on SIGTERM — writes
  everything still queued, so an orderly stop or redeploy loses nothing.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.links_repository import ShortLinkRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext

log = logging.getLogger(__name__)

QUEUE_CAPACITY: Final = 10_000
BATCH_SIZE: Final = 500
RETRY_DELAYS: Final = (0.2, 1.0)  # seconds before the 2nd and 3rd attempt at a batch
READING_SOURCE: Final = "short_link"  # the readings these clicks become (`link_clicks`)


@dataclass(frozen=True)
class Click:
    """One redirect served, with the link's tags copied so counting needs no join."""

    code: str
    team_id: str
    campaign: str
    source: str
    clicked_at: datetime


SaveClicks = Callable[[ServiceContext, Sequence[Click]], None]


def save_clicks(ctx: ServiceContext, clicks: Sequence[Click]) -> None:
    """The clicks, and in the same transaction the `link_clicks` readings they add up to: per
    workspace, local day, campaign and source (as the reading's platform), so the digest counts
    our own clicks through the readings and roll-up like any other number, with nobody typing
    them in. A link carries its campaign's UTM slug; the reading carries the workspace campaign
    of that slug (the rule GA4's campaign names follow), or none, so a campaign's
    `target.link_clicks` progresses from its links' clicks."""
    totals: Counter[tuple[str, date, str, str]] = Counter()
    zones: dict[str, ZoneInfo] = {}
    campaigns: dict[str, dict[str, str]] = {}
    with ctx.db.transaction() as session:
        for click in clicks:
            ShortLinkRepository(session, click.team_id).add_click(
                code=click.code,
                campaign=click.campaign,
                source=click.source,
                clicked_at=click.clicked_at,
            )
            if click.team_id not in zones:
                workspace = WorkspaceRepository(session, click.team_id).get()
                zones[click.team_id] = ZoneInfo(workspace.timezone if workspace else "UTC")
                campaigns[click.team_id] = CampaignRepository(
                    session, click.team_id
                ).names_by_utm_slug()
            day = click.clicked_at.astimezone(zones[click.team_id]).date()
            campaign = campaigns[click.team_id].get(click.campaign, "")
            totals[(click.team_id, day, campaign, click.source[:16])] += 1
        for (team_id, day, campaign, platform), count in sorted(totals.items()):
            MetricRepository(session, team_id).increment(
                day=day,
                metric="link_clicks",
                by=count,
                campaign=campaign,
                platform=platform,
                source=READING_SOURCE,
                now=ctx.clock(),
            )


class ClickRecorder:
    """A bounded queue drained by one daemon thread; see the module docstring for the trade-off.

    `save` is the database write; tests hand in a slow or failing one to see the queue behave.
    """

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        capacity: int = QUEUE_CAPACITY,
        save: SaveClicks = save_clicks,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self._ctx = ctx
        self._save = save
        self._retry_delays = tuple(retry_delays)
        self._queue: queue.Queue[Click | None] = queue.Queue(maxsize=capacity)
        self.dropped = 0  # for the log and tests; racy increments may undercount, which is fine
        self._thread = threading.Thread(target=self._drain, name="link-clicks", daemon=True)
        self._thread.start()

    def record(self, click: Click) -> None:
        """Never blocks: a full queue drops the click (logged on the 1st and every 1000th)."""
        try:
            self._queue.put_nowait(click)
        except queue.Full:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                log.warning("click queue full; %d click(s) dropped so far", self.dropped)

    def close(self, timeout: float = 10.0) -> None:
        """Write every queued click, then stop the thread; waits at most about `timeout` s."""
        deadline = time.monotonic() + timeout
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            log.error("click writer is stuck; %d click(s) not saved", self._queue.qsize())
            return
        self._thread.join(max(0.0, deadline - time.monotonic()))
        if self._thread.is_alive():
            log.error("click writer did not finish; %d click(s) not saved", self._queue.qsize())

    def _drain(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stopping = False
            while len(batch) < BATCH_SIZE:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._save_with_retries(batch)
            if stopping:
                return

    def _save_with_retries(self, batch: list[Click]) -> None:
        for delay in (*self._retry_delays, None):
            try:
                self._save(self._ctx, batch)
            except Exception:
                if delay is None:
                    log.exception("could not record %d link click(s); dropped", len(batch))
                    return
                log.warning("recording %d link click(s) failed; retrying", len(batch))
                time.sleep(delay)
            else:
                return
