from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

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


def test_socket_and_http_manifests_differ_only_in_transport() -> None:
    socket, http = load("socket-mode.yaml"), load("http.yaml")
    assert socket["settings"]["socket_mode_enabled"] is True
    assert http["settings"]["socket_mode_enabled"] is False
    endpoint = "https://smmbot.example.com/slack/events"
    assert http["features"]["slash_commands"][0]["url"] == endpoint
    assert http["settings"]["interactivity"]["request_url"] == endpoint
    assert http["settings"]["event_subscriptions"]["request_url"] == endpoint
    assert socket["oauth_config"] == http["oauth_config"]
