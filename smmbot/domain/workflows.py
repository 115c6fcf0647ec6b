"""What smmbot offers Slack's Workflow Builder: the custom step's id and the message metadata
event a published post's channel message carries (so an event trigger can start a workflow,
e.g. to repost approved content elsewhere, without code). The manifests declare both under the
same names; `tests/unit/test_manifests.py` keeps them in step.
"""

from __future__ import annotations

from typing import Final

PUBLISHED_EVENT: Final = "smmbot_post_published"
"""`metadata.event_type` on the due reminder once it says "published"."""
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
