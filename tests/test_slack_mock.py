"""Tests of the Slack Web API mock and request helpers the e2e tests rely on."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import (
    JSON,
    block_actions_body,
    event_callback_body,
    post_signed,
    sign,
    slash_command_body,
    view_submission_body,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def slack() -> Iterator[SlackApiMock]:
    with SlackApiMock() as mock:
        yield mock


@pytest.fixture
def client(slack: SlackApiMock) -> WebClient:
    return WebClient(base_url=slack.base_url, token="xoxb-test", timeout=5)


def test_calls_are_recorded_with_parsed_bodies(slack: SlackApiMock, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    first = client.chat_postMessage(channel="C1", text="hello", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="again")

    assert first["ok"] is True
    assert first["channel"] == "C1"
    assert float(second["ts"]) > float(first["ts"])
    call = slack.calls("chat.postMessage")[0]
    assert call.path == "/api/chat.postMessage"
    assert call.body["text"] == "hello"
    assert call.json_field("blocks") == blocks
    assert call.token == "xoxb-test"
    assert call.header("authorization") == "Bearer xoxb-test"
    assert call.channel == "C1"
    assert call.status == 200
    assert [c.method for c in slack.calls()] == ["chat.postMessage"] * 2

    slack.clear()
    assert slack.calls() == []


def test_json_bodies_and_default_answers(slack: SlackApiMock, client: WebClient) -> None:
    client.api_call("chat.postEphemeral", json={"channel": "C2", "user": "U1", "text": "psst"})
    call = slack.last("chat.postEphemeral")
    assert call.body == {"channel": "C2", "user": "U1", "text": "psst"}
    assert call.header("content-type") == "application/json;charset=utf-8"

    auth = client.auth_test()
    assert auth["user_id"] == "UBOT"
    assert auth["team_id"] == "T0001"
    view = {"type": "modal", "callback_id": "draft", "title": {"type": "plain_text", "text": "x"}}
    opened = client.views_open(trigger_id="t", view=view)
    assert opened["view"]["id"].startswith("V")
    assert opened["view"]["callback_id"] == "draft"
    assert client.conversations_info(channel="C9")["channel"]["id"] == "C9"
    assert client.reactions_add(channel="C9", name="tada", timestamp="1.2")["ok"] is True
    with pytest.raises(SlackApiError) as raised:
        client.apps_connections_open(app_token="xapp-1")
    assert raised.value.response["error"] == "not_allowed_token_type"

    slack.set_answer("conversations.info", {"ok": False, "error": "channel_not_found"})
    with pytest.raises(SlackApiError):
        client.conversations_info(channel="C404")


def test_users_info_returns_configured_tz_and_locale(
    slack: SlackApiMock, client: WebClient
) -> None:
    slack.set_user("U42", tz="Europe/Berlin", locale="de-DE", name="lena")

    user = client.users_info(user="U42", include_locale=True)["user"]
    assert (user["id"], user["name"], user["tz"], user["locale"]) == (
        "U42",
        "lena",
        "Europe/Berlin",
        "de-DE",
    )
    assert user["tz_offset"] in (3600, 7200)

    unknown = client.users_info(user="U777")["user"]
    assert (unknown["tz"], unknown["locale"], unknown["tz_offset"]) == (
        "Asia/Jakarta",
        "en-US",
        7 * 3600,
    )
    assert slack.calls("users.info")[0].body == {"user": "U42", "include_locale": "1"}


def test_locale_only_when_asked_if_strict() -> None:
    with SlackApiMock(require_include_locale=True) as strict:
        strict_client = WebClient(base_url=strict.base_url, token="xoxb-test")
        assert "locale" not in strict_client.users_info(user="U1")["user"]
        assert strict_client.users_info(user="U1", include_locale=True)["user"]["locale"] == "en-US"


def test_fail_next_429_then_success(slack: SlackApiMock, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", status=429)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 429
    assert raised.value.response["error"] == "ratelimited"
    assert raised.value.response.headers.get("Retry-After") == "1"

    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert [c.status for c in slack.calls("chat.postMessage")] == [429, 200]


def test_fail_next_5xx_times(slack: SlackApiMock, client: WebClient) -> None:
    slack.fail_next("views.publish", status=503, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
        assert raised.value.response.status_code == 503
        assert raised.value.response["error"] == "internal_error"
    assert client.views_publish(user_id="U1", view={"type": "home", "blocks": []})["ok"]


def test_set_delay_slows_answers(slack: SlackApiMock, client: WebClient) -> None:
    slack.set_delay("chat.update", 0.3)
    started = time.monotonic()
    answer = client.chat_update(channel="C1", ts="1700000000.000100", text="edited")
    assert time.monotonic() - started >= 0.3
    assert answer["ts"] == "1700000000.000100"

    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3


def test_response_url_posts_are_recorded(slack: SlackApiMock) -> None:
    first, second = slack.response_url(), slack.response_url("action")
    assert first != second

    WebhookClient(second).send(text="done", response_type="ephemeral", replace_original=True)

    [call] = slack.wait_for("response_url")
    assert call.body == {"text": "done", "response_type": "ephemeral", "replace_original": True}
    assert slack.calls_to(second) == [call]
    assert slack.calls_to(first) == []


def test_upload_flow_end_to_end(slack: SlackApiMock, client: WebClient) -> None:
    result = client.files_upload_v2(content=b"\x89PNG fake", filename="a.png", channel="C1")

    assert result["ok"] is True
    assert result["file"]["name"] == "a.png"
    assert [c.method for c in slack.calls()] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    upload = slack.last("upload")
    assert upload.raw == b"\x89PNG fake"
    file_id = upload.body["file_id"]
    assert slack.uploads()[file_id].content == b"\x89PNG fake"
    assert slack.uploads()[file_id].length == len(b"\x89PNG fake")
    complete = slack.last("files.completeUploadExternal")
    assert complete.body["channel_id"] == "C1"
    assert complete.json_field("files") == [{"id": file_id, "title": "a.png"}]


def test_multipart_upload_is_unwrapped(slack: SlackApiMock, client: WebClient) -> None:
    url = client.files_getUploadURLExternal(filename="b.txt", length=3)["upload_url"]
    boundary = "XyZboundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="b.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nabc\r\n"
        f"--{boundary}--\r\n"
    )
    status, _, _ = post_signed(
        url, body, SECRET, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert status == 200
    [upload] = slack.uploads().values()
    assert upload.content == b"abc"
    assert slack.last("upload").body["file"] == b"abc"


def test_limit_rate_per_channel(slack: SlackApiMock, client: WebClient) -> None:
    slack.limit_rate("chat.postMessage", per_channel_per_second=1.0)

    client.chat_postMessage(channel="C1", text="1")
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="2")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers.get("Retry-After") == "1"
    assert client.chat_postMessage(channel="C2", text="3")["ok"] is True

    assert [(c.channel, c.status) for c in slack.calls("chat.postMessage")] == [
        ("C1", 200),
        ("C1", 429),
        ("C2", 200),
    ]


def test_wait_for_waits_and_explains_timeouts(slack: SlackApiMock, client: WebClient) -> None:
    timer = threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="late"))
    timer.start()
    try:
        assert len(slack.wait_for("chat.postMessage", timeout=2)) == 1
    finally:
        timer.join()

    with pytest.raises(
        AssertionError, match=r"(?s)expected at least 2 .*chat\.postMessage \[200\]"
    ):
        slack.wait_for("chat.postMessage", count=2, timeout=0.1)
    with pytest.raises(AssertionError, match=r"no 'views\.open' call"):
        slack.last("views.open")


def test_unknown_paths_get_404_via_post_signed(slack: SlackApiMock) -> None:
    status, body, headers = post_signed(f"{slack.root_url}/nowhere", "a=1", SECRET)
    assert status == 404
    assert json.loads(body)["error"] == "unknown_path"
    assert headers["content-type"].startswith("application/json")
    assert slack.last("unknown").body == {"a": "1"}


def test_sign_is_accepted_by_slack_verifier() -> None:
    body = slash_command_body("help", response_url="https://example.invalid/r")
    headers = sign(body, SECRET)

    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("not-the-secret").is_valid_request(body, headers)
    assert not SignatureVerifier(SECRET).is_valid_request(body + "x", headers)
    stale = sign(body, SECRET, timestamp=int(time.time()) - 600)
    assert not SignatureVerifier(SECRET).is_valid_request(body, stale)


def test_slash_command_body_has_slack_fields() -> None:
    body = slash_command_body("post hello world", response_url="https://r", user_id="U9")
    fields = {k: v[0] for k, v in parse_qs(body).items()}
    assert fields["command"] == "/smm"
    assert fields["text"] == "post hello world"
    assert fields["user_id"] == "U9"
    assert fields["response_url"] == "https://r"
    assert set(fields) >= {"token", "team_id", "team_domain", "channel_id", "channel_name"}
    assert set(fields) >= {"user_name", "api_app_id", "trigger_id"}


def _bolt_app(slack: SlackApiMock) -> App:
    return App(
        signing_secret=SECRET,
        client=WebClient(base_url=slack.base_url, token="xoxb-test"),
        token="xoxb-test",
    )


def _bolt_headers(
    body: str, secret: str, content_type: str = "application/x-www-form-urlencoded"
) -> dict[str, str | Sequence[str]]:
    return {k.lower(): v for k, v in sign(body, secret, content_type=content_type).items()}


def _dispatch(app: App, body: str, content_type: str = "application/x-www-form-urlencoded") -> int:
    return app.dispatch(
        BoltRequest(body=body, headers=_bolt_headers(body, SECRET, content_type))
    ).status


def test_bolt_accepts_the_helper_requests(slack: SlackApiMock) -> None:
    """Bolt's own parsing routes our bodies, and respond() reaches the mock."""
    app = _bolt_app(slack)
    seen: dict[str, Any] = {}

    @app.command("/smm")
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        respond(f"got {command['text']}")

    @app.action("approve")
    def on_action(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen["action"] = body["actions"][0]["value"]
        seen["ephemeral"] = body["container"]["is_ephemeral"]

    @app.view("draft")
    def on_view(ack: Ack, view: dict[str, Any]) -> None:
        ack()
        seen["view"] = view["state"]["values"]["b1"]["a1"]["value"]
        seen["meta"] = view["private_metadata"]

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any]) -> None:
        seen["home"] = event["user"]

    url = slack.response_url()
    assert _dispatch(app, slash_command_body("hi", response_url=url)) == 200
    assert slack.wait_for("response_url")[0].body["text"] == "got hi"

    action = block_actions_body("approve", "42", response_url=slack.response_url("act"))
    assert _dispatch(app, action) == 200
    values = {"b1": {"a1": {"type": "plain_text_input", "value": "caption"}}}
    submission = view_submission_body("draft", values, private_metadata="p1")
    assert _dispatch(app, submission) == 200
    event = event_callback_body({"type": "app_home_opened", "user": "U5", "tab": "home"})
    assert _dispatch(app, event, JSON) == 200

    deadline = time.monotonic() + 2
    while len(seen) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen == {
        "action": "42",
        "ephemeral": True,
        "view": "caption",
        "meta": "p1",
        "home": "U5",
    }

    bad_headers = _bolt_headers("text=x", "wrong")
    assert app.dispatch(BoltRequest(body="text=x", headers=bad_headers)).status == 401


