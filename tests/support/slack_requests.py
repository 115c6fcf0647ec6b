"""Build and send requests the way Slack sends them to the app.

End-to-end tests must go through Bolt's real signature check and payload
parsing, so bodies here copy Slack's field names and encodings (form fields for
slash commands, ``payload=<json>`` for interactivity, JSON for events) and are
signed with the v0 HMAC scheme. Only the standard library is used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

DEFAULT_TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"
VERIFICATION_TOKEN = "mock-verification-token"  # Slack still sends one; Bolt ignores it
API_APP_ID = "A0001"
TEAM_DOMAIN = "mock"


def sign(
    body: str,
    secret: str,
    timestamp: int | None = None,
    *,
    content_type: str = FORM,
) -> dict[str, str]:
    """Headers Slack would send with ``body``: timestamp, v0 signature, content type.

    ``timestamp`` defaults to now; pass an old one to test replay rejection.
    """
    ts = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


def slash_command_body(
    text: str,
    *,
    command: str = "/smm",
    team_id: str = "T0001",
    user_id: str = "U0001",
    channel_id: str = "C0001",
    response_url: str,
    trigger_id: str = DEFAULT_TRIGGER_ID,
    user_name: str = "ayu",
    channel_name: str = "general",
    api_app_id: str = API_APP_ID,
) -> str:
    """A slash-command body, form-encoded in Slack's field order."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(fields)


def _payload_body(payload: dict[str, Any]) -> str:
    """Interactivity requests are a single form field holding JSON."""
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def _action(action_id: str, value: str, block_id: str, action_type: str) -> dict[str, Any]:
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": f"{time.time():.6f}",
    }
    if action_type == "button":
        action["value"] = value
        action["text"] = {"type": "plain_text", "text": value, "emoji": True}
    elif action_type in ("static_select", "external_select", "overflow", "radio_buttons"):
        action["selected_option"] = {
            "text": {"type": "plain_text", "text": value, "emoji": True},
            "value": value,
        }
    elif action_type == "datepicker":
        action["selected_date"] = value
    elif action_type == "timepicker":
        action["selected_time"] = value
    elif action_type == "users_select":
        action["selected_user"] = value
    elif action_type == "channels_select":
        action["selected_channel"] = value
    elif action_type == "conversations_select":
        action["selected_conversation"] = value
    else:
        action["value"] = value
    return action


def block_actions_body(
    action_id: str,
    value: str,
    *,
    team_id: str = "T0001",
    user_id: str = "U0001",
    channel_id: str = "C0001",
    response_url: str | None = None,
    trigger_id: str = DEFAULT_TRIGGER_ID,
    message: dict[str, Any] | None = None,
    block_id: str = "b",
    action_type: str = "button",
    view: dict[str, Any] | None = None,
    user_name: str = "ayu",
    api_app_id: str = API_APP_ID,
) -> str:
    """A ``block_actions`` payload for a click on ``action_id``.

    Containers follow Slack: with ``view`` the click came from a modal or App
    Home (no channel, no response_url); with ``message`` it came from that
    channel message (``message["ts"]`` is used); otherwise from an ephemeral
    message, which Slack reports without the message itself.
    """
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0001")}
        payload["view"] = view
    else:
        if message is not None:
            payload["container"] = {
                "type": "message",
                "message_ts": message.get("ts", "1700000000.000100"),
                "channel_id": channel_id,
                "is_ephemeral": False,
            }
            payload["message"] = message
        else:
            payload["container"] = {
                "type": "message",
                "message_ts": "1700000000.000100",
                "channel_id": channel_id,
                "is_ephemeral": True,
            }
        payload["channel"] = {"id": channel_id, "name": "general"}
        payload["state"] = {"values": {}}
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = [_action(action_id, value, block_id, action_type)]
    return _payload_body(payload)


def view_submission_body(
    callback_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    team_id: str = "T0001",
    user_id: str = "U0001",
    private_metadata: str = "",
    view_id: str = "V0001",
    trigger_id: str = DEFAULT_TRIGGER_ID,
    user_name: str = "ayu",
    api_app_id: str = API_APP_ID,
    response_urls: list[dict[str, str]] | None = None,
) -> str:
    """A ``view_submission`` payload; ``values`` is ``state.values`` (block -> action -> state)."""
    view = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values},
        "hash": "1700000000.mockhash",
        "title": {"type": "plain_text", "text": "smmbot", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": "BBOT",
    }
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": response_urls or [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload_body(payload)


def event_callback_body(
    event: dict[str, Any],
    *,
    team_id: str = "T0001",
    api_app_id: str = API_APP_ID,
    event_id: str = "Ev0001",
    event_time: int | None = None,
) -> str:
    """An Events API envelope (send with ``content_type=JSON``)."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope)


def post_signed(
    url: str,
    body: str,
    secret: str,
    timestamp: int | None = None,
    timeout: float = 10,
    *,
    content_type: str = FORM,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes, dict[str, str]]:
    """POST a signed body; return (status, body, lower-cased headers), also for 4xx/5xx.

    Proxies from the environment are ignored: the app under test is local.
    """
    all_headers = {**sign(body, secret, timestamp, content_type=content_type), **(headers or {})}
    request = urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return (
                response.status,
                response.read(),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(), {k.lower(): v for k, v in error.headers.items()}
