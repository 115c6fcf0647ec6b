"""Meta: Facebook Login for Business, then Pages, Instagram professional accounts and ad accounts.

A small typed client over httpx rather than `facebook-business`: that SDK keeps a process-wide
default API object and session, which would mix workspaces' tokens across sync threads, and it
cannot point its login dialog at `SMMBOT_META_WWW_URL`. Sign-in trades the code for a
short-lived user token, then that for a long-lived one (about 60 days). Pages and their
Instagram accounts are read with the Page's own token (which does not expire when obtained from
a long-lived user token), ad accounts with the user token.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from smmbot.services.connectors.base import (
    Account,
    AccountKind,
    ConnectorError,
    FetchedReading,
    PostRef,
    Provider,
    TokenSet,
)
from smmbot.services.connectors.meta_ads import fetch_ads
from smmbot.services.connectors.meta_discovery import Discovered, discover
from smmbot.services.connectors.meta_graph import TIMEOUT, GraphClient, MetaEndpoints, check
from smmbot.services.connectors.meta_instagram import fetch_instagram
from smmbot.services.connectors.meta_pages import fetch_page
from smmbot.services.connectors.meta_posts import fetch_post_results

SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "read_insights",
    "instagram_basic",
    "instagram_manage_insights",
    "ads_read",
    "business_management",
)
PAGE_FIELDS = "id,name,access_token,instagram_business_account{id,username,name}"


class MetaConnector:
    provider = Provider.META

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        endpoints: MetaEndpoints,
        http: httpx.Client | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._clock = clock
        self._app_id = app_id
        self._app_secret = app_secret
        self._endpoints = endpoints
        self._http = http or httpx.Client(timeout=TIMEOUT)
        self._graph = GraphClient(endpoints=endpoints, app_secret=app_secret, http=self._http)

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": self._app_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "scope": ",".join(SCOPES),
        }
        return f"{self._endpoints.dialog()}?{urlencode(query)}"

    def exchange(self, *, code: str, redirect_uri: str) -> TokenSet:
        short = self._token_call({"redirect_uri": redirect_uri, "code": code})
        return self._token_call(
            {"grant_type": "fb_exchange_token", "fb_exchange_token": short.access_token}
        )

    def refresh(self, tokens: TokenSet) -> TokenSet:
        """Meta has no refresh token: a long-lived user token ends with its ~60 days and only a
        new sign-in replaces it (then its first 190 marks the source broken). Page tokens, which
        read Pages and Instagram, do not expire, so the tokens are kept as they are."""
        return tokens

    def _token_call(self, params: dict[str, str]) -> TokenSet:
        """POSTed as a form, which Graph accepts like the documented GET, so that neither the
        app secret nor a token lands in a URL (httpx logs request URLs at INFO)."""
        query = {**params, "client_id": self._app_id, "client_secret": self._app_secret}
        try:
            response = self._http.post(self._endpoints.graph("oauth/access_token"), data=query)
        except httpx.HTTPError as error:
            raise ConnectorError(f"token endpoint unreachable: {type(error).__name__}") from error
        data = check(response, "token endpoint")
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise ConnectorError("token endpoint: no access_token")
        lifetime = data.get("expires_in")
        expires = (
            self._clock() + timedelta(seconds=int(lifetime))
            if isinstance(lifetime, int | str) and str(lifetime).isdigit()
            else None
        )
        return TokenSet(access_token=access, expires_at=expires)

    def list_accounts(self, tokens: TokenSet) -> list[Account]:
        token = tokens.access_token
        accounts: list[Account] = []
        instagram: list[Account] = []
        for rows in self._graph.pages(token, "me/accounts", {"fields": PAGE_FIELDS}, "Pages"):
            for row in rows:
                page = _page(row)
                if page is None:
                    continue
                accounts.append(page)
                linked = _instagram(row.get("instagram_business_account"), page.secret)
                if linked is not None:
                    instagram.append(linked)
        ads: list[Account] = []
        params = {"fields": "id,name,account_id"}
        for rows in self._graph.pages(token, "me/adaccounts", params, "ad accounts"):
            ads.extend(
                Account(AccountKind.AD_ACCOUNT, row["id"], str(row.get("name") or row["id"]))
                for row in rows
                if isinstance(row.get("id"), str) and row["id"].startswith("act_")
            )
        return [*accounts, *instagram, *ads]

    def fetch(
        self, tokens: TokenSet, accounts: Sequence[Account], start: date, end: date
    ) -> list[FetchedReading]:
        readings: list[FetchedReading] = []
        for account in accounts:
            token = account.secret or tokens.access_token
            if account.kind is AccountKind.FACEBOOK_PAGE:
                readings.extend(fetch_page(self._graph, account.id, token, start, end))
            elif account.kind is AccountKind.INSTAGRAM_ACCOUNT:
                readings.extend(fetch_instagram(self._graph, account.id, token, start, end))
            elif account.kind is AccountKind.AD_ACCOUNT:
                readings.extend(fetch_ads(self._graph, account.id, tokens.access_token, start, end))
        return readings

    def fetch_posts(
        self, tokens: TokenSet, accounts: Sequence[Account], refs: Sequence[PostRef]
    ) -> list[FetchedReading]:
        """Published posts' own results: Instagram ones from each Instagram account, Facebook
        ones from each Page (see `meta_posts`)."""
        readings: list[FetchedReading] = []
        for account in accounts:
            instagram = account.kind is AccountKind.INSTAGRAM_ACCOUNT
            if not instagram and account.kind is not AccountKind.FACEBOOK_PAGE:
                continue
            wanted = [r for r in refs if r.platform == ("instagram" if instagram else "facebook")]
            readings += fetch_post_results(
                self._graph,
                account_id=account.id,
                instagram=instagram,
                token=account.secret or tokens.access_token,
                refs=wanted,
            )
        return readings

    def discover(
        self, tokens: TokenSet, through: Account, handle: str, since: datetime
    ) -> Discovered:
        """Another Instagram business account's public numbers, asked through one of ours."""
        token = through.secret or tokens.access_token
        return discover(self._graph, through.id, token, handle, since)


def _page(row: dict[str, Any]) -> Account | None:
    page_id, token = row.get("id"), row.get("access_token")
    if not isinstance(page_id, str) or not isinstance(token, str) or not token:
        return None
    return Account(AccountKind.FACEBOOK_PAGE, page_id, str(row.get("name") or page_id), token)


def _instagram(linked: object, page_token: str | None) -> Account | None:
    if not isinstance(linked, dict) or not isinstance(linked.get("id"), str):
        return None
    handle = linked.get("username")
    name = f"@{handle}" if isinstance(handle, str) and handle else str(linked.get("name") or "")
    return Account(AccountKind.INSTAGRAM_ACCOUNT, linked["id"], name or linked["id"], page_token)
