"""CSV import over the real app: a file dropped into a DM with the bot, and `/smm import`'s form."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest

from smmbot.persistence.metrics_repository import MetricRepository
from tests.e2e.test_http_app import command
from tests.support.app_process import BOT_TOKEN, SIGNING_SECRET, AppProcess
from tests.support.databases import migrated_database
from tests.support.slack_mock import RecordedCall, SlackApiMock
from tests.support.slack_requests import (
    JSON,
    event_callback_body,
    post_signed,
    view_submission_body,
)

pytestmark = pytest.mark.e2e

CSV = b"""date,metric,value
2026-01-05,followers,1200
2026-01-05,reach,3400
2999-01-01,reach,5
"""


def share_in_dm(app: AppProcess, files: list[dict[str, Any]], **fields: str) -> None:
    """What Slack sends when a member drops files into their DM with the bot."""
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": "D0001",
        "user": "U0001",
        "text": "",
        "ts": f"{time.time():.6f}",
        "files": files,
        **fields,
    }
    body = event_callback_body(event, event_id=f"Ev{time.monotonic_ns()}")
    status, _, _ = post_signed(
        f"{app.base_url}/slack/events", body, SIGNING_SECRET, content_type=JSON
    )
    assert status == 200


def posted_text(call: RecordedCall) -> str:
    return json.dumps(call.json_field("blocks"), ensure_ascii=False)


def readings(database_url: str) -> list[tuple[str, Decimal]]:
    with migrated_database(database_url) as db, db.transaction() as session:
        return [(r.metric, r.value) for r in MetricRepository(session, "T0001").list_all()]


def test_a_csv_dropped_into_a_dm_is_imported_once(
    app: AppProcess, slack: SlackApiMock, database_url: str
) -> None:
    info = slack.add_file("november.csv", CSV, token=BOT_TOKEN)
    for count in (1, 2):  # the same file twice: still one reading per row
        share_in_dm(app, [info])
        reply = slack.wait_for("chat.postMessage", count, timeout=15)[-1]
        assert reply.channel == "D0001"
        text = posted_text(reply)
        assert "november.csv" in text and "Imported *2* readings" in text
        assert "Line 4: `date=2999-01-01` is in the future" in text
    assert {call.token for call in slack.calls("file_download")} == {BOT_TOKEN}
    assert sorted(readings(database_url)) == [
        ("followers", Decimal(1200)),
        ("reach", Decimal(3400)),
    ]


def test_files_that_cannot_be_imported_get_an_explanation(
    app: AppProcess, slack: SlackApiMock, database_url: str
) -> None:
    csv = slack.add_file("metrics.csv", CSV, token=BOT_TOKEN)
    share_in_dm(app, [csv], bot_id="BOTHER", user="UOTHERBOT")  # another bot: never answered
    share_in_dm(app, [])  # a message without files
    picture = slack.add_file(
        "chart <1>.png", b"\x89PNG", token=BOT_TOKEN, filetype="png", mimetype="image/png"
    )
    large = slack.add_file("huge.csv", CSV, token=BOT_TOKEN, size=2_000_000)
    share_in_dm(app, [picture, large])
    first, second = slack.wait_for("chat.postMessage", 2, timeout=15)
    texts = sorted([posted_text(first), posted_text(second)])
    assert "I only import CSV files" in texts[0] and "chart &lt;1&gt;.png" in texts[0]
    assert "`date`, `metric`, `value`" in texts[0]
    assert "huge.csv" in texts[1] and "larger than 1 MB" in texts[1]
    assert slack.calls("file_download") == []

    no_scope = slack.add_file("metrics.csv", CSV, token="xoxb-a-token-with-files-read")
    share_in_dm(app, [no_scope])
    text = posted_text(slack.wait_for("chat.postMessage", 3, timeout=15)[-1])
    assert "`files:read`" in text and "nothing was imported" in text
    assert len(slack.calls("chat.postMessage")) == 3
    assert readings(database_url) == []
    assert "download of file" in app.logs()


def test_import_command_opens_a_file_form_and_posts_the_result(
    app: AppProcess, slack: SlackApiMock, database_url: str
) -> None:
    command(app, slack, "import", channel_id="C0MARKET")
    opened = slack.wait_for("views.open", timeout=15)[0]
    view = opened.json_field("view")
    intro, field = view["blocks"]
    assert "`date`, `metric`, `value`" in intro["text"]["text"]
    assert field["element"]["type"] == "file_input"
    assert field["element"]["filetypes"] == ["csv"] and field["element"]["max_files"] == 1

    def submit(file: dict[str, Any]) -> bytes:
        state = {field["block_id"]: {"value": {"type": "file_input", "files": [file]}}}
        body = view_submission_body(
            view["callback_id"], state, private_metadata=view["private_metadata"]
        )
        status, answer, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
        assert status == 200
        return answer

    picture = slack.add_file(
        "chart.png", b"\x89PNG", token=BOT_TOKEN, filetype="png", mimetype="image/png"
    )
    errors = json.loads(submit(picture))
    assert errors["response_action"] == "errors" and "CSV" in errors["errors"][field["block_id"]]

    assert submit(slack.add_file("november.csv", CSV, token=BOT_TOKEN)) in (b"", b"{}")
    posted = slack.wait_for("chat.postEphemeral", timeout=15)[0]
    assert (posted.channel, posted.body["user"]) == ("C0MARKET", "U0001")
    assert "Imported *2* readings" in posted_text(posted)
    assert len(readings(database_url)) == 2
