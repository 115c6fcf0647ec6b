"""Socket Mode start-up: Slack itself is out of reach, so this checks what the app asks of it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.app_process import PROJECT_ROOT
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.e2e


def test_app_token_selects_socket_mode_on_the_configured_api_url(
    slack: SlackApiMock, tmp_path: Path
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env |= {
        "SLACK_APP_TOKEN": "xapp-1-socket",
        "SLACK_BOT_TOKEN": "xoxb-socket",
        "SLACK_API_URL": slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'socket.db'}",
    }
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    opened = slack.calls("apps.connections.open")
    assert len(opened) == 1
    assert opened[0].header("Authorization") == "Bearer xapp-1-socket"
    # The mock refuses like Slack does for a wrong token: a clear log line and exit 1, no traceback.
    assert result.returncode == 1
    assert "could not open a Socket Mode connection: " in result.stderr
    assert "not_allowed_token_type" in result.stderr
    assert "Traceback" not in result.stderr
