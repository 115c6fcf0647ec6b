"""Which Slack variables select which run mode (DESIGN.md's contract), and what refuses to start."""

from __future__ import annotations

import os

import pytest

from smmbot.config import RunMode, Settings, load_settings

APP = {"SLACK_APP_TOKEN": "xapp-1"}
OAUTH = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "shh"}
SINGLE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "sign"}


def settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """Settings from exactly `env`: no Slack variable of the machine, no `.env` file."""
    for name in [name for name in os.environ if name.startswith("SLACK_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({}, RunMode.CONSOLE),
        (SINGLE, RunMode.HTTP),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, RunMode.HTTP),
        ({"SLACK_SIGNING_SECRET": "sign"}, RunMode.HTTP),
        ({**OAUTH, "SLACK_SIGNING_SECRET": "sign"}, RunMode.OAUTH),
        ({**OAUTH, **SINGLE}, RunMode.OAUTH),
        ({**APP, **SINGLE}, RunMode.SOCKET),
        ({**APP, **OAUTH, **SINGLE}, RunMode.SOCKET),
        ({"SLACK_CLIENT_ID": "111.222", **SINGLE}, RunMode.HTTP),
        ({"SLACK_CLIENT_SECRET": "shh"}, RunMode.CONSOLE),
    ],
)
def test_mode_follows_the_precedence(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], mode: RunMode
) -> None:
    assert settings(monkeypatch, **env).run_mode is mode


def test_oauth_mode_refuses_to_start_without_a_signing_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refusal = settings(monkeypatch, **OAUTH).refusal()
    assert refusal is not None and "SLACK_SIGNING_SECRET" in refusal
    assert settings(monkeypatch, **OAUTH, SLACK_SIGNING_SECRET="sign").refusal() is None


@pytest.mark.parametrize("env", [{}, SINGLE, {**APP, **SINGLE}])
def test_other_modes_start_as_before(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    assert settings(monkeypatch, **env).refusal() is None


@pytest.mark.parametrize(
    ("env", "ignored"),
    [
        ({**OAUTH, **SINGLE}, ["SLACK_BOT_TOKEN"]),
        ({**OAUTH, "SLACK_SIGNING_SECRET": "sign"}, []),
        ({**APP, **OAUTH, **SINGLE}, ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"]),
        ({"SLACK_CLIENT_ID": "111.222", **SINGLE}, ["SLACK_CLIENT_ID"]),
        (SINGLE, []),
    ],
)
def test_unused_slack_variables_are_named(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], ignored: list[str]
) -> None:
    assert settings(monkeypatch, **env).ignored_variables() == ignored


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("WITA", "Asia/Makassar"), ("WIB", "Asia/Jakarta"), ("wit", "Asia/Jayapura"),
     ("Jakarta", "Asia/Jakarta"), ("Europe/Berlin", "Europe/Berlin")],
)  # fmt: skip
def test_the_console_zone_is_read_by_its_usual_names(
    monkeypatch: pytest.MonkeyPatch, typed: str, zone: str
) -> None:
    assert settings(monkeypatch, SMMBOT_CONSOLE_TIMEZONE=typed).smmbot_console_timezone == zone


def test_an_unknown_zone_refuses_to_start_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [name for name in os.environ if name.startswith("SLACK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SMMBOT_CONSOLE_TIMEZONE", "Mars/Base")
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "SMMBOT_CONSOLE_TIMEZONE" in message and "'Mars/Base'" in message
    assert "WIB, WITA, WIT" in message and "Traceback" not in message
