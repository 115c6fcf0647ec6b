"""Credentials at rest and connect states: Fernet with rotation, HMAC-signed claims."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from smmbot.services.connectors.base import (
    Account,
    AccountKind,
    CredentialsRejected,
    Provider,
    RateLimited,
    TokenSet,
)
from smmbot.services.connectors.google import GoogleConnector, GoogleEndpoints, readings_from_rows
from smmbot.services.connectors.vault import StateClaims, Vault, Vaulted, VaultError

TOKENS = TokenSet("ya29.secret-access", "1//secret-refresh", datetime(2026, 12, 1, tzinfo=UTC))
PAGE = Account(AccountKind.FACEBOOK_PAGE, "123", "Toko", secret="EAAG-page-token")


def test_sealed_credentials_hide_every_secret_and_open_again() -> None:
    sealed = Vault("key one").seal(Vaulted(TOKENS, (PAGE,)))
    for secret in ("ya29.secret-access", "1//secret-refresh", "EAAG-page-token"):
        assert secret not in sealed
    opened = Vault("key one").open(sealed)
    assert opened.tokens == TOKENS and opened.accounts == (PAGE,)
    assert "secret" not in repr(opened)


def test_a_rotated_key_still_opens_old_credentials_and_a_wrong_one_does_not() -> None:
    sealed = Vault("old key").seal(Vaulted(TOKENS, ()))
    assert Vault("new key, old key").open(sealed).tokens == TOKENS
    with pytest.raises(VaultError):
        Vault("new key").open(sealed)


def test_state_claims_survive_signing_and_any_edit_is_refused() -> None:
    vault = Vault("key")
    claims = StateClaims("nonce", "T1", "U1", Provider.GOOGLE, datetime(2026, 12, 1, tzinfo=UTC))
    state = vault.sign_state(claims)
    assert vault.verify_state(state) == claims
    assert vault.verify_state(state.replace(".T1.", ".T2.")) is None
    assert vault.verify_state(state.replace(".google.", ".meta.")) is None
    assert Vault("other key").verify_state(state) is None
    assert vault.verify_state("garbage") is None


def _connector(handler: httpx.MockTransport) -> GoogleConnector:
    return GoogleConnector(
        client_id="id",
        client_secret="secret",
        endpoints=GoogleEndpoints("http://g", "http://g/token", "http://g", "http://g"),
        http=httpx.Client(transport=handler),
    )


def test_invalid_grant_on_refresh_means_the_credentials_are_rejected() -> None:
    answer = httpx.Response(400, json={"error": "invalid_grant", "error_description": "Bad"})
    connector = _connector(httpx.MockTransport(lambda request: answer))
    with pytest.raises(CredentialsRejected):
        connector.refresh(TOKENS)


def test_429_carries_retry_after() -> None:
    answer = httpx.Response(429, headers={"Retry-After": "120"}, json={"error": {"code": 429}})
    connector = _connector(httpx.MockTransport(lambda request: answer))
    with pytest.raises(RateLimited) as raised:
        connector.list_accounts(TOKENS)
    assert raised.value.retry_after is not None
    assert raised.value.retry_after.total_seconds() == 120


def test_rows_other_than_social_are_ignored_and_bad_rows_skipped() -> None:
    def row(channel: str, sessions: str) -> dict[str, object]:
        dims = [{"value": "20261123"}, {"value": channel}, {"value": "(not set)"}]
        values = [{"value": sessions}, {"value": "1"}, {"value": "0"}, {"value": "0"}]
        return {"dimensionValues": dims, "metricValues": values}

    readings = readings_from_rows(
        [row("Organic Social", "5"), row("Direct", "50"), row("Paid Social", "NaN"), {}]
    )
    assert {(r.metric, r.value) for r in readings} == {
        ("social_sessions", Decimal(5)),
        ("leads", Decimal(1)),
        ("orders", Decimal(0)),
        ("revenue", Decimal(0)),
    }
    assert all(r.campaign is None and r.source == "ga4" for r in readings)