def test_oauth_v2_access_exchanges_an_approved_code_once(
    slack: SlackApiMock, client: WebClient
) -> None:
    slack.set_oauth_app("111.222", "shh")
    grant = slack.approve_install(team_id="T0A", team_name="Alpha", scope="commands,chat:write")
    answer = client.oauth_v2_access(client_id="111.222", client_secret="shh", code=grant.code)
    assert (answer["access_token"], answer["token_type"]) == (grant.bot_token, "bot")
    assert answer["team"] == {"id": "T0A", "name": "Alpha"}
    assert (answer["scope"], answer["authed_user"]) == ("commands,chat:write", {"id": "U0INSTALL"})
    assert answer["enterprise"] is None
    identity = client.auth_test(token=grant.bot_token)
    assert (identity["team_id"], identity["bot_id"]) == ("T0A", grant.bot_id)
    assert client.auth_test()["team_id"] == "T0001"  # other tokens: the default workspace
    with pytest.raises(SlackApiError) as again:
        client.oauth_v2_access(client_id="111.222", client_secret="shh", code=grant.code)
    assert again.value.response["error"] == "invalid_code"


@pytest.mark.parametrize(
    ("client_id", "secret", "error"),
    [("999.999", "shh", "invalid_client_id"), ("111.222", "wrong", "bad_client_secret")],
)
def test_oauth_v2_access_checks_the_client_credentials(
    slack: SlackApiMock, client: WebClient, client_id: str, secret: str, error: str
) -> None:
    slack.set_oauth_app("111.222", "shh")
    grant = slack.approve_install(team_id="T0A", team_name="Alpha", scope="commands")
    with pytest.raises(SlackApiError) as refused:
        client.oauth_v2_access(client_id=client_id, client_secret=secret, code=grant.code)
    assert refused.value.response["error"] == error
