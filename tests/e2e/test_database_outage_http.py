"""PostgreSQL stopped for 30 s under the running app: every command and click during the outage
is acknowledged within Slack's 3 s and answered "could not reach the database, nothing was
saved, try again" in the member's language; after it comes back, nothing saved is lost.

The outage lasts 30 s as in the report: long enough for every pooled connection to be found
dead and for several scheduler sweeps to fail, which a shorter stop would not show.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.private_postgres import PrivatePostgres
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import (
    JSON,
    block_actions_body,
    event_callback_body,
    post_signed,
    slash_command_body,
    view_submission_body,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("kill_restart")]

OUTAGE_SECONDS = 30.0
ACK_LIMIT = 3.0
UNREACHABLE = {"en": "could not reach the database", "id": "belum bisa menghubungi basis data"}
GENERIC = ("reference `", "referensi `", "Something went wrong", "Ada yang salah", "Traceback")
USERS = {"U0001": "en", "U0ID": "id"}


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    with PrivatePostgres() as server:
        yield server


def send(app: AppProcess, body: str) -> tuple[float, bytes]:
    started = time.monotonic()
    status, answer, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
    elapsed = time.monotonic() - started
    assert status == 200, answer[:300]
    return elapsed, answer


def command(app: AppProcess, slack: SlackApiMock, text_: str, user: str) -> tuple[float, str]:
    url = slack.response_url()
    elapsed, ack = send(app, slash_command_body(text_, user_id=user, response_url=url))
    if ack:
        return elapsed, ack.decode()
    return elapsed, wait_for_answer(slack, url)


def wait_for_answer(slack: SlackApiMock, url: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = slack.calls_to(url)
        if calls:
            return json.dumps(calls[0].body, ensure_ascii=False)
        time.sleep(0.05)
    raise AssertionError(f"no answer at {url}")


def readings(url: str) -> dict[str, float]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT metric, value FROM metric_readings"))
            return {metric: float(value) for metric, value in rows}
    finally:
        engine.dispose()


def test_a_thirty_second_outage_is_answered_clearly_and_loses_nothing(
    postgres: PrivatePostgres, slack: SlackApiMock, tmp_path_factory: pytest.TempPathFactory
) -> None:
    slack.set_user("U0ID", tz="Asia/Makassar", locale="id-ID")
    log_path = tmp_path_factory.mktemp("outage") / "app.log"
    with AppProcess(api_url=slack.base_url, database_url=postgres.url, log_path=log_path) as app:
        for user in USERS:
            assert "reference" not in command(app, slack, "log followers 1200", user)[1]
        command(app, slack, 'schedule "tomorrow 9am" Menu baru!', "U0001")
        postgres.stop()
        outage_ends = time.monotonic() + OUTAGE_SECONDS
        during: list[tuple[str, float, str]] = []
        turn = 0
        while time.monotonic() < outage_ends:
            user = list(USERS)[turn % 2]
            typed = (
                "log reach 777",
                "calendar",
                "help",
                'schedule "besok jam 9" Promo',
                "digest now",
            )
            text_ = typed[turn % len(typed)]
            elapsed, answer = command(app, slack, text_, user)
            during.append((f"{user}: {text_}", elapsed, answer))
            click_url = slack.response_url("click")
            click = block_actions_body("item_cancel", "1", user_id=user, response_url=click_url)
            elapsed, _ = send(app, click)
            during.append((f"{user}: click", elapsed, wait_for_answer(slack, click_url)))
            form = view_submission_body(
                "item_reschedule_form",
                {"when": {"value": {"type": "plain_text_input", "value": "tomorrow 10am"}}},
                user_id=user,
                private_metadata=json.dumps({"item": 1, "channel": "C0001"}),
            )
            elapsed, ack = send(app, form)
            during.append((f"{user}: form", elapsed, ack.decode()))
            turn += 1
            time.sleep(0.3)
        home = {"type": "app_home_opened", "user": "U0ID", "channel": "D0ID", "tab": "home"}
        body = event_callback_body(home, event_id="EvOutage")
        status, _, _ = post_signed(
            f"{app.base_url}/slack/events", body, SIGNING_SECRET, content_type=JSON
        )
        assert status == 200
        published = json.dumps(slack.wait_for("views.publish")[0].json_field("view"))
        assert UNREACHABLE["id"] in published  # the Home tab says so too
        postgres.start()

        slow = [(what, elapsed) for what, elapsed, _ in during if elapsed > ACK_LIMIT]
        assert not slow
        generic = [
            (what, answer) for what, _, answer in during if any(g in answer for g in GENERIC)
        ]
        assert not generic[:3]
        for what, _, answer in during:
            user = what.split(":")[0]
            if what.endswith("help"):
                continue  # help needs no database
            assert UNREACHABLE[USERS[user]] in answer, (what, answer)

        deadline = time.monotonic() + 30
        while app.health() != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        after = command(app, slack, "log orders 5", "U0001")[1]
        assert "orders" in after and "reference" not in after
        calendar = command(app, slack, "calendar", "U0001")[1]
        assert "Menu baru!" in calendar
        logs = app.logs()
        assert "Traceback" not in logs, logs[logs.find("Traceback") - 300 :][:2000]
    assert readings(postgres.url) == {"followers": 1200.0, "orders": 5.0}
