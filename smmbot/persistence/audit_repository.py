"""The audit log of one workspace: appended to by `services.audit.record_audit`, read by
`/smm history` (one subject's life, oldest first) and its CSV export (a time range)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from smmbot.persistence.models import AuditEvent
from smmbot.persistence.team_scoped import TeamScopedRepository


class AuditRepository(TeamScopedRepository):
    def add(self, event: AuditEvent) -> AuditEvent:
        return self._add(event)

    def list_for_subject(self, kind: str, key: str) -> Sequence[AuditEvent]:
        query = self._select(
            AuditEvent, AuditEvent.subject_kind == kind, AuditEvent.subject_key == key
        ).order_by(AuditEvent.occurred_at, AuditEvent.id)
        return self._session.scalars(query).all()

    def list_between(self, start: datetime | None, end: datetime | None) -> Sequence[AuditEvent]:
        """Entries with `start <= occurred_at < end` (either end open when None), oldest first."""
        criteria = []
        if start is not None:
            criteria.append(AuditEvent.occurred_at >= start)
        if end is not None:
            criteria.append(AuditEvent.occurred_at < end)
        query = self._select(AuditEvent, *criteria).order_by(AuditEvent.occurred_at, AuditEvent.id)
        return self._session.scalars(query).all()
