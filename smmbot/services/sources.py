"""`/smm connect`, `/smm disconnect` and `/smm sources [sync [google|meta]]`.

Connecting only hands out a sign-in link: the provider calls back on the web route
(`services.sources_sign_in`), and every sync runs in the scheduler's sweep, never here.
The state in the link is signed and stored as a single-use nonce that expires in 10 minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from smmbot.domain.audit import AuditAction, Subject
from smmbot.persistence.models import ConnectorSource
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.persistence.sources_repository import ConnectorRepository
from smmbot.rendering import sources as replies
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.audit import record_member_action
from smmbot.services.connectors.base import Provider
from smmbot.services.connectors.vault import StateClaims, Vault, new_nonce
from smmbot.services.context import CommandRequest, ServiceContext
from smmbot.services.sources_sync import queue_now

STATE_LIFETIME = timedelta(minutes=10)
FEEDS: dict[str, tuple[str, ...]] = {
    "google": ("social_sessions", "paid_sessions", "leads", "orders", "revenue"),
    "meta": (
        "followers",
        "reach",
        "impressions",
        "profile_visits",
        "link_clicks",
        "likes",
        "comments",
        "shares",
        "saves",
        "engagements",
        "ad_spend",
        "ad_impressions",
        "ad_clicks",
    ),
}


def redirect_uri(ctx: ServiceContext, provider: Provider) -> str:
    assert ctx.public_url is not None
    return f"{ctx.public_url}/connect/{provider.value}/callback"


def _provider(text: str) -> Provider | None:
    try:
        return Provider(text.strip().casefold())
    except ValueError:
        return None


def _missing_settings(ctx: ServiceContext, provider: Provider) -> list[str]:
    missing = [] if ctx.secret_key else ["SMMBOT_SECRET_KEY"]
    missing += [] if ctx.public_url else ["SMMBOT_PUBLIC_URL"]
    if provider.value not in ctx.connectors:
        missing += ctx.connector_gaps.get(provider.value, ())
    return missing


def _typed_provider(request: CommandRequest) -> Provider:
    """`connect`/`disconnect`'s one word; the catalog has let only admins this far."""
    arguments = request.command.arguments
    provider = _provider(arguments[0]) if len(arguments) == 1 else None
    if provider is None:
        raise Refusal(request.tr.mrkdwn("sources.usage", prefix=request.prefix))
    return provider


def handle_connect(request: CommandRequest) -> Reply:
    ctx, actor, tr = request.ctx, request.actor, request.tr
    provider = _typed_provider(request)
    label = replies.provider_label(tr, provider.value)
    missing = _missing_settings(ctx, provider)
    if missing or ctx.secret_key is None:
        variables = ", ".join(f"`{name}`" for name in missing)
        return replies.text_reply(
            tr, "sources.missing_settings", provider=label, variables=variables
        )
    claims = StateClaims(
        new_nonce(), actor.team_id, actor.user_id, provider, ctx.clock() + STATE_LIFETIME
    )
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, actor.team_id).get_or_create(now=ctx.clock())
        ConnectorRepository(session, actor.team_id).add_state(
            nonce=claims.nonce,
            user_id=actor.user_id,
            provider=provider.value,
            expires_at=claims.expires_at,
        )
    state = Vault(ctx.secret_key).sign_state(claims)
    url = ctx.connectors[provider.value].authorize_url(
        state=state, redirect_uri=redirect_uri(ctx, provider)
    )
    return replies.sign_in(tr, provider.value, url)


def handle_disconnect(request: CommandRequest) -> Reply:
    ctx, actor, tr = request.ctx, request.actor, request.tr
    provider = _typed_provider(request)
    with ctx.db.transaction() as session:
        forgotten = ConnectorRepository(session, actor.team_id).remove(provider.value)
        if forgotten:
            record_member_action(
                session,
                actor,
                AuditAction.CONNECTOR_DISCONNECTED,
                Subject.connector(provider.value),
                at=ctx.clock(),
            )
    key = "sources.disconnected" if forgotten else "sources.not_connected"
    return replies.text_reply(tr, key, provider=replies.provider_label(tr, provider.value))


def handle_sources(request: CommandRequest) -> Reply:
    arguments = request.command.arguments
    if arguments and arguments[0].casefold() == "sync":
        return _sync_now(request, arguments[1:])
    ctx, actor = request.ctx, request.actor
    with ctx.db.transaction() as session:
        zone = WorkspaceRepository(session, actor.team_id).get_or_create(now=ctx.clock()).timezone
        views = [_view(source) for source in ConnectorRepository(session, actor.team_id).list_all()]
    return replies.overview(request.tr, request.prefix, views, zone)


def _view(source: ConnectorSource) -> replies.SourceView:
    summary = source.last_summary or {}
    start, end = summary.get("start"), summary.get("end")
    return replies.SourceView(
        provider=source.provider,
        status=source.status,
        accounts=tuple(str(a.get("name", a.get("id", ""))) for a in source.accounts),
        metrics=FEEDS.get(source.provider, ()),
        last_sync_at=source.last_sync_at,
        last_count=int(summary.get("readings", 0)),
        last_start=date.fromisoformat(start) if start else None,
        last_end=date.fromisoformat(end) if end else None,
        next_sync_at=source.next_sync_at,
        problem=source.problem,
        failed_accounts=tuple(str(name) for name in summary.get("failed_accounts", ())),
    )


def _sync_now(request: CommandRequest, names: Sequence[str]) -> Reply:
    ctx, actor, tr, prefix = request.ctx, request.actor, request.tr, request.prefix
    wanted = [_provider(name) for name in names]
    if any(p is None for p in wanted):
        raise Refusal(tr.mrkdwn("sources.sync_unknown", text=names[0], prefix=prefix))
    with ctx.db.transaction() as session:
        sources = ConnectorRepository(session, actor.team_id).list_all()
        chosen = [s for s in sources if not wanted or Provider(s.provider) in wanted]
        if not chosen:
            return replies.text_reply(tr, "sources.sync_none", prefix=prefix)
        for source in chosen:
            if not queue_now(source, ctx.clock()):
                return replies.text_reply(
                    tr,
                    "sources.sync_not_possible",
                    status=source.status,
                    prefix=prefix,
                    name=source.provider,
                    provider=replies.provider_label(tr, source.provider),
                )
    label = ", ".join(replies.provider_label(tr, s.provider) for s in chosen)
    return replies.text_reply(tr, "sources.sync_queued", provider=label, prefix=prefix)
