"""Messages the connector machinery sends on its own, through the outbox (so they survive a
restart and go out once): the account picker after signing in, and the one DM that a source
broke (the break is recorded in the audit log with it, the connector as its actor)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from smmbot.domain.audit import AuditAction, Subject
from smmbot.persistence.models import ConnectorSource
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import UserRepository, WorkspaceRepository
from smmbot.rendering import sources as replies
from smmbot.rendering.i18n import Translator, choose_locale
from smmbot.rendering.reply import Reply, reply_to_data
from smmbot.services.audit import record_audit


def member_translator(session: Session, team_id: str, user_id: str) -> Translator:
    user = UserRepository(session, team_id).get(user_id)
    workspace = WorkspaceRepository(session, team_id).get()
    return Translator(
        choose_locale(user.locale if user else None, workspace.locale if workspace else None)
    )


def send_dm(
    session: Session, source: ConnectorSource, reply: Reply, key: str, now: datetime
) -> None:
    OutboxRepository(session, source.team_id).enqueue(
        kind="connector",
        dedupe_key=f"connector:{source.team_id}:{source.provider}:{key}",
        channel_id=source.connected_by,
        due_at=now,
        payload={"reply": reply_to_data(reply)},
    )


def notify_broken(session: Session, source: ConnectorSource, now: datetime) -> None:
    tr = member_translator(session, source.team_id, source.connected_by)
    label = replies.provider_label(tr, source.provider)
    reply = replies.text_reply(
        tr, "sources.broken_dm", provider=label, prefix="/smm ", name=source.provider
    )
    stamp = source.connected_at.isoformat()
    send_dm(session, source, reply, f"broken:{stamp}", now)
    record_audit(
        session,
        team_id=source.team_id,
        actor_id=source.provider,
        action=AuditAction.CONNECTOR_BROKEN,
        subject=Subject.connector(source.provider),
        at=now,
        detail={"problem": source.problem or ""},
    )
