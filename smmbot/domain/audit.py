"""The audit log's vocabulary: what happened (a closed set of action keys), to what (a subject),
and the CSV rules of its export.

Action keys are `<subject kind>.<verb>` in English snake case and are stored as they are, so a
row written today still reads the same after the wording changes; the wording lives in the
message catalogs under `audit.action.<key>`. The approval decisions (`item.submitted`,
`item.approved`, `item.changes_requested` with a `comment`, `item.rejected` with a `reason`,
`item.resubmitted`) are declared here with their wording already, so that `/smm history` shows
them as soon as the review pipeline records them.

Details are small JSON objects of facts (a URL, a new time, a setting's new value), never a
secret: a token rotation records that it happened, not the token.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class AuditAction(StrEnum):
    ITEM_SCHEDULED = "item.scheduled"
    ITEM_RESCHEDULED = "item.rescheduled"
    ITEM_REMINDED = "item.reminded"
    ITEM_PUBLISHED = "item.published"
    ITEM_SNOOZED = "item.snoozed"
    ITEM_MISSED = "item.missed"
    ITEM_CANCELLED = "item.cancelled"
    ITEM_SUBMITTED = "item.submitted"
    ITEM_APPROVED = "item.approved"
    ITEM_CHANGES_REQUESTED = "item.changes_requested"
    ITEM_REJECTED = "item.rejected"
    ITEM_RESUBMITTED = "item.resubmitted"
    DIGEST_SETTINGS_CHANGED = "digest.settings_changed"
    DIGEST_TURNED_ON = "digest.turned_on"
    DIGEST_TURNED_OFF = "digest.turned_off"
    REMINDERS_CHANGED = "calendar.reminders_changed"
    APPROVAL_TURNED_ON = "approval.turned_on"
    APPROVAL_TURNED_OFF = "approval.turned_off"
    TOKEN_ROTATED = "token.rotated"  # noqa: S105 - an action name, not a password
    CONNECTOR_CONNECTED = "connector.connected"
    CONNECTOR_DISCONNECTED = "connector.disconnected"
    CONNECTOR_BROKEN = "connector.broken"


class SubjectKind(StrEnum):
    ITEM = "item"
    WORKSPACE = "workspace"
    CONNECTOR = "connector"


SYSTEM_ACTOR: Final = "system"
"""The actor of what the bot does by itself (a reminder delivered, a post marked missed)."""


@dataclass(frozen=True)
class Subject:
    """What an entry is about: a calendar item (`item`, its id), a workspace setting
    (`workspace`, the setting's name: `digest`, `reminders`, `metrics_token`), a connector
    (`connector`, its provider)."""

    kind: SubjectKind
    key: str

    @classmethod
    def item(cls, item_id: int) -> Subject:
        return cls(SubjectKind.ITEM, str(item_id))

    @classmethod
    def setting(cls, name: str) -> Subject:
        return cls(SubjectKind.WORKSPACE, name)

    @classmethod
    def connector(cls, provider: str) -> Subject:
        return cls(SubjectKind.CONNECTOR, provider)


CSV_COLUMNS: Final = ("occurred_at", "actor", "action", "subject_kind", "subject", "detail")
"""The export's header: English keys, stable for scripts whatever the admin's language."""

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice): one that
    starts with `= + - @`, a tab or a carriage return gets a leading apostrophe."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


@dataclass(frozen=True)
class AuditRow:
    """One entry as the export writes it (times already ISO UTC, detail already JSON)."""

    occurred_at: str
    actor: str
    action: str
    subject_kind: str
    subject: str
    detail: str


def audit_csv(rows: Iterable[AuditRow]) -> bytes:
    """The export's file: UTF-8 with a byte order mark (so Excel reads `“ ”` and `é` right),
    the English header, every cell made safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = (row.occurred_at, row.actor, row.action, row.subject_kind, row.subject, row.detail)
        writer.writerow([csv_safe(cell) for cell in cells])
    return out.getvalue().encode("utf-8-sig")
