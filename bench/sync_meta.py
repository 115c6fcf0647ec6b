"""The Meta part of `bench.sync`: per workspace 2 Pages, their 2 Instagram accounts and 1 ad
account with 50 campaigns, served by the local Graph API mock.

The backfill reads 90 days: each Page in one insights call, each Instagram account one call per
day (`total_value` answers one total per range) plus its follower count, and the ad account's
campaign-day rows over `paging.next` (500 a page). Campaigns are named "Campaign <n>", so the
first ones match the workspace's campaigns by name, as the sync does for Meta Ads.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smmbot.services.connectors.base import Account, AccountKind, Connector
from smmbot.services.connectors.meta import MetaConnector
from smmbot.services.connectors.meta_graph import MetaEndpoints
from tests.support.meta_mock import APP_ID, APP_SECRET, MetaMock, MetaState, MockPage

AD_CAMPAIGNS = 50
PAGES = (
    MockPage("201", "Toko Kopi", "bench-page-201", "17841400000000201", "tokokopi"),
    MockPage("202", "Toko Teh", "bench-page-202", "17841400000000202", "tokoteh"),
)
AD_ACCOUNT = "act_900"
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def mock(delay: float) -> MetaMock:
    return MetaMock(MetaState(pages=list(PAGES), ad_accounts={}, delay=delay, ads_page_size=500))


def connector(base_url: str) -> Connector:
    return MetaConnector(
        app_id=APP_ID,
        app_secret=APP_SECRET,
        endpoints=MetaEndpoints(base_url, base_url),
        clock=lambda: NOW,
    )


def seed_rows(meta: MetaMock, account_id: str, campaigns: int) -> None:
    """The ad account always has 50 campaigns (the issue's figure), whatever `--campaigns`
    gives GA4; the workspace's own campaigns are the first `campaigns` of them."""
    del account_id, campaigns
    meta.state.ad_accounts = {AD_ACCOUNT: [f"Campaign {n}" for n in range(AD_CAMPAIGNS)]}


def accounts(n: int) -> tuple[Account, ...]:
    del n
    pages = tuple(Account(AccountKind.FACEBOOK_PAGE, p.id, p.name, p.token) for p in PAGES)
    instagram = tuple(
        Account(
            AccountKind.INSTAGRAM_ACCOUNT, str(p.instagram_id), f"@{p.instagram_username}", p.token
        )
        for p in PAGES
    )
    return (*pages, *instagram, Account(AccountKind.AD_ACCOUNT, AD_ACCOUNT, "Ads"))


def mint_token(meta: MetaMock) -> str:
    token = f"EAAbench{len(meta.state.user_tokens)}"
    meta.state.user_tokens.add(token)
    return token
