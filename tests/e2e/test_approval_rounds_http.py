"""A review's rounds as the approvers see them, end to end on the in-process app: the review
request and its decision carry Slack message metadata for workflows, each decision publishes
the approvers' App Home again without the decided post's buttons, and after a resubmit the
first round's request says it was replaced while the decision shows only on the new one. The
Home is published at each review request too, once for requests queued together."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from smmbot.domain.digest import Digest
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services import home
from smmbot.services.context import Actor
from tests.e2e.test_approval_http import (
    APPROVALS,
    APPROVER,
    MEMBER,
    app,
    schedule_held,
    submit,
    turn_on,
    wait_for_post,
)
from tests.e2e.test_approval_http import click as click_review
from tests.support.app_process import SIGNING_SECRET
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import RecordedCall, SlackApiMock
from tests.support.slack_requests import post_signed, view_submission_body

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]
__all__ = ["app"]  # the fixture, shared with the approval tests


def updates_of(slack: SlackApiMock, ts: str) -> list[str]:
    """The blocks of every chat.update of one message, as text, in order."""
    return [
        json.dumps(c.json_field("blocks")) for c in slack.calls("chat.update") if c.body["ts"] == ts
    ]


def homes_of(slack: SlackApiMock, user: str) -> list[str]:
    return [
        json.dumps(call.json_field("view"))
        for call in slack.calls("views.publish")
        if call.body["user_id"] == user
    ]


def resubmit(app: InProcessApp, item: int, text: str) -> None:
    body = view_submission_body(
        "review_edit_form",
        {
            "text": {"value": {"type": "plain_text_input", "value": text}},
            "when": {"value": {"type": "plain_text_input", "value": ""}},
        },
        user_id=MEMBER,
        private_metadata=json.dumps({"item": item, "channel": None}),
    )
    assert post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)[0] == 200


def metadata(call: RecordedCall) -> dict[str, Any]:
    found = call.json_field("metadata")
    assert isinstance(found, dict)
    return found


def test_rounds_metadata_and_the_approvers_home(app: InProcessApp, slack: SlackApiMock) -> None:
    turn_on(app, slack)
    item = schedule_held(app, slack, "Kopi susu is back!")
    other = schedule_held(app, slack, "Es teh manis")
    app.deliver()
    first, _ = wait_for_post(slack, APPROVALS, 2)
    requested = metadata(first)
    assert requested["event_type"] == "smmbot_review_requested"
    assert requested["event_payload"]["item_id"] == item
    assert requested["event_payload"]["author"] == MEMBER
    assert requested["event_payload"]["platform"] == "x"
    assert isinstance(requested["event_payload"]["due_at"], int)
    [requests_home] = homes_of(slack, APPROVER)  # two requests before the sweep: one publish
    assert f'"value": "{item}"' in requests_home and f'"value": "{other}"' in requests_home

    assert submit(app, "review_changes_form", item, APPROVER, "Add the price") == {}
    app.deliver()
    [changes] = [c for c in slack.calls("chat.update") if c.body["ts"] == first.answer["ts"]]
    decided = metadata(changes)
    assert decided["event_type"] == "smmbot_review_decided"
    assert decided["event_payload"]["decision"] == "changes_requested"
    assert decided["event_payload"]["decided_by"] == APPROVER
    [_, home] = homes_of(slack, APPROVER)
    assert f'"value": "{item}"' not in home and f'"value": "{other}"' in home
    assert "review_approve" in home and "Es teh manis" in home

    resubmit(app, item, "Kopi susu Rp20.000")
    app.deliver()
    superseded = updates_of(slack, first.answer["ts"])
    assert len(superseded) == 2 and "resubmitted with changes" in superseded[-1]
    assert "review_approve" not in superseded[-1]
    newer = wait_for_post(slack, APPROVALS, 3)[-1]
    assert "Rp20.000" in json.dumps(newer.json_field("blocks"))
    assert metadata(newer)["event_type"] == "smmbot_review_requested"
    resubmitted_home = homes_of(slack, APPROVER)[-1]
    assert len(homes_of(slack, APPROVER)) == 3 and "Rp20.000" in resubmitted_home

    assert "Approved" in click_review(app, slack, "review_approve", item, APPROVER)
    app.deliver()
    assert len(updates_of(slack, first.answer["ts"])) == 2  # the old round is left alone
    [approved] = updates_of(slack, newer.answer["ts"])
    assert "Approved by" in approved
    homes = homes_of(slack, APPROVER)
    assert len(homes) == 4 and f'"value": "{item}"' not in homes[-1]
    assert f'"value": "{other}"' in homes[-1]


def test_decisions_publish_one_current_home_rendered_by_the_outbox(
    app: InProcessApp, slack: SlackApiMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The click answers without rendering anyone's Home (the digest in it is slow); the outbox
    renders it when it publishes, from the state then, so two decisions before the sweep give
    the approver one Home showing both."""
    rendered: list[tuple[str, str]] = []
    home_reply = home.home_reply

    def recording_home_reply(
        session: Session, tr: Translator, actor: Actor, digest: Digest, now: datetime
    ) -> Reply:
        rendered.append((actor.user_id, threading.current_thread().name))
        return home_reply(session, tr, actor, digest, now)

    monkeypatch.setattr(home, "home_reply", recording_home_reply)
    turn_on(app, slack)
    item = schedule_held(app, slack, "Kopi susu is back!")
    other = schedule_held(app, slack, "Es teh manis")
    assert rendered == []  # a review request queues the publish, it does not render it
    app.deliver()
    assert [user for user, _ in rendered] == [APPROVER]

    assert "Approved" in click_review(app, slack, "review_approve", item, APPROVER)
    assert submit(app, "review_reject_form", other, APPROVER, "Off brand") == {}
    assert len(rendered) == 1  # neither decision rendered a Home on its request
    app.deliver()
    assert [user for user, _ in rendered] == [APPROVER, APPROVER]
    assert all(thread.startswith("outbox") for _, thread in rendered)
    first, after_both = homes_of(slack, APPROVER)
    assert f'"value": "{item}"' in first and f'"value": "{other}"' in first
    assert f'"value": "{item}"' not in after_both and f'"value": "{other}"' not in after_both
    assert "review_approve" not in after_both
