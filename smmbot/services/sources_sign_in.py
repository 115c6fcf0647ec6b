"""The end of signing in: the provider's callback, then the member's pick of accounts in Slack.

The state is checked three ways before any code is exchanged: its MAC (nobody edited team, user
or provider), its stored nonce, deleted by the check itself (single use, even under a race) and
its expiry. The picker goes out through the outbox as a DM; when a kind of account has only one
option it is chosen at once, and choosing queues the first sync, which backfills 90 days.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from smmbot.domain.audit import AuditAction, Subject
from smmbot.persistence.models import ConnectorSource
from smmbot.persistence.sources_repository import ACTIVE, PICKING, ConnectorRepository
from smmbot.rendering import sources as replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.audit import record_audit
from smmbot.services.connectors.base import (
    Account,
    AccountKind,
    ConnectorError,
    Provider,
    TokenSet,
)
from smmbot.services.connectors.vault import StateClaims, Vault, Vaulted
from smmbot.services.context import ButtonRequest, ServiceContext
from smmbot.services.sources import redirect_uri
from smmbot.services.sources_notices import member_translator, send_dm

log = logging.getLogger(__name__)

SINGLE_CHOICE = frozenset({AccountKind.GA4_PROPERTY})
"""Kinds of which one account is read (two GA4 properties would count one visit twice)."""


class SignInOutcome(StrEnum):
    DONE = "done"
    EXPIRED = "expired"
    DENIED = "denied"
    PROVIDER = "provider"
    SETUP = "setup"


@dataclass(frozen=True)
class Callback:
    provider: str
    state: str
    code: str
    error: str


def complete_sign_in(ctx: ServiceContext, callback: Callback) -> SignInOutcome:
    provider = Provider(callback.provider)
    connector = ctx.connectors.get(provider.value)
    if ctx.secret_key is None or connector is None or ctx.public_url is None:
        return SignInOutcome.SETUP
    vault = Vault(ctx.secret_key)
    claims = vault.verify_state(callback.state)
    if claims is None or claims.provider is not provider:
        return SignInOutcome.EXPIRED
    with ctx.db.transaction() as session:
        used = ConnectorRepository(session, claims.team_id).consume_state(
            nonce=claims.nonce, user_id=claims.user_id, provider=provider.value, now=ctx.clock()
        )
    if not used:
        return SignInOutcome.EXPIRED
    if callback.error or not callback.code:
        return SignInOutcome.DENIED
    try:
        tokens = connector.exchange(code=callback.code, redirect_uri=redirect_uri(ctx, provider))
        accounts = connector.list_accounts(tokens)
    except ConnectorError as error:
        log.warning("sign-in %s/%s failed: %s", claims.team_id, provider, error)
        return SignInOutcome.PROVIDER
    _store_connection(ctx, vault, claims, tokens, accounts)
    return SignInOutcome.DONE


def _store_connection(
    ctx: ServiceContext,
    vault: Vault,
    claims: StateClaims,
    tokens: TokenSet,
    accounts: list[Account],
) -> None:
    """Replaces any earlier connection of this provider, picks what needs no choosing, and
    sends the member the picker (or the confirmation) in a DM."""
    now = ctx.clock()
    with ctx.db.transaction() as session:
        repository = ConnectorRepository(session, claims.team_id)
        repository.remove(claims.provider.value)
        source = ConnectorSource(
            team_id=claims.team_id, provider=claims.provider.value, status=PICKING,
            connected_by=claims.user_id, vault=vault.seal(Vaulted(tokens, tuple(accounts))),
            accounts=[], choices=[_public(a) for a in accounts], backfill_pending=True,
            last_summary={}, broken_notified=False, connected_at=now,
        )  # fmt: skip
        for account in _automatic(accounts):
            _choose(source, account)
        repository.add(source)
        tr = member_translator(session, claims.team_id, claims.user_id)
        reply = _after_sign_in(tr, source, accounts)
        send_dm(session, source, reply, f"signed-in:{now.isoformat()}", now)
        record_audit(
            session,
            team_id=claims.team_id,
            actor_id=claims.user_id,
            action=AuditAction.CONNECTOR_CONNECTED,
            subject=Subject.connector(claims.provider.value),
            at=now,
        )


def _public(account: Account) -> dict[str, str]:
    return {"kind": account.kind.value, "id": account.id, "name": account.name}


def _automatic(accounts: list[Account]) -> list[Account]:
    """The accounts that are the only one of their kind."""
    kinds = [a.kind for a in accounts]
    return [a for a in accounts if kinds.count(a.kind) == 1]


def _choose(source: ConnectorSource, account: Account | dict[str, str]) -> None:
    chosen = _public(account) if isinstance(account, Account) else dict(account)
    kept = [
        a
        for a in source.accounts
        if not (
            a["kind"] == chosen["kind"]
            and (AccountKind(a["kind"]) in SINGLE_CHOICE or a["id"] == chosen["id"])
        )
    ]
    source.accounts = [*kept, chosen]
    source.status = ACTIVE
    source.backfill_pending = True
    source.next_sync_at = (
        source.connected_at
        if source.next_sync_at is None
        else min(source.next_sync_at, source.connected_at)
    )


def _after_sign_in(tr: Translator, source: ConnectorSource, accounts: list[Account]) -> Reply:
    label = replies.provider_label(tr, source.provider)
    if not accounts:
        return replies.text_reply(
            tr, "sources.no_accounts", provider=label, prefix="/smm ", name=source.provider
        )
    pending = [
        (f"{source.provider}:{index}", choice["name"])
        for index, choice in enumerate(source.choices)
        if AccountKind(choice["kind"]) not in {AccountKind(a["kind"]) for a in source.accounts}
    ]
    if pending:
        return replies.picker(tr, source.provider, pending)
    names = ", ".join(a["name"] for a in source.accounts)
    return replies.text_reply(tr, "sources.picked", provider=label, account=names)


def pick_account(request: ButtonRequest[str]) -> Reply:
    """A click on the picker: `value` is "<provider>:<index into the offered accounts>"."""
    ctx, actor, tr = request.ctx, request.actor, request.tr
    name, _, index = request.value.partition(":")
    with ctx.db.transaction() as session:
        source = ConnectorRepository(session, actor.team_id).get(name)
        allowed = source is not None and (actor.is_admin or actor.user_id == source.connected_by)
        if (
            source is None
            or not allowed
            or not index.isdigit()
            or int(index) >= len(source.choices)
        ):
            return replies.text_reply(tr, "sources.pick_stale", prefix="/smm ")
        choice = source.choices[int(index)]
        _choose(source, choice)
        source.next_sync_at = ctx.clock()
        label = replies.provider_label(tr, source.provider)
    return replies.text_reply(tr, "sources.picked", provider=label, account=choice["name"])
