"""Connecting Google Analytics 4 and syncing it, on SQLite and PostgreSQL, against the local
Google mock: the connect link and its state, the callback, the picker, the sync's mapping,
idempotent re-syncs, broken credentials and rate limits, and secrets never stored in clear."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from smmbot.persistence.audit_repository import AuditRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import Campaign
from smmbot.persistence.sources_repository import ConnectorRepository, SyncClaims
from smmbot.services.connectors.google import TIMEOUT, GoogleConnector, GoogleEndpoints
from smmbot.services.context import Actor, ServiceContext
from smmbot.services.home import home_tab
from smmbot.services.sources_sign_in import Callback, SignInOutcome, complete_sign_in, pick_account
from smmbot.services.sources_sync import sync_claimed, sync_due
from tests.conftest import FakeClock
from tests.support.google_mock import CLIENT_ID, CLIENT_SECRET, Ga4Row, GoogleMock, week_rows
from tests.support.http_clients import http_client
from tests.support.interactions import click, member
from tests.support.replies import reply_text
from tests.support.sources import ADMIN, SECRET, ask, connect_link, dms

pytestmark = pytest.mark.usefixtures("workspaces")

MEMBER = Actor("T1", "UMEMBER", "C1", "en", "Asia/Jakarta")


@pytest.fixture
def connected_ctx(ctx: ServiceContext, google: GoogleMock) -> Iterator[ServiceContext]:
    url = google.base_url
    with http_client(timeout=TIMEOUT) as http:
        connector = GoogleConnector(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            endpoints=GoogleEndpoints(url, f"{url}/token", url, url),
            http=http,
            clock=ctx.clock,
        )
        yield replace(
            ctx,
            connectors={"google": connector},
            secret_key=SECRET,
            public_url="https://bot.example",
        )


def sign_in_link(ctx: ServiceContext) -> dict[str, str]:
    url = connect_link(ctx, "connect google")
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def callback(ctx: ServiceContext, state: str, code: str = "good-code") -> SignInOutcome:
    return complete_sign_in(ctx, Callback("google", state, code, ""))


def connect(ctx: ServiceContext) -> None:
    assert callback(ctx, sign_in_link(ctx)["state"]) is SignInOutcome.DONE


def readings(ctx: ServiceContext) -> dict[tuple[date, str, str], Decimal]:
    with ctx.db.transaction() as session:
        return {
            (r.day, r.metric, r.campaign): r.value
            for r in MetricRepository(session, "T1").list_all()
            if r.source == "ga4"
        }


def test_connect_link_asks_google_for_offline_read_only_access(
    connected_ctx: ServiceContext,
) -> None:
    query = sign_in_link(connected_ctx)
    assert query["access_type"] == "offline"
    assert query["prompt"] == "consent"
    assert query["scope"] == "https://www.googleapis.com/auth/analytics.readonly"
    assert query["redirect_uri"] == "https://bot.example/connect/google/callback"
    assert query["client_id"] == CLIENT_ID


def test_connect_is_for_admins_and_names_missing_settings(
    ctx: ServiceContext, connected_ctx: ServiceContext
) -> None:
    assert "Only workspace admins" in reply_text(ask(connected_ctx, "connect google", MEMBER))
    bare = replace(ctx, connector_gaps={"google": ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")})
    text = reply_text(ask(bare, "hubungkan google"))
    for name in (
        "SMMBOT_SECRET_KEY",
        "SMMBOT_PUBLIC_URL",
        "GOOGLE_CLIENT_ID",
        "GOOGLE_CLIENT_SECRET",
    ):
        assert name in text
    assert "SMMBOT_PUBLIC_URL" not in reply_text(
        ask(replace(bare, public_url="https://bot.example"), "connect google")
    )


def test_state_is_single_use_signed_and_expires(
    connected_ctx: ServiceContext, clock: FakeClock
) -> None:
    state = sign_in_link(connected_ctx)["state"]
    nonce, _team, user, provider, expires, mac = state.split(".")
    forged = ".".join((nonce, "T2", user, provider, expires, mac))
    assert callback(connected_ctx, forged) is SignInOutcome.EXPIRED
    assert (
        callback(connected_ctx, state[:-1] + ("0" if state[-1] != "0" else "1"))
        is SignInOutcome.EXPIRED
    )
    assert callback(connected_ctx, state) is SignInOutcome.DONE
    assert callback(connected_ctx, state) is SignInOutcome.EXPIRED  # used once already
    late = sign_in_link(connected_ctx)["state"]
    clock.now += timedelta(minutes=11)
    assert callback(connected_ctx, late) is SignInOutcome.EXPIRED


def test_one_property_is_chosen_and_the_backfill_fills_the_digest(
    connected_ctx: ServiceContext, google: GoogleMock, clock: FakeClock
) -> None:
    with connected_ctx.db.transaction() as session:
        session.add(
            Campaign(
                team_id="T1", name="Promo 12.12", name_key="promo 12.12", objective="smm",
                start_date=date(2026, 11, 1), end_date=date(2026, 12, 31), currency="IDR",
                platforms=[], targets={}, created_by="U1", created_at=clock.now,
            )
        )  # fmt: skip
    google.state.rows["properties/111"] = week_rows(date(2026, 11, 23), 2, ["promo-12-12", "other"])
    connect(connected_ctx)
    [dm] = dms(connected_ctx)
    assert "Toko Kopi" in str(dm.payload)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    [report] = google.report_calls()
    assert report["dateRanges"] == [{"startDate": "2026-08-27", "endDate": "2026-11-24"}]
    found = readings(connected_ctx)
    assert found[(date(2026, 11, 23), "social_sessions", "Promo 12.12")] == 100
    assert found[(date(2026, 11, 23), "social_sessions", "")] == 100  # unmatched campaign
    assert found[(date(2026, 11, 23), "paid_sessions", "Promo 12.12")] == 40
    assert found[(date(2026, 11, 23), "orders", "Promo 12.12")] == 3
    assert found[(date(2026, 11, 23), "revenue", "Promo 12.12")] == Decimal("249000.50")
    assert found[(date(2026, 11, 23), "leads", "Promo 12.12")] == 5
    digest = reply_text(ask(connected_ctx, "digest now"))
    assert "Site visits from social: *400*" in digest  # 2 days, 2 campaigns, 100 each
    assert "Site visits from paid social: *160*" in digest
    assert "Sources: Google Analytics 4" in digest
    sources = reply_text(ask(connected_ctx, "sources"))
    assert "Toko Kopi" in sources and "social_sessions" in sources


def test_resync_rereads_three_days_and_changes_no_total(
    connected_ctx: ServiceContext, google: GoogleMock, clock: FakeClock
) -> None:
    google.state.rows["properties/111"] = week_rows(date(2026, 11, 20), 5, ["x"])
    connect(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    first = readings(connected_ctx)
    assert "Queued" in reply_text(ask(connected_ctx, "sources sync google"))
    assert sync_due(ctx=connected_ctx, worker_id="w2").synced == 1
    assert readings(connected_ctx) == first
    assert google.report_calls()[-1]["dateRanges"] == [
        {"startDate": "2026-11-22", "endDate": "2026-11-24"}
    ]
    assert sync_due(ctx=connected_ctx, worker_id="w2").claimed == 0  # next run is tomorrow 06:00
    clock.now += timedelta(days=1)
    assert sync_due(ctx=connected_ctx, worker_id="w2").claimed == 1


def test_several_properties_wait_for_the_members_pick(
    connected_ctx: ServiceContext, google: GoogleMock
) -> None:
    google.state.properties = [("properties/1", "Shop"), ("properties/2", "Blog")]
    connect(connected_ctx)
    [dm] = dms(connected_ctx)
    assert "Blog" in str(dm.payload) and "connector_pick" in str(dm.payload)
    assert sync_due(ctx=connected_ctx, worker_id="w1").claimed == 0
    reply = click(connected_ctx, ADMIN, pick_account, "google:1")
    assert "Blog" in reply_text(reply)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert google.report_calls()[0]["path"] == "/v1beta/properties/2:runReport"
    assert "no longer open" in reply_text(click(connected_ctx, ADMIN, pick_account, "google:9"))


def test_revoked_access_breaks_the_source_and_tells_the_member_once(
    connected_ctx: ServiceContext, google: GoogleMock, clock: FakeClock
) -> None:
    connect(connected_ctx)
    google.revoke_all()
    google.state.fail_reports = [401]
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 0
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("google")
        assert source is not None and source.status == "broken"
        source.status, source.next_sync_at = "active", clock.now  # a second failing run
    google.state.fail_reports = [401]
    sync_due(ctx=connected_ctx, worker_id="w1")
    broken = [m for m in dms(connected_ctx) if "broken" in m.dedupe_key]
    assert len(broken) == 1 and broken[0].channel_id == "UADMIN"
    text = reply_text(ask(connected_ctx, "sources"))
    assert "broken" in text and "connect google" in text
    assert "Queued" not in reply_text(ask(connected_ctx, "sources sync"))
    assert "Not updating: Google Analytics 4" in reply_text(ask(connected_ctx, "digest now"))
    assert "Not updating: Google Analytics 4" in reply_text(home_tab(member(connected_ctx, ADMIN)))


def test_rate_limit_backs_off_and_stores_nothing(
    connected_ctx: ServiceContext, google: GoogleMock, clock: FakeClock
) -> None:
    google.state.rows["properties/111"] = week_rows(date(2026, 11, 23), 2, ["x"])
    connect(connected_ctx)
    google.state.fail_reports = [429]
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 0
    assert readings(connected_ctx) == {}
    assert sync_due(ctx=connected_ctx, worker_id="w1").claimed == 0
    clock.now += timedelta(minutes=16)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert readings(connected_ctx)


def test_malformed_rows_are_skipped_never_zero(
    connected_ctx: ServiceContext, google: GoogleMock
) -> None:
    good = Ga4Row(date(2026, 11, 23), "Organic Social", "x", 7)
    bad = Ga4Row(date(2026, 11, 24), "Organic Social", "x", 0, revenue="lots")
    google.state.rows["properties/111"] = [good, bad]
    connect(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    found = readings(connected_ctx)
    assert found[(date(2026, 11, 23), "social_sessions", "")] == 7
    assert not any(day == date(2026, 11, 24) for day, _, _ in found)


def test_expired_access_token_is_refreshed(
    connected_ctx: ServiceContext, google: GoogleMock, clock: FakeClock
) -> None:
    google.state.expires_in = 60
    connect(connected_ctx)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    grants = [body["grant_type"] for kind, body in google.state.calls if kind == "token"]
    assert grants == ["authorization_code", "refresh_token"]


def test_manual_log_replaces_the_connectors_value(
    connected_ctx: ServiceContext, google: GoogleMock
) -> None:
    google.state.rows["properties/111"] = [Ga4Row(date(2026, 11, 24), "Organic Social", "", 70)]
    connect(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    text = reply_text(ask(connected_ctx, "log social_sessions 90"))
    assert "Google Analytics 4" in text
    ask(connected_ctx, "sources sync")
    sync_due(ctx=connected_ctx, worker_id="w1")
    assert (date(2026, 11, 24), "social_sessions", "") not in readings(connected_ctx)
    assert (date(2026, 11, 24), "leads", "") in readings(connected_ctx)
    assert "Site visits from social: *90*" in reply_text(ask(connected_ctx, "digest now"))


def test_disconnect_forgets_credentials_and_keeps_readings(
    connected_ctx: ServiceContext, google: GoogleMock
) -> None:
    google.state.rows["properties/111"] = week_rows(date(2026, 11, 23), 1, ["x"])
    connect(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    assert "forgot" in reply_text(ask(connected_ctx, "disconnect google"))
    with connected_ctx.db.transaction() as session:
        assert ConnectorRepository(session, "T1").get("google") is None
    assert readings(connected_ctx)
    assert "nothing to forget" in reply_text(ask(connected_ctx, "disconnect google"))
    with connected_ctx.db.transaction() as session:  # the audit log: connected, then forgotten
        log = AuditRepository(session, "T1").list_for_subject("connector", "google")
        assert [(e.actor_id, e.action) for e in log] == [
            (ADMIN.user_id, "connector.connected"),
            (ADMIN.user_id, "connector.disconnected"),
        ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_credentials_are_not_readable_in_the_database_file_nor_logs(
    connected_ctx: ServiceContext,
    google: GoogleMock,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    google.state.expires_in = 60
    connect(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    google.revoke_all()
    google.state.fail_reports = [401]
    ask(connected_ctx, "sources sync")
    raw = Path(database_url.removeprefix("sqlite:///")).read_bytes()
    secrets = [*google.state.refresh_tokens, *google.state.access_tokens]
    secrets += [
        body.get("refresh_token", "") for kind, body in google.state.calls if kind == "token"
    ]
    secrets = [s for s in secrets if s]
    assert secrets
    for secret in secrets:
        assert secret.encode() not in raw
        assert secret not in caplog.text
    assert CLIENT_SECRET not in caplog.text


def test_a_sync_whose_worker_died_is_taken_over_without_double_counting(
    connected_ctx: ServiceContext, google: GoogleMock, clock: FakeClock
) -> None:
    google.state.rows["properties/111"] = week_rows(date(2026, 11, 23), 2, ["x"])
    connect(connected_ctx)
    with connected_ctx.db.transaction() as session:
        [claimed] = SyncClaims(session).claim_due(
            clock.now, worker_id="dead", lease=timedelta(minutes=15), limit=5
        )
    assert sync_due(ctx=connected_ctx, worker_id="w2").claimed == 0  # the lease still holds
    clock.now += timedelta(minutes=16)
    assert sync_due(ctx=connected_ctx, worker_id="w2").synced == 1
    first = readings(connected_ctx)
    assert sync_claimed(ctx=connected_ctx, source_id=claimed.id, worker_id="dead") is False
    assert readings(connected_ctx) == first
    assert first[(date(2026, 11, 23), "social_sessions", "")] == 100


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_processes_sync_a_source_once(
    connected_ctx: ServiceContext, google: GoogleMock
) -> None:
    google.state.rows["properties/111"] = week_rows(date(2026, 11, 23), 2, ["x"])
    google.state.delay = 0.2
    connect(connected_ctx)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(
            pool.map(lambda worker: sync_due(ctx=connected_ctx, worker_id=worker), ["a", "b"])
        )
    assert sorted(r.synced for r in reports) == [0, 1]
    assert len(google.report_calls()) == 1


def test_a_claimed_source_is_locked_while_its_sync_stores(ctx: ServiceContext) -> None:
    """A member's pick that arrives while a sync stores its readings waits for it (and the
    sync's "picked meanwhile" check then sees it on the next run) instead of committing between
    the sync's read of the source and its write — which SQLite allowed, as it ignores FOR
    UPDATE, and which moved the picked account's first sync to tomorrow."""
    import threading
    import time

    from smmbot.persistence.models import ConnectorSource

    with ctx.db.transaction() as session:
        source = ConnectorSource(
            team_id="T1", provider="google", status="active", connected_by=ADMIN.user_id, vault="-",
            accounts=[{"kind": "ga4_property", "id": "properties/1", "name": "A"}],
            connected_at=ctx.clock(), claimed_by="w1",
        )  # fmt: skip
        session.add(source)
        session.flush()
        source_id = source.id
    has_read, order = threading.Event(), []

    def store() -> None:
        with ctx.db.transaction() as session:
            held = SyncClaims(session).holds(source_id, "w1")
            assert held is not None
            seen = len(held.accounts)
            has_read.set()
            time.sleep(0.3)
            held.problem = f"seen {seen}"
        order.append("store")

    def pick() -> None:
        has_read.wait(5)
        with ctx.db.transaction() as session:
            picked = ConnectorRepository(session, "T1").get("google")
            assert picked is not None
            picked.accounts = [*picked.accounts, {"kind": "x", "id": "2", "name": "B"}]
        order.append("pick")

    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(store), pool.submit(pick)]:
            future.result(timeout=30)
    assert order == ["store", "pick"]
    with ctx.db.transaction() as session:
        stored = ConnectorRepository(session, "T1").get("google")
        assert stored is not None
        assert stored.problem == "seen 1" and len(stored.accounts) == 2
