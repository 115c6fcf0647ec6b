"""`/smm drafts`: whose drafts are listed, what became of each, and who may delete one.

A draft has no status of its own: it is what became of the calendar items made from it, so the
list never disagrees with the calendar.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Final


class DraftScope(StrEnum):
    MINE = "mine"
    ALL = "all"


"""What may follow `drafts`, in English and Indonesian; without a word, the whole team's."""

DELETE_WORDS: Final = frozenset({"delete", "hapus"})
"""`draft delete <id>` (`draf hapus <id>`): the words that make `draft` delete, not draft."""


class DraftStatus(StrEnum):
    """Scheduled wins (something is still to go out), then published, then missed; a draft
    whose items were all cancelled is a plain draft again."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    MISSED = "missed"


def draft_status(item_statuses: Collection[str]) -> DraftStatus:
    """The status of a draft from the statuses of the calendar items made from it."""
    for status in (DraftStatus.SCHEDULED, DraftStatus.PUBLISHED, DraftStatus.MISSED):
        if status.value in item_statuses:
            return status
    return DraftStatus.DRAFT


def may_delete(*, author_id: str, user_id: str, is_admin: bool) -> bool:
    """Its author, or a workspace admin or owner (who tidies up after people who left)."""
    return is_admin or author_id == user_id
