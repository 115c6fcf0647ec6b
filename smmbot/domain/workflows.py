"""What smmbot offers Slack's Workflow Builder: the custom step's id and the message metadata
events that a review request, its decision and a published post's channel message carry (so an
event trigger can start a workflow, e.g. to repost approved content elsewhere, without code).
The manifests declare them under the same names; `tests/unit/test_manifests.py` keeps them in
step.
"""

from __future__ import annotations

from typing import Final

PUBLISHED_EVENT: Final = "smmbot_post_published"
"""`metadata.event_type` on the due reminder once it says "published"."""
REVIEW_REQUESTED_EVENT: Final = "smmbot_review_requested"
"""`metadata.event_type` on a review request (in the approvals channel or an approver's DM)."""
REVIEW_DECIDED_EVENT: Final = "smmbot_review_decided"
"""`metadata.event_type` on a review request once it shows the decision."""
GET_PUBLISHED_POST: Final = "get_published_post"
"""The custom step: a post number in, the published post's text, link and people out."""


def published_event(
    *,
    item_id: int,
    platform: str | None,
    url: str | None,
    published_by: str,
    owner_id: str,
    channel_id: str,
) -> dict[str, object]:
    """The message metadata Slack attaches to the message (`event_payload` values are strings
    and numbers only; the post's text is read with the step, so the event stays small)."""
    return {
        "event_type": PUBLISHED_EVENT,
        "event_payload": {
            "item_id": item_id,
            "platform": platform or "",
            "url": url or "",
            "published_by": published_by,
            "owner": owner_id,
            "channel": channel_id,
        },
    }


def review_requested_event(
    *, item_id: int, author: str, platform: str | None, due_at: int, channel_id: str
) -> dict[str, object]:
    """What a workflow learns from a review request: which post, whose, where and when it is
    due (a Unix time), e.g. to remind the approvers elsewhere or open a ticket."""
    return {
        "event_type": REVIEW_REQUESTED_EVENT,
        "event_payload": {
            "item_id": item_id,
            "author": author,
            "platform": platform or "",
            "due_at": due_at,
            "channel": channel_id,
        },
    }


def review_decided_event(
    *, item_id: int, author: str, decision: str, decided_by: str, channel_id: str
) -> dict[str, object]:
    """What a workflow learns from a decision: `decision` is the status the post moved to
    (`scheduled` for approved, `changes_requested`, `rejected`) and who decided."""
    return {
        "event_type": REVIEW_DECIDED_EVENT,
        "event_payload": {
            "item_id": item_id,
            "author": author,
            "decision": decision,
            "decided_by": decided_by,
            "channel": channel_id,
        },
    }
