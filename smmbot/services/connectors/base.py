"""The interface every metric-source provider implements (shared by the Google and Meta modules).

Providers only speak HTTP and translate documented API shapes into `FetchedReading`s; the sync
service decides what is stored (source precedence, campaign matching, upserts), so a provider
never needs the database, Slack or the workspace's campaigns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal, NamedTuple, Protocol


class Provider(StrEnum):
    GOOGLE = "google"
    META = "meta"


class AccountKind(StrEnum):
    GA4_PROPERTY = "ga4_property"
    FACEBOOK_PAGE = "facebook_page"
    INSTAGRAM_ACCOUNT = "instagram_account"
    AD_ACCOUNT = "ad_account"


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None  # UTC; None = does not expire / unknown

    def __repr__(self) -> str:
        """Never print a token, even in a traceback or a debug log."""
        return f"TokenSet(expires_at={self.expires_at!r}, refresh={self.refresh_token is not None})"


@dataclass(frozen=True)
class Account:
    kind: AccountKind
    id: str  # e.g. "properties/123", page id, IG user id, "act_123"
    name: str
    secret: str | None = None  # e.g. a Page access token; stored encrypted, never shown/logged

    def __repr__(self) -> str:
        return f"Account(kind={self.kind!r}, id={self.id!r}, name={self.name!r})"


@dataclass(frozen=True)
class CampaignLabel:
    text: str  # sessionCampaignName (GA4) or campaign_name (Meta Ads)
    match: Literal["utm_slug", "name"]  # GA4 matches a campaign's UTM slug, Meta its name


@dataclass(frozen=True)
class PostRef:
    """A published calendar item to look up: its link, platform, local day and campaign."""

    item_id: int
    platform: str
    url: str
    day: date
    campaign: str
    source: str


class FetchedReading(NamedTuple):
    """A tuple rather than a frozen dataclass: a backfill builds tens of thousands of them, and
    a frozen dataclass pays an `object.__setattr__` per field."""

    day: date  # the provider's reporting day (property/account time zone)
    metric: str  # a catalog metric name (English canonical)
    value: Decimal
    source: str  # "ga4" | "instagram" | "facebook" | "meta_ads"
    platform: str | None = None  # "instagram" | "facebook" | None (account-wide / site)
    campaign: CampaignLabel | None = None


class ConnectorError(Exception):
    """A malformed or partial answer, or an HTTP 5xx: logged and skipped, never stored as zero."""


class CredentialsRejected(ConnectorError):  # noqa: N818  (name fixed by the shared interface)
    """HTTP 401 or Meta error 190: the source is marked broken until someone reconnects it."""


class RateLimited(ConnectorError):  # noqa: N818  (name fixed by the shared interface)
    """HTTP 429 or Meta codes 4, 17, 32, 613: the sync backs off and is retried later."""

    def __init__(self, message: str, *, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after_header(value: str) -> timedelta | None:
    """How long a provider's `Retry-After` asks us to wait (its seconds form; None without one)."""
    return timedelta(seconds=int(value)) if value.isdigit() else None


class Connector(Protocol):
    provider: Provider

    def authorize_url(self, *, state: str, redirect_uri: str) -> str: ...

    def exchange(self, *, code: str, redirect_uri: str) -> TokenSet: ...  # Meta: short→long-lived

    def refresh(self, tokens: TokenSet) -> TokenSet: ...  # Meta: returns as is / re-extends

    def list_accounts(self, tokens: TokenSet) -> list[Account]: ...

    def fetch(
        self, tokens: TokenSet, accounts: Sequence[Account], start: date, end: date
    ) -> list[FetchedReading]: ...  # inclusive day range
