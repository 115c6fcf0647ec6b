"""The audit log's Slack side through the real Bolt app in-process: an admin's CSV export lands
in their DM (conversations.open, then the file upload), and the Workflow Builder step answers a
signed `function_executed` event with functions.completeSuccess / completeError.

The real Slack platform (Workflow Builder running the step, a metadata event trigger firing)
cannot be exercised here; what is tested is everything smmbot does on its side of it."""

from __future__ import annotations

import json

import pytest

from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services import calendar_actions
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, Surface
from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET
from tests.support.inprocess import InProcessApp
from tests.support.interactions import submit
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import JSON, event_callback_body, post_signed

pytestmark = pytest.mark.e2e

AYU = Actor(
    team_id="T0001", user_id="U0001", channel_id="C0001", locale="en", timezone="Asia/Jakarta"
)


@pytest.fixture
def app(inprocess_app: InProcessApp) -> InProcessApp:
    return inprocess_app


def test_an_admins_export_is_uploaded_to_their_dm(app: InProcessApp, slack: SlackApiMock) -> None:
    slack.set_user("U0001", is_admin=True)
    _, response_url = command(app, slack, 'schedule "2030-01-07 09:00" =1+1 New menu')
    answer_to(slack, response_url)
    _, response_url = command(app, slack, "history export")
    assert "in your direct messages" in block_text(answer_to(slack, response_url))
    [opened] = slack.wait_for("conversations.open")
    assert opened.body["users"] == "U0001"
    [completed] = slack.wait_for("files.completeUploadExternal")
    assert completed.body["channel_id"] == "D0001"
    [upload] = slack.wait_for("upload")
    content = upload.body.get("file") or upload.raw
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else str(content)
    assert "occurred_at,actor,action,subject_kind,subject,detail" in text
    assert "item.scheduled" in text


def test_members_who_are_not_admins_get_no_export(app: InProcessApp, slack: SlackApiMock) -> None:
    _, response_url = command(app, slack, "history export")
    assert "admin" in block_text(answer_to(slack, response_url)).lower()
    assert not slack.calls("files.getUploadURLExternal")


def _function_executed(item_id: object, execution: str) -> str:
    event = {
        "type": "function_executed",
        "function": {"id": "Fn0001", "callback_id": "get_published_post", "title": "Get"},
        "inputs": {"item_id": item_id},
        "function_execution_id": execution,
        "workflow_execution_id": "Wx0001",
        "event_ts": "1700000000.000100",
        "bot_access_token": "xwfp-step-token",
    }
    return event_callback_body(event, team_id="T0001", event_id=f"Ev{execution}")


def test_the_workflow_step_gives_a_published_post(app: InProcessApp, slack: SlackApiMock) -> None:
    with app.ctx.db.transaction() as session:
        WorkspaceRepository(session, "T0001").get_or_create(now=app.ctx.clock())
    run_command(
        ctx=app.ctx, actor=AYU, text='schedule "2030-01-07 09:00" Kopi baru!', surface=Surface.SLACK
    )
    url = {"url": "https://instagram.com/p/kopi"}
    submit(app.ctx, AYU, calendar_actions.submit_publish, json.dumps({"item": 1}), url)
    run_command(
        ctx=app.ctx, actor=AYU, text='schedule "2030-01-08 09:00" Later', surface=Surface.SLACK
    )

    events = f"{app.base_url}/slack/events"
    status, _, _ = post_signed(
        events, _function_executed(1, "Fx1"), SIGNING_SECRET, content_type=JSON
    )
    assert status == 200
    [success] = slack.wait_for("functions.completeSuccess")
    assert success.token == "xwfp-step-token"
    assert success.body["function_execution_id"] == "Fx1"
    outputs = success.body["outputs"]
    outputs = json.loads(outputs) if isinstance(outputs, str) else outputs
    assert outputs["text"] == "Kopi baru!" and outputs["url"] == url["url"]
    assert outputs["published_by"] == "U0001" and outputs["item_id"] == 1

    post_signed(events, _function_executed(2, "Fx2"), SIGNING_SECRET, content_type=JSON)
    post_signed(events, _function_executed("abc", "Fx3"), SIGNING_SECRET, content_type=JSON)
    errors = {
        call.body["function_execution_id"]: call.body["error"]
        for call in slack.wait_for("functions.completeError", 2)
    }
    assert errors["Fx2"] == "Post #2 is not published yet (it is scheduled)."
    assert "is not a post number" in errors["Fx3"]
