"""SlackMessageSender against the Slack API mock: what is posted, how Slack's answers are sorted,
and that the client never retries by itself (the outbox engine owns retries)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from smmbot.rendering.reply import Context, FileAttachment, Reply, Section, reply_to_data
from smmbot.services.outbox import PermanentSendError, RetryLater, WorkspaceNotInstalledError
from smmbot.slack.notifier import build_message_sender, build_workspace_message_sender
from tests.support.app_process import BOT_TOKEN, free_port
from tests.support.slack_mock import SlackApiMock

POST = "chat.postMessage"


def send(slack: SlackApiMock, payload: dict[str, Any]) -> str:
    return build_message_sender(bot_token=BOT_TOKEN, api_url=slack.base_url).send(
        "T1", "C1", payload
    )


def test_posts_block_kit_text_and_no_unfurls(slack: SlackApiMock) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Post* now"}}]
    ts = send(slack, {"text": "Post now", "blocks": blocks})
    call = slack.last(POST)
    assert re.fullmatch(r"\d+\.\d{6}", ts)
    assert call.token == BOT_TOKEN
    assert (call.channel, call.body["text"]) == ("C1", "Post now")
    assert call.json_field("blocks") == blocks
    assert call.body["unfurl_links"] is False


def test_posts_a_stored_reply_with_its_late_note_as_block_kit(slack: SlackApiMock) -> None:
    reply = Reply(blocks=(Section("*Due now*"),), fallback="Due now", public=True)
    note = Reply(blocks=(Context("_Delivered late_"),), fallback="")
    send(slack, {"reply": reply_to_data(reply), "late_note": reply_to_data(note)})
    call = slack.last(POST)
    assert call.body["text"] == "Due now"
    assert [block["type"] for block in call.json_field("blocks")] == ["section", "context"]


def test_an_unreadable_payload_is_permanent(slack: SlackApiMock) -> None:
    with pytest.raises(PermanentSendError, match="unreadable payload"):
        send(slack, {"reply": {"blocks": []}})
    assert slack.calls(POST) == []


def test_rate_limit_is_retry_later_with_retry_after_and_one_request(slack: SlackApiMock) -> None:
    slack.fail_next(POST, status=429, headers={"Retry-After": "7"})
    with pytest.raises(RetryLater) as raised:
        send(slack, {"text": "hi"})
    assert raised.value.retry_after == 7.0
    assert len(slack.calls(POST)) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (503, None),
        (500, {"ok": False, "error": "internal_error"}),
        (200, {"ok": False, "error": "service_unavailable"}),
    ],
)
def test_slack_unwell_is_retry_later(
    slack: SlackApiMock, status: int, body: dict[str, Any] | None
) -> None:
    slack.fail_next(POST, status=status, body=body)
    with pytest.raises(RetryLater) as raised:
        send(slack, {"text": "hi"})
    assert raised.value.retry_after is None
    assert len(slack.calls(POST)) == 1


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "invalid_blocks"])
def test_refusals_are_permanent(slack: SlackApiMock, error: str) -> None:
    slack.fail_next(POST, status=200, body={"ok": False, "error": error})
    with pytest.raises(PermanentSendError, match=error):
        send(slack, {"text": "hi"})


def test_a_network_error_is_retry_later_after_one_try() -> None:
    sender = build_message_sender(
        bot_token=BOT_TOKEN, api_url=f"http://127.0.0.1:{free_port()}/api/"
    )
    with pytest.raises(RetryLater, match="network error"):
        sender.send("T1", "C1", {"text": "hi"})


def test_each_workspace_posts_and_uploads_with_its_own_bot_token(slack: SlackApiMock) -> None:
    tokens = {"T1": "xoxb-one", "T2": "xoxb-two"}
    sender = build_workspace_message_sender(bot_tokens=tokens.get, api_url=slack.base_url)
    chart = FileAttachment("chart.png", "Chart", b"\x89PNG")
    reply = Reply(blocks=(Section("*Digest*"),), fallback="Digest", public=True, files=(chart,))
    sender.send("T1", "C1", {"text": "one"})
    sender.send("T2", "C2", {"reply": reply_to_data(reply)})
    assert slack.calls("files.getUploadURLExternal") == []  # the files follow as their own
    file_id = sender.send("T2", "C2", {"files": reply_to_data(reply)["files"]})
    assert [(call.channel, call.token) for call in slack.calls(POST)] == [
        ("C1", "xoxb-one"),
        ("C2", "xoxb-two"),
    ]
    for method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
        assert [call.token for call in slack.calls(method)] == ["xoxb-two"]
    assert slack.uploads()[file_id].content == b"\x89PNG"
    assert slack.last("files.completeUploadExternal").channel == "C2"


def test_a_rate_limited_upload_is_retry_later(slack: SlackApiMock) -> None:
    chart = FileAttachment("chart.png", "Chart", b"\x89PNG")
    slack.fail_next("files.completeUploadExternal", status=429, headers={"Retry-After": "4"})
    with pytest.raises(RetryLater) as raised:
        send(slack, {"files": reply_to_data(Reply((), "", files=(chart,)))["files"]})
    assert raised.value.retry_after == 4.0


def test_a_workspace_without_installation_is_permanent_and_slack_is_not_called(
    slack: SlackApiMock,
) -> None:
    sender = build_workspace_message_sender(bot_tokens=lambda _team: None, api_url=slack.base_url)
    with pytest.raises(WorkspaceNotInstalledError, match="workspace T9 has no installation"):
        sender.send("T9", "C1", {"text": "hi"})
    assert slack.calls() == []


def test_messages_from_one_thread_reuse_one_kept_alive_connection(slack: SlackApiMock) -> None:
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=slack.base_url)
    for channel in ("C1", "C2", "C3"):
        sender.send("T1", channel, {"text": "hi"})
    assert len({call.client_port for call in slack.calls(POST)}) == 1


def test_a_connection_slack_closed_while_idle_is_replaced_not_written_to(
    slack: SlackApiMock,
) -> None:
    slack.close_idle_after(0.1)
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=slack.base_url)
    sender.send("T1", "C1", {"text": "first"})
    time.sleep(0.5)  # the mock closes the idle connection meanwhile
    sender.send("T1", "C1", {"text": "second"})  # RetryLater had it reused the dead one
    calls = slack.calls(POST)
    assert [call.body["text"] for call in calls] == ["first", "second"]
    assert calls[0].client_port != calls[1].client_port


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
def test_a_kept_token_slack_refuses_is_retry_later(slack: SlackApiMock, error: str) -> None:
    refusals: list[tuple[str, str]] = []

    def refused(team_id: str, token: str) -> bool:
        refusals.append((team_id, token))
        return True

    sender = build_workspace_message_sender(
        bot_tokens=lambda _team: "xoxb-kept", api_url=slack.base_url, refused=refused
    )
    slack.fail_next(POST, status=200, body={"ok": False, "error": error})
    with pytest.raises(RetryLater, match=error):
        sender.send("T1", "C1", {"text": "hi"})
    assert refusals == [("T1", "xoxb-kept")]


def test_a_fresh_token_slack_refuses_fails_for_good(slack: SlackApiMock) -> None:
    sender = build_workspace_message_sender(
        bot_tokens=lambda _team: "xoxb-fresh",
        api_url=slack.base_url,
        refused=lambda _team, _token: False,
    )
    slack.fail_next(POST, status=200, body={"ok": False, "error": "invalid_auth"})
    with pytest.raises(PermanentSendError, match="invalid_auth"):
        sender.send("T1", "C1", {"text": "hi"})
