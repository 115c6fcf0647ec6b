"""Request context in JSON logs, carried into listener threads; the sync counter for connectors."""

from __future__ import annotations

import json
import logging

from smmbot.services.operations import (
    REGISTRY,
    ContextExecutor,
    JsonLogFormatter,
    bind_request,
    record_sync,
)
from smmbot.slack.operations import interaction_kind


def log_line(message: str) -> dict[str, str]:
    record = logging.LogRecord("smmbot", logging.INFO, __file__, 1, message, (), None)
    entry: dict[str, str] = json.loads(JsonLogFormatter().format(record))
    return entry


def test_a_listener_thread_logs_with_the_workspace_and_request_id_its_request_bound() -> None:
    request_id = bind_request("T0LOG")
    with ContextExecutor(max_workers=1) as executor:
        entry = executor.submit(log_line, "after the ack").result()
    assert (entry["team_id"], entry["request_id"]) == ("T0LOG", request_id)
    assert entry["message"] == "after the ack" and entry["level"] == "INFO"
    assert bind_request("T0OTHER") != request_id


def test_a_recorded_sync_is_counted_by_source_and_outcome() -> None:
    def count() -> float:
        labels = {"source": "meta", "outcome": "rate_limited"}
        return REGISTRY.get_sample_value("smmbot_syncs_total", labels) or 0.0

    before = count()
    record_sync("meta", "rate_limited")
    assert count() == before + 1


def test_interactions_are_named_by_their_closed_ids() -> None:
    assert interaction_kind({"command": "/smm"}) is None
    click = {"type": "block_actions", "actions": [{"action_id": "calendar_cancel", "value": "7"}]}
    assert interaction_kind(click) == "block_actions:calendar_cancel"
    form = {"type": "view_submission", "view": {"callback_id": "draft_form"}}
    assert interaction_kind(form) == "view_submission:draft_form"
    event = {"type": "event_callback", "event": {"type": "app_home_opened"}}
    assert interaction_kind(event) == "event:app_home_opened"
