"""Connecting Meta (Facebook Pages, Instagram, Meta Ads) and syncing it, on SQLite and
PostgreSQL, against the local Graph API mock: the login link, the short→long-lived exchange,
the picker, the backfill's mapping into the digest, broken tokens, rate limits, and Page tokens
never stored or logged in clear."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import Campaign
from smmbot.persistence.sources_repository import ConnectorRepository
from smmbot.services.connectors.base import Account, FetchedReading, TokenSet
from smmbot.services.connectors.meta import MetaConnector
from smmbot.services.connectors.meta_graph import TIMEOUT, MetaEndpoints
from smmbot.services.connectors.meta_instagram import PARALLEL_BATCHES
from smmbot.services.context import ServiceContext
from smmbot.services.sources_fetch import PARALLEL_ACCOUNTS
from smmbot.services.sources_sign_in import Callback, SignInOutcome, complete_sign_in, pick_account
from smmbot.services.sources_sync import sync_due
from tests.conftest import FakeClock
from tests.support.http_clients import http_client
from tests.support.interactions import click
from tests.support.meta_mock import APP_ID, APP_SECRET, MetaMock, MockPage
from tests.support.replies import reply_text
from tests.support.sources import ADMIN, SECRET, ask, connect_link, dms

pytestmark = pytest.mark.usefixtures("workspaces")


@pytest.fixture
def meta() -> Iterator[MetaMock]:
    with MetaMock() as mock:
        yield mock


@pytest.fixture
def connected_ctx(ctx: ServiceContext, meta: MetaMock) -> Iterator[ServiceContext]:
    with http_client(timeout=TIMEOUT) as http:
        connector = MetaConnector(
            app_id=APP_ID,
            app_secret=APP_SECRET,
            endpoints=MetaEndpoints(meta.base_url, meta.base_url),
            http=http,
            clock=ctx.clock,
        )
        yield replace(
            ctx,
            connectors={"meta": connector},
            secret_key=SECRET,
            public_url="https://bot.example",
        )


def sign_in_url(ctx: ServiceContext) -> str:
    return connect_link(ctx, "connect meta")


def sign_in(ctx: ServiceContext) -> SignInOutcome:
    """Follows the login dialog (the mock approves at once) back to the callback."""
    with http_client() as http:
        dialog = http.get(sign_in_url(ctx), follow_redirects=False)
    assert dialog.status_code == 302
    back = urlsplit(dialog.headers["location"])
    assert back.path == "/connect/meta/callback"
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    return complete_sign_in(ctx, Callback("meta", query["state"], query["code"], ""))


def readings(ctx: ServiceContext) -> dict[tuple[date, str, str, str, str], Decimal]:
    with ctx.db.transaction() as session:
        return {
            (r.day, r.metric, r.campaign, r.platform, r.source): r.value
            for r in MetricRepository(session, "T1").list_all()
            if r.source != "manual"
        }


def test_login_link_asks_for_the_read_permissions(connected_ctx: ServiceContext) -> None:
    url = urlsplit(sign_in_url(connected_ctx))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/v26.0/dialog/oauth"
    assert query["client_id"] == APP_ID
    assert query["redirect_uri"] == "https://bot.example/connect/meta/callback"
    assert set(query["scope"].split(",")) == {
        "pages_show_list",
        "pages_read_engagement",
        "read_insights",
        "instagram_basic",
        "instagram_manage_insights",
        "ads_read",
        "business_management",
    }
    assert query["state"]


def test_sign_in_backfills_and_the_digest_shows_the_mocks_week(
    connected_ctx: ServiceContext, meta: MetaMock, clock: FakeClock
) -> None:
    with connected_ctx.db.transaction() as session:
        session.add(
            Campaign(
                team_id="T1", name="Ramadan Sale", name_key="ramadan sale", objective="smm",
                start_date=date(2026, 11, 1), end_date=date(2026, 12, 31), currency="IDR",
                platforms=[], targets={}, created_by="U1", created_at=clock.now,
            )
        )  # fmt: skip
    assert sign_in(connected_ctx) is SignInOutcome.DONE
    grants = [q.get("grant_type", "code") for p, q in meta.state.calls if p == "oauth/access_token"]
    assert grants == ["code", "fb_exchange_token"]
    [dm] = dms(connected_ctx)
    assert "Toko Kopi" in str(dm.payload) and "@tokokopi" in str(dm.payload)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    page_calls = [q for p, q in meta.insights_calls() if p == "101/insights"]
    assert [(q["since"], q["until"]) for q in page_calls] == [("2026-08-27", "2026-11-25")]
    assert len([p for p, _ in meta.insights_calls() if p.startswith("1784")]) == 90
    assert meta.state.tokens_in_query == 0
    found = readings(connected_ctx)
    tue = date(2026, 11, 24)
    assert found[(tue, "followers", "", "instagram", "instagram")] == 1200
    assert found[(tue, "followers", "", "facebook", "facebook")] == 5000
    assert found[(tue, "impressions", "", "instagram", "instagram")] == 1500
    assert found[(tue, "link_clicks", "", "instagram", "instagram")] == 12
    assert found[(tue, "reach", "", "facebook", "facebook")] == 600
    assert found[(tue, "orders", "Ramadan Sale", "", "meta_ads")] == 3
    assert found[(tue, "orders", "", "", "meta_ads")] == 3  # "Brand Awareness" matches none
    assert found[(tue, "revenue", "Ramadan Sale", "", "meta_ads")] == Decimal("450000.50")
    assert found[(date(2026, 8, 27), "ad_spend", "Ramadan Sale", "", "meta_ads")] == Decimal(
        "150000.50"
    )
    digest = reply_text(ask(connected_ctx, "digest now"))
    # Monday and Tuesday so far: Page 600 + Instagram 700 a day; 45 + 110 engagements a day;
    # two campaigns a day at Rp150.000,50 spend, 3 orders, Rp450.000,50 revenue each.
    assert "Reach: *2,600*" in digest
    assert "Engagements: *310*" in digest
    assert "Followers: *6,200*" in digest
    assert "Ad spend: *Rp600,002*" in digest
    assert "Orders: *12*" in digest
    assert "Revenue: *Rp1,800,002*" in digest
    assert "Engagement rate: *11.9%*" in digest  # 310 / 2,600
    assert "Budget used Rp3,600,012".casefold() in digest.casefold()  # Ramadan Sale since 1 Nov
    sources = reply_text(ask(connected_ctx, "sources"))
    assert "Toko Kopi" in sources and "@tokokopi" in sources


def test_several_pages_are_paged_then_picked(connected_ctx: ServiceContext, meta: MetaMock) -> None:
    meta.state.pages = [
        MockPage("101", "Toko Kopi", "page-token-101", "17841400000000001", "tokokopi"),
        MockPage("102", "Toko Teh", "page-token-102"),
    ]
    assert sign_in(connected_ctx) is SignInOutcome.DONE
    [dm] = dms(connected_ctx)
    assert "Toko Teh" in str(dm.payload) and "connector_pick" in str(dm.payload)
    assert [p for p, _ in meta.state.calls].count("me/accounts") == 2  # paging.next followed
    assert sync_due(ctx=connected_ctx, worker_id="w1").claimed == 1  # IG and ads chosen already
    assert "Toko Teh" in reply_text(click(connected_ctx, ADMIN, pick_account, "meta:1"))
    ask(connected_ctx, "sources sync meta")
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert any(p == "102/insights" for p, _ in meta.insights_calls())


def test_instagram_values_shape_is_read_too(connected_ctx: ServiceContext, meta: MetaMock) -> None:
    meta.state.instagram_shape = "values"
    sign_in(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    assert readings(connected_ctx)[(date(2026, 11, 23), "saves", "", "instagram", "instagram")] == 7


def test_expired_token_breaks_the_source_and_tells_the_member_once(
    connected_ctx: ServiceContext, meta: MetaMock, clock: FakeClock
) -> None:
    sign_in(connected_ctx)
    meta.expire_tokens()
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 0
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None and source.status == "broken"
        assert source.problem == "credentials_rejected"
        source.status, source.next_sync_at = "active", clock.now  # a second failing run
    sync_due(ctx=connected_ctx, worker_id="w1")
    broken = [m for m in dms(connected_ctx) if "broken" in m.dedupe_key]
    assert len(broken) == 1 and broken[0].channel_id == "UADMIN"
    assert readings(connected_ctx) == {}
    text = reply_text(ask(connected_ctx, "sources"))
    assert "broken" in text and "connect meta" in text


@pytest.mark.parametrize("fault", [(400, 613), (400, 4), (400, 17), (400, 32), (429, None)])
def test_rate_limits_back_off_and_store_nothing(
    connected_ctx: ServiceContext, meta: MetaMock, clock: FakeClock, fault: tuple[int, int | None]
) -> None:
    sign_in(connected_ctx)
    meta.state.faults = [fault]
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 0
    assert readings(connected_ctx) == {}
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None and source.status == "active"
        assert source.problem == "rate_limited"
    assert sync_due(ctx=connected_ctx, worker_id="w1").claimed == 0
    clock.now += timedelta(minutes=31)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert readings(connected_ctx)


def test_instagram_days_travel_in_batches_of_fifty(
    connected_ctx: ServiceContext, meta: MetaMock
) -> None:
    """The follower count and 90 day requests are two batches (50 + 41), not 91 GETs; the
    token and proof ride in the POSTed form, not in any URL."""
    sign_in(connected_ctx)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert sorted(meta.state.batch_sizes) == [41, 50]
    assert [p for p, _ in meta.state.calls].count("") == 2
    assert not any(p.startswith("1784") for p, _ in meta.state.calls)  # nothing sent alone
    batched_days = [q["since"] for p, q in meta.state.batched if p.endswith("/insights")]
    assert len(set(batched_days)) == 90 and min(batched_days) == "2026-08-27"
    assert meta.state.tokens_in_query == 0
    assert readings(connected_ctx)[(date(2026, 8, 27), "saves", "", "instagram", "instagram")] == 7


def test_an_expired_token_inside_a_batch_breaks_the_source(
    connected_ctx: ServiceContext, meta: MetaMock
) -> None:
    sign_in(connected_ctx)
    meta.state.node_faults = {"17841400000000001": 190}
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 0
    assert meta.state.batch_sizes  # the 190 came back as one item of a batch
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None and source.status == "broken"
        assert source.problem == "credentials_rejected"
    assert readings(connected_ctx) == {}


def test_an_unanswered_batch_item_skips_only_that_account(
    connected_ctx: ServiceContext, meta: MetaMock
) -> None:
    """Graph answers `null` for a request of a batch it did not get to: that account's
    numbers are not stored (never as zeros), the Page and ads still are."""
    sign_in(connected_ctx)
    meta.state.unanswered = {"17841400000000001"}
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    found = readings(connected_ctx)
    assert not any(key[4] == "instagram" for key in found)
    assert found[(date(2026, 11, 24), "reach", "", "facebook", "facebook")] == 600
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None and source.problem == "accounts_failed"


def test_one_accounts_problem_skips_only_that_account(
    connected_ctx: ServiceContext, meta: MetaMock, clock: FakeClock
) -> None:
    """A permission missing on one Instagram account and a malformed answer for one Page: the
    other Page, Instagram account and ad account are stored, `sources` names the two."""
    meta.state.pages = [
        MockPage("101", "Toko Kopi", "page-token-101", "17841400000000001", "tokokopi"),
        MockPage("102", "Toko <Teh>", "page-token-102", "17841400000000002", "tokoteh"),
    ]
    meta.state.node_faults = {"17841400000000002": 10, "102": None}
    sign_in(connected_ctx)
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None
        offered = len(source.choices)
    for index in range(offered):
        click(connected_ctx, ADMIN, pick_account, f"meta:{index}")
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None and len(source.accounts) == 5
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    found = readings(connected_ctx)
    tue = date(2026, 11, 24)
    assert found[(tue, "reach", "", "facebook", "facebook")] == 600  # Page 101 alone
    assert found[(tue, "reach", "", "instagram", "instagram")] == 700  # first IG account alone
    assert found[(tue, "ad_spend", "", "", "meta_ads")] == Decimal("300001.00")
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None and source.status == "active"
        assert source.problem == "accounts_failed"
        assert source.backfill_pending  # the two accounts' 90 days are read again next time
    text = reply_text(ask(connected_ctx, "sources"))
    problem = text[text.index("Problem:") :]  # the source's last line
    assert "Toko &lt;Teh&gt;" in problem and "@tokoteh" in problem and "Kopi" not in problem
    meta.state.node_faults = {}
    ask(connected_ctx, "sources sync meta")
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert readings(connected_ctx)[(tue, "reach", "", "facebook", "facebook")] == 1200
    assert "couldn't read" not in reply_text(ask(connected_ctx, "sources"))


def test_a_backfill_reuses_its_connections(connected_ctx: ServiceContext, meta: MetaMock) -> None:
    """One HTTP client per connector: the backfill's calls share a few kept-alive
    connections (one per concurrent request at most) instead of a handshake each."""
    sign_in(connected_ctx)
    opened = len(meta.state.connections)
    calls = len(meta.state.calls)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert len(meta.state.calls) - calls > 5
    assert len(meta.state.connections) - opened <= PARALLEL_ACCOUNTS * PARALLEL_BATCHES


def test_resync_changes_no_total(connected_ctx: ServiceContext, meta: MetaMock) -> None:
    sign_in(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    first = readings(connected_ctx)
    ask(connected_ctx, "sources sync meta")
    assert sync_due(ctx=connected_ctx, worker_id="w2").synced == 1
    assert readings(connected_ctx) == first
    last_ads = [q for p, q in meta.insights_calls() if p.startswith("act_")][-1]
    assert last_ads["time_range"] == '{"since": "2026-11-22", "until": "2026-11-24"}'


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_tokens_are_not_readable_in_the_database_file_nor_logs(
    connected_ctx: ServiceContext,
    meta: MetaMock,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sign_in(connected_ctx)
    sync_due(ctx=connected_ctx, worker_id="w1")
    raw = Path(database_url.removeprefix("sqlite:///")).read_bytes()
    secrets = [*meta.state.user_tokens, *meta.state.short_tokens, *meta.state.page_tokens()]
    assert len(secrets) == 3
    for secret in [*secrets, APP_SECRET]:
        assert secret.encode() not in raw
        assert secret not in caplog.text


class _PickDuringFetch:
    """A Meta connector whose first fetch is interrupted by the member's pick, as happens when
    the automatic accounts' backfill is still running while the member clicks a Page."""

    def __init__(self, ctx: ServiceContext, inner: MetaConnector) -> None:
        self.provider = inner.provider
        self._ctx, self._inner, self._picked = ctx, inner, False
        self.authorize_url, self.exchange = inner.authorize_url, inner.exchange
        self.refresh, self.list_accounts = inner.refresh, inner.list_accounts

    def fetch(
        self, tokens: TokenSet, accounts: Sequence[Account], start: date, end: date
    ) -> list[FetchedReading]:
        if not self._picked:
            self._picked = True
            click(self._ctx, ADMIN, pick_account, "meta:1")
        return self._inner.fetch(tokens, accounts, start, end)


def test_a_page_picked_during_a_sync_is_backfilled_at_once(
    connected_ctx: ServiceContext, meta: MetaMock
) -> None:
    meta.state.pages = [
        MockPage("101", "Toko Kopi", "page-token-101", "17841400000000001", "tokokopi"),
        MockPage("102", "Toko Teh", "page-token-102"),
    ]
    inner = connected_ctx.connectors["meta"]
    assert isinstance(inner, MetaConnector)
    ctx = replace(connected_ctx, connectors={"meta": _PickDuringFetch(connected_ctx, inner)})
    sign_in(ctx)
    assert sync_due(ctx=ctx, worker_id="w1").synced == 1
    assert not any(p == "102/insights" for p, _ in meta.insights_calls())
    assert sync_due(ctx=ctx, worker_id="w1").synced == 1  # due again at once, not tomorrow
    [(_, query)] = [(p, q) for p, q in meta.insights_calls() if p == "102/insights"]
    assert query["since"] == "2026-08-27"  # the 90-day backfill
