"""Keys derived from SMMBOT_SECRET_KEY: Fernet for stored credentials, HMAC for OAuth states.

Each use gets its own key through HKDF, so the state signature and the credential cipher never
share key material. SMMBOT_SECRET_KEY may list several secrets separated by commas: the first
encrypts, every one decrypts (MultiFernet), so a key can be rotated without losing connections.

`cryptography` is imported by the first vault made, not with this module: the Slack listeners and
the sync sweep import it at start, and a bot that never connects a metric source never needs the
library's 6 MB (issue 16's start and memory goals).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from smmbot.services.connectors.base import Account, AccountKind, Provider, TokenSet


def _derive(secret: str, purpose: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"smmbot", info=purpose)
    return hkdf.derive(secret.encode())


class VaultError(Exception):
    """A stored secret could not be decrypted (key changed without keeping the old one)."""


@dataclass(frozen=True)
class Vaulted:
    """What one connection keeps encrypted: its tokens and every offered account's secret."""

    tokens: TokenSet
    accounts: tuple[Account, ...]


@dataclass(frozen=True)
class StateClaims:
    nonce: str
    team_id: str
    user_id: str
    provider: Provider
    expires_at: datetime


class Vault:
    def __init__(self, secret_key: str) -> None:
        from cryptography.fernet import Fernet, MultiFernet

        secrets_ = [part.strip() for part in secret_key.split(",") if part.strip()] or [""]
        self._fernet = MultiFernet(
            [Fernet(base64.urlsafe_b64encode(_derive(s, b"credentials"))) for s in secrets_]
        )
        self._state_key = _derive(secrets_[0], b"connect-state")

    def seal(self, vaulted: Vaulted) -> str:
        tokens = vaulted.tokens
        data = {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None,
            "accounts": [
                {"kind": a.kind.value, "id": a.id, "name": a.name, "secret": a.secret}
                for a in vaulted.accounts
            ],
        }
        return self._fernet.encrypt(json.dumps(data).encode()).decode()

    def open(self, sealed: str) -> Vaulted:
        from cryptography.fernet import InvalidToken

        try:
            data: dict[str, Any] = json.loads(self._fernet.decrypt(sealed.encode()))
        except InvalidToken as error:
            raise VaultError("stored credentials cannot be decrypted with this key") from error
        expires = data.get("expires_at")
        tokens = TokenSet(
            access_token=data["access_token"],
            refresh_token=data.get("refresh_token"),
            expires_at=datetime.fromisoformat(expires) if expires else None,
        )
        accounts = tuple(
            Account(AccountKind(a["kind"]), a["id"], a["name"], a.get("secret"))
            for a in data.get("accounts", ())
        )
        return Vaulted(tokens, accounts)

    def sign_state(self, claims: StateClaims) -> str:
        """The `state` parameter: nonce, team, user, provider and expiry, then their HMAC.
        The nonce is single use through its stored row; the MAC stops anyone editing the rest."""
        body = ".".join(
            (
                claims.nonce,
                claims.team_id,
                claims.user_id,
                claims.provider.value,
                str(int(claims.expires_at.timestamp())),
            )
        )
        return f"{body}.{self._mac(body)}"

    def verify_state(self, state: str) -> StateClaims | None:
        """The claims of a state this key signed, or None for anything forged or garbled
        (expiry and reuse are checked against the stored nonce by the caller)."""
        body, _, mac = state.rpartition(".")
        parts = body.split(".")
        if len(parts) != 5 or not hmac.compare_digest(mac, self._mac(body)):
            return None
        nonce, team_id, user_id, provider, expires = parts
        try:
            return StateClaims(
                nonce,
                team_id,
                user_id,
                Provider(provider),
                datetime.fromtimestamp(int(expires), UTC),
            )
        except ValueError:
            return None

    def _mac(self, body: str) -> str:
        return hmac.new(self._state_key, body.encode(), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_urlsafe(24)
