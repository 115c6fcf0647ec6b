"""The Monday-rush bench's workspaces: each with eight weeks of readings, two campaigns, a few
posts on its calendar, a digest channel of its own and an OAuth installation (its own bot token,
so the mock's per-workspace limits see one workspace per token), loaded with COPY and bulk
inserts; the daily roll-up built over the readings the way the app keeps it."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, Final
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import insert

from bench.digest_data import libpq_url
from smmbot.domain.metrics import METRICS, MetricKind
from smmbot.persistence.database import Database
from smmbot.persistence.models import CalendarItem, Campaign, Workspace
from smmbot.persistence.rollups import recompute
from smmbot.slack.installations import WorkspaceInstallations
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.slack_requests import post_signed, slash_command_body

ZONE = "Asia/Jakarta"
WEEKS = 8
PLATFORMS = ("instagram", "tiktok")
CAMPAIGNS = ("Ramadan Sale", "Brand Week")
CLIENT_ID = "1111.2222"
COLUMNS = "team_id, day, metric, value, campaign, platform, source, recorded_by, updated_at"


def team(n: int) -> str:
    return f"T{n:05d}"


def channel(n: int) -> str:
    return f"C{n:05d}"


def bot_token(n: int) -> str:
    return f"xoxb-bench-{n:05d}"


def reading_rows(count: int, today: date) -> Iterator[tuple[Any, ...]]:
    """Every metric, every day of the eight weeks before this one and of this week so far, on
    two platforms; the second platform's readings belong to the first campaign."""
    rng = random.Random(16)
    first = today - timedelta(days=today.weekday() + 7 * WEEKS)
    stamp = datetime.now(UTC).isoformat()
    for n in range(count):
        for platform, campaign in zip(PLATFORMS, ("", CAMPAIGNS[0]), strict=True):
            followers = rng.randint(1_000, 50_000)
            for offset in range((today - first).days + 1):
                day = (first + timedelta(days=offset)).isoformat()
                followers += rng.randint(-5, 40)
                for name, metric in METRICS.items():
                    if metric.kind is MetricKind.GAUGE:
                        value: int | str = followers
                    elif name in {"ad_spend", "revenue"}:
                        value = f"{rng.randint(0, 5_000_000) / 100:.2f}"
                    else:
                        value = rng.randint(0, 2_000)
                    yield (team(n), day, name, value, campaign, platform, "import", None, stamp)


def workspace_rows(count: int, now: datetime) -> list[dict[str, Any]]:
    local = now.astimezone(ZoneInfo(ZONE))
    return [
        {
            "team_id": team(n),
            "locale": "id" if n % 2 else "en",
            "timezone": ZONE,
            "currency": "IDR",
            "digest_enabled": False,  # switched on with the due minute
            "digest_weekday": local.weekday(),
            "digest_time": clock_time(local.hour, local.minute),
            "digest_channel_id": channel(n),
            "created_at": now,
        }
        for n in range(count)
    ]


