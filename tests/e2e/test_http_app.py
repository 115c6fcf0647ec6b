"""The real app over HTTP: signed requests in, calls to the mock Slack Web API out."""

from __future__ import annotations

import json
import threading
import time

import pytest

from tests.support.app_process import SIGNING_SECRET, AppProcess, ServedApp
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import post_signed, slash_command_body

pytestmark = pytest.mark.e2e


def command(app: ServedApp, slack: SlackApiMock, text: str, **fields: str) -> tuple[int, str]:
    response_url = slack.response_url()
    body = slash_command_body(text, response_url=response_url, **fields)
    status, _, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
    return status, response_url


def answer_to(slack: SlackApiMock, response_url: str, timeout: float = 10.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = slack.calls_to(response_url)
        if calls:
            return calls[0].body
        time.sleep(0.02)
    raise AssertionError(f"nothing posted to {response_url}; calls: {slack.calls()}")


def block_text(answer: dict[str, object]) -> str:
    return json.dumps(answer["blocks"], ensure_ascii=False)


def test_healthz_answers_200(app: AppProcess) -> None:
    assert app.health() == 200


def test_forged_signature_is_rejected(app: AppProcess, slack: SlackApiMock) -> None:
    body = slash_command_body("help", response_url=slack.response_url())
    status, _, _ = post_signed(f"{app.base_url}/slack/events", body, "not-the-secret")
    assert status == 401


def test_old_timestamp_is_rejected(app: AppProcess, slack: SlackApiMock) -> None:
    body = slash_command_body("help", response_url=slack.response_url())
    stale = int(time.time()) - 6 * 60
    status, _, _ = post_signed(
        f"{app.base_url}/slack/events", body, SIGNING_SECRET, timestamp=stale
    )
    assert status == 401


def test_ack_is_fast_while_the_web_api_is_slow(app: AppProcess, slack: SlackApiMock) -> None:
    slack.set_delay("users.info", 4.0)
    started = time.monotonic()
    status, response_url = command(app, slack, "help", user_id="U0SLOW")
    assert status == 200
    assert time.monotonic() - started < 1.5
    assert "/smm help" in block_text(answer_to(slack, response_url, timeout=15))


def test_concurrent_commands_are_all_answered(app: AppProcess, slack: SlackApiMock) -> None:
    results: list[tuple[int, str]] = []

    def send(index: int) -> None:
        results.append(command(app, slack, "help", user_id=f"U{index:04d}"))

    threads = [threading.Thread(target=send, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [200] * 20
    for _, response_url in results:
        answer_to(slack, response_url)


def test_sigterm_finishes_in_flight_work_and_exits_0(app: AppProcess, slack: SlackApiMock) -> None:
    slack.set_delay("users.info", 1.5)
    _, response_url = command(app, slack, "help", user_id="U0TERM")
    assert app.stop() == 0
    assert "/smm help" in block_text(answer_to(slack, response_url, timeout=1))
    assert "stopped cleanly" in app.logs()
