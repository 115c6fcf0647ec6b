"""Metrics over the real app: `/smm log` and `/smm settings token rotate` as signed slash
commands, then `POST /api/metrics` with the token Slack showed."""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import AppProcess
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.e2e


def post_metrics(
    app: AppProcess, body: bytes, token: str | None
) -> tuple[int, dict[str, object], dict[str, str]]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"{app.base_url}/api/metrics", data=body, headers=headers, method="POST"
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return (
                response.status,
                json.loads(response.read()),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        with error:
            return (
                error.code,
                json.loads(error.read()),
                {k.lower(): v for k, v in error.headers.items()},
            )


def test_log_followers_over_signed_http(app: AppProcess, slack: SlackApiMock) -> None:
    status, response_url = command(app, slack, "log followers 347")
    assert status == 200
    answer = answer_to(slack, response_url)
    assert answer["response_type"] == "ephemeral"
    assert "Logged *followers* (SMO): *347*" in block_text(answer)


def test_metrics_api_with_a_rotated_token(app: AppProcess, slack: SlackApiMock) -> None:
    rows = [{"date": "2026-01-05", "metric": "revenue", "value": "Rp5.000.000"}]
    body = json.dumps(rows).encode()
    status, payload, headers = post_metrics(app, body, None)
    assert status == 401 and "error" in payload
    assert headers["www-authenticate"].startswith("Bearer")
    assert post_metrics(app, body, "guessed")[0] == 401

    slack.set_user("U0MEMBER")  # users.info: an ordinary member
    _, response_url = command(app, slack, "settings token rotate", user_id="U0MEMBER")
    assert "Only workspace admins" in block_text(answer_to(slack, response_url))
    slack.set_user("U0001", is_admin=True)
    _, response_url = command(app, slack, "settings token rotate")
    token = re.findall(r"```([A-Za-z0-9_-]{40,})```", block_text(answer_to(slack, response_url)))
    assert len(token) == 1

    bad = json.dumps([rows[0], {"date": "2026-01-05", "metric": "reach", "value": "12%"}])
    status, payload, _ = post_metrics(app, bad.encode(), token[0])
    assert status == 422
    assert payload == {"errors": [{"row": 2, "field": "value", "problem": "percent_not_allowed"}]}

    for _ in range(2):  # the same batch twice is still one reading
        assert post_metrics(app, body, token[0])[:2] == (200, {"saved": 1})
    assert post_metrics(app, b"not json", token[0])[0] == 400
    assert status_for_announced_size(app, 2_000_000, token[0]) == 413


def status_for_announced_size(app: AppProcess, length: int, token: str) -> int:
    """The answer to headers announcing `length` bytes: a 413 comes before any body is sent."""
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as connection:
        connection.sendall(
            f"POST /api/metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n".encode()
        )
        status_line = connection.makefile("rb").readline()
    return int(status_line.split()[1])