def side_rows(count: int, today: date, now: datetime) -> tuple[list[dict[str, Any]], ...]:
    """Two running campaigns and three upcoming posts per workspace."""
    campaigns = [
        {
            "team_id": team(n),
            "name": name,
            "name_key": name.casefold(),
            "objective": objective,
            "start_date": today - timedelta(days=20),
            "end_date": today + timedelta(days=10),
            "budget": 250_000_000,
            "currency": "IDR",
            "platforms": list(PLATFORMS),
            "targets": {"orders": "80000", "followers": "5000000"},
            "created_by": "U0BENCH",
            "created_at": now,
        }
        for n in range(count)
        for name, objective in zip(CAMPAIGNS, ("smm", "smo"), strict=True)
    ]
    posts = [
        {
            "team_id": team(n),
            "due_at": now + timedelta(days=day),
            "timezone": ZONE,
            "text": f"Post {day} of {team(n)}",
            "platform": PLATFORMS[day % 2],
            "channel_id": channel(n),
            "owner_id": "U0BENCH",
            "created_by": "U0BENCH",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
        for day in (1, 2, 4)
    ]
    return campaigns, posts


def installation_rows(count: int, now: datetime) -> list[dict[str, Any]]:
    """One bot installation (and token) per workspace, as OAuth mode stores it."""
    return [
        {
            "client_id": CLIENT_ID,
            "app_id": "A0BENCH",
            "team_id": team(n),
            "bot_token": bot_token(n),
            "bot_id": f"B{n:05d}",
            "bot_user_id": f"U{n:05d}",
            "bot_scopes": "chat:write,files:write",
            "is_enterprise_install": False,
            "installed_at": now,
        }
        for n in range(count)
    ]


LOADED_TABLES: Final = (
    "metric_readings",
    "metric_daily_rollups",
    "workspaces",
    "campaigns",
    "calendar_items",
    "slack_bots",
    "outbox_messages",
)
"""Vacuumed (and analyzed) once loaded: on a Monday morning the weeks of readings were written
days ago and autovacuum has long been through them. Freshly copied, 1.5 million readings had
autovacuum come through at a moment of its own (within a minute), in the middle of the digest's
CPU measurement or of the rush, and every first read of a row set its hint bits: 300 workspaces'
digests built back to back took 85-92 ms of the app's CPU each, and 71-76 ms once vacuumed."""


def load(db: Database, url: str, count: int) -> dict[str, float]:
    """Everything for `count` workspaces, their digest off until the bench sets its minute;
    seconds per step."""
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(ZONE)).date()
    seconds: dict[str, float] = {}
    started = time.monotonic()
    campaigns, posts = side_rows(count, today, now)
    with db.transaction() as session:
        session.execute(insert(Workspace), workspace_rows(count, now))
        session.execute(insert(Campaign), campaigns)
        session.execute(insert(CalendarItem), posts)
    with db.engine.begin() as connection:
        connection.execute(
            insert(WorkspaceInstallations(CLIENT_ID, db.engine).bots), installation_rows(count, now)
        )
    seconds["workspaces_s"] = time.monotonic() - started
    with psycopg.connect(libpq_url(url)) as connection:
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY metric_readings ({COLUMNS}) FROM STDIN") as copy,
        ):
            for row in reading_rows(count, today):
                copy.write_row(row)
        connection.commit()
        seconds["readings_s"] = time.monotonic() - started - seconds["workspaces_s"]
        with db.transaction() as session:
            for n in range(count):
                recompute(session, team(n), days=None, metrics=None)
        connection.autocommit = True
        seconds["rollup_s"] = time.monotonic() - started - sum(seconds.values())
        connection.execute(f"VACUUM (ANALYZE) {', '.join(LOADED_TABLES)}")
    seconds["vacuum_s"] = time.monotonic() - started - sum(seconds.values())
    return seconds


def settle(url: str) -> None:
    """After the rush, before one digest's CPU is timed again: what the rush wrote is
    checkpointed and every table of the schema vacuumed, so that neither the checkpointer's
    writes nor autovacuum's pass over the rush's rows (both due within a minute or two of it)
    fall into the measurement. (Timed at once, the digest cost 20-25% more after the rush
    than before it in every run of a session; settled, the two sides still differ by up to a
    quarter either way, which is this machine's drift, see `digest_fanout_cpu`.)"""
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            connection.execute("CHECKPOINT")  # a superuser's, or pg_checkpoint's
        connection.execute(f"VACUUM (ANALYZE) {', '.join(name for (name,) in tables)}")


def warm_up(replicas: Iterable[AppProcess], mock_base_url: str) -> None:
    """Each bot process draws one digest before the due minute, as a member's `/smm digest`
    does, so it meets the rush as a bot that has been up for days does: with matplotlib and its
    fonts loaded. The first chart of a process costs a second of CPU for that, which is a
    start's cost, not a build's (the unit leaves it out too)."""
    response_url = f"{mock_base_url.removesuffix('/api/')}/response/warm-up"
    for app in replicas:
        body = slash_command_body("digest", team_id=team(0), response_url=response_url)
        status, _, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
        if status != 200:
            raise RuntimeError(f"/smm digest answered {status} in {app.base_url}")
