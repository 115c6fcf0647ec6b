"""The weekly digest sweep: each pass enqueues the digest of every workspace whose moment
(weekday and time in its own zone) has come this week, under the dedupe key
`<team>:digest:<monday>`, so the outbox stores it once however many passes or bot processes see
it, and delivery (with retries) is the outbox's job. A Monday rush is split between bot
processes by the claim each build takes (`persistence.digest_queue`) and shared with helper
processes (`digest_helpers`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.digest_weeks import last_week
from smmbot.persistence.digest_queue import claim_next_digest, queued_keys
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository, workspaces_with_digest
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import reply_to_data
from smmbot.services.context import ServiceContext
from smmbot.services.digest import digest_reply
from smmbot.services.digest_helpers import DigestHelpers, finished
from smmbot.services.digest_settings import digest_moment
from smmbot.services.operations import record_digest_build


def queue_weekly_digests(
    *,
    ctx: ServiceContext,
    helpers: DigestHelpers | None = None,
    on_built: Callable[[float], object] = record_digest_build,
) -> int:
    """Enqueues each due weekly digest (of the last full week); returns how many were new.

    Each digest is built and enqueued in a transaction of its own, so the first ones go out
    while the rest of a Monday rush is still being built, and a digest another process is
    building is left to it (`claim_next_digest`). One at a time: a second builder thread in
    the same process overlapped its database waits but cost 10% more CPU a digest (the two
    contend for the GIL), so a rush gets more cores from more processes, which split it: other
    bot processes, and the `helpers` a large rush starts (`digest_helpers`). `on_built` gets each
    build's CPU seconds (the operators' metrics)."""
    now = ctx.clock()
    due, coming = _due_digests(ctx, now, ahead=helpers.ahead if helpers is not None else 0.0)
    teams = {key: team_id for team_id, key in due}
    started = helpers.helping(len(teams), coming, now) if helpers is not None else []
    remaining = list(teams)
    queued = 0
    while remaining:
        with ctx.db.transaction() as session:
            key = claim_next_digest(session, remaining)
            if key is None:
                break
            # the keys before it are queued, or being built by another process, which has them
            remaining = remaining[remaining.index(key) + 1 :]
            queued += _queue_digest(session, teams[key], key, now, on_built)
    for helper in started:
        helped, builds = finished(helper)
        queued += helped
        for seconds in builds:
            on_built(seconds)
    return queued


def _queue_digest(
    session: Session, team_id: str, key: str, now: datetime, on_built: Callable[[float], object]
) -> bool:
    """Builds and enqueues the claimed digest under `key`, in the claim's transaction; the
    build's CPU (not the enqueue's) goes to `on_built`."""
    started = time.thread_time()
    workspace = WorkspaceRepository(session, team_id).get()
    if workspace is None or workspace.digest_channel_id is None:
        return False
    today = now.astimezone(ZoneInfo(workspace.timezone)).date()
    tr = Translator(workspace.locale or "")
    reply = digest_reply(session, workspace, last_week(today), today, tr, "/smm ")
    payload = {"reply": reply_to_data(reply)}
    on_built(time.thread_time() - started)
    OutboxRepository(session, team_id).enqueue_only(
        kind="digest",
        dedupe_key=key,
        channel_id=workspace.digest_channel_id,
        due_at=digest_moment(workspace, now)[1],
        payload=payload,
    )
    return True


def _due_digests(
    ctx: ServiceContext, now: datetime, *, ahead: float
) -> tuple[list[tuple[str, str]], list[datetime]]:
    """(team id, dedupe key) of each digest whose moment has come and that is not queued yet,
    and the moments, sorted, of those falling due in the next `ahead` seconds: two statements
    however many workspaces there are."""
    horizon = now + timedelta(seconds=ahead)
    with ctx.db.transaction() as session:
        due: dict[str, str] = {}
        coming: list[datetime] = []
        for workspace in workspaces_with_digest(session):
            monday, due_at = digest_moment(workspace, now)
            if due_at <= now:
                due[f"{workspace.team_id}:digest:{monday.isoformat()}"] = workspace.team_id
            if ahead > 0:  # the horizon may lie in the next week
                coming_at = digest_moment(workspace, horizon)[1]
                if now < coming_at <= horizon:
                    coming.append(coming_at)
        done = queued_keys(session, due)
    return [(team_id, key) for key, team_id in due.items() if key not in done], sorted(coming)
