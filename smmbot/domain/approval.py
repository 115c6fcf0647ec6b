"""Who decides on a post before it is reminded, and the moves a review may make.

A post held for review is `in_review`; an approver moves it to `scheduled` (approved: its
reminders are planned at that moment, so "approved" and "scheduled" are one step here),
`changes_requested` (the author edits and resubmits it to `in_review`) or `rejected`. Each move
is allowed only from `in_review`, which the repository checks in the UPDATE itself, so two
approvers clicking at once cannot both decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from smmbot.domain.mentions import mentioned_user, mentioned_user_group

IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
REJECTED = "rejected"
SCHEDULED = "scheduled"
WAITING = (IN_REVIEW, CHANGES_REQUESTED)
"""Statuses of a post that is held: never reminded, listed by `review` / `drafts review`."""

ON_WORDS = frozenset({"on", "aktif", "nyala"})
OFF_WORDS = frozenset({"off", "nonaktif", "mati"})


class Decision(StrEnum):
    """An approver's decision, and the status it moves the post to."""

    APPROVE = SCHEDULED
    CHANGES = CHANGES_REQUESTED
    REJECT = REJECTED


@dataclass(frozen=True)
class ApprovalPolicy:
    """A workspace's approval settings; `self_approve` None means "yes when one approver"."""

    enabled: bool
    approvers: tuple[str, ...]
    channel_id: str | None
    self_approve: bool | None

    @property
    def approves_own(self) -> bool:
        if self.self_approve is not None:
            return self.self_approve
        return len(self.approvers) <= 1

    def is_approver(self, user_id: str) -> bool:
        return user_id in self.approvers

    def may_decide(self, user_id: str, *, is_admin: bool) -> bool:
        """Approvers and workspace admins decide; nobody else."""
        return is_admin or self.is_approver(user_id)

    def holds(self, user_id: str, *, is_admin: bool) -> bool:
        """Whether a post scheduled by this member waits for review. With `self_approve` on,
        an approver's (or admin's) own post goes straight to scheduled."""
        if not self.enabled:
            return False
        return not (self.approves_own and self.may_decide(user_id, is_admin=is_admin))


@dataclass(frozen=True)
class ApproverList:
    """`approvers=<@U1>,<!subteam^S1|x>`: members named directly, and user groups to resolve."""

    users: tuple[str, ...]
    groups: tuple[str, ...]
    unreadable: tuple[str, ...]


def read_approvers(value: str) -> ApproverList:
    users: list[str] = []
    groups: list[str] = []
    unreadable: list[str] = []
    for part in (p.strip() for p in value.replace(" ", ",").split(",")):
        if not part:
            continue
        if (user := mentioned_user(part)) is not None:
            users.append(user)
        elif (group := mentioned_user_group(part)) is not None:
            groups.append(group)
        else:
            unreadable.append(part)
    return ApproverList(tuple(users), tuple(groups), tuple(unreadable))


def merged(*lists: Sequence[str]) -> tuple[str, ...]:
    """Member ids in first-seen order, each once."""
    return tuple(dict.fromkeys(member for members in lists for member in members))


def read_switch(word: str) -> bool | None:
    """`on`/`off` (or Indonesian); None for anything else."""
    lowered = word.casefold()
    if lowered in ON_WORDS:
        return True
    if lowered in OFF_WORDS:
        return False
    return None
