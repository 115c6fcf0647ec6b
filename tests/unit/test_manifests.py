from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from smmbot.domain.workflows import (
    GET_PUBLISHED_POST,
    PUBLISHED_EVENT,
    REVIEW_DECIDED_EVENT,
    REVIEW_REQUESTED_EVENT,
)

MANIFESTS = Path(__file__).resolve().parents[2] / "manifest"


def load(name: str) -> dict[str, Any]:
    manifest: dict[str, Any] = yaml.safe_load((MANIFESTS / name).read_text())
    return manifest


@pytest.mark.parametrize("name", ["socket-mode.yaml", "http.yaml"])
def test_manifest_declares_what_the_features_need(name: str) -> None:
    manifest = load(name)
    features, settings = manifest["features"], manifest["settings"]
    assert [command["command"] for command in features["slash_commands"]] == ["/smm"]
    assert features["app_home"]["home_tab_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert {"app_home_opened", "message.im"} <= set(settings["event_subscriptions"]["bot_events"])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "files:write"} <= scopes
    assert {"files:read", "im:history"} <= scopes  # CSV files shared in a DM or the import form
    assert {"usergroups:read", "im:write"} <= scopes  # approvers as a group, review DMs edited


def test_socket_and_http_manifests_differ_in_transport_and_oauth_only() -> None:
    socket, http = load("socket-mode.yaml"), load("http.yaml")
    assert socket["settings"]["socket_mode_enabled"] is True
    assert http["settings"]["socket_mode_enabled"] is False
    endpoint = "https://smmbot.example.com/slack/events"
    assert http["features"]["slash_commands"][0]["url"] == endpoint
    assert http["settings"]["interactivity"]["request_url"] == endpoint
    assert http["settings"]["event_subscriptions"]["request_url"] == endpoint
    assert socket["oauth_config"]["scopes"] == http["oauth_config"]["scopes"]


def test_the_http_manifest_is_ready_for_multi_workspace_installs() -> None:
    http, socket = load("http.yaml"), load("socket-mode.yaml")
    redirect = "https://smmbot.example.com/slack/oauth_redirect"
    assert http["oauth_config"]["redirect_urls"] == [redirect]
    uninstall = {"app_uninstalled", "tokens_revoked"}
    assert uninstall <= set(http["settings"]["event_subscriptions"]["bot_events"])
    assert not uninstall & set(socket["settings"]["event_subscriptions"]["bot_events"])


@pytest.mark.parametrize("name", ["socket-mode.yaml", "http.yaml"])
def test_manifest_offers_the_workflow_step_and_the_published_event(name: str) -> None:
    """The names the code uses (domain/workflows.py) are the ones Slack is told about."""
    manifest = load(name)
    step = manifest["functions"][GET_PUBLISHED_POST]
    assert step["title"] and step["description"]
    assert set(step["input_parameters"]["properties"]) == {"item_id"}
    assert step["input_parameters"]["required"] == ["item_id"]
    outputs = step["output_parameters"]
    assert set(outputs["required"]) <= set(outputs["properties"])
    assert {"text", "url", "published_by"} <= set(outputs["properties"])
    inputs = step["input_parameters"]["properties"]
    for parameter in (*inputs.values(), *outputs["properties"].values()):
        assert parameter["type"] and parameter["title"] and parameter["description"]
    settings = manifest["settings"]
    assert "function_executed" in settings["event_subscriptions"]["bot_events"]
    assert settings["function_runtime"] == "remote" and settings["org_deploy_enabled"] is True
    subscriptions = settings["event_subscriptions"]["metadata_subscriptions"]
    for event in (PUBLISHED_EVENT, REVIEW_REQUESTED_EVENT, REVIEW_DECIDED_EVENT):
        assert {"app_id": "*", "event_type": event} in subscriptions
    assert "im:write" in manifest["oauth_config"]["scopes"]["bot"]  # the export's DM
