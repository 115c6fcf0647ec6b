"""Settings from the environment (and `.env`), the one place configuration is read.

The run mode is derived from which Slack variables are present, exactly as DESIGN.md's contract
says, so that `python app.py` behaves the same for every deployment without extra flags.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("data")


class RunMode(StrEnum):
    SOCKET = "socket"
    HTTP = "http"
    CONSOLE = "console"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = Field(default_factory=lambda: f"sqlite:///{DEFAULT_DATA_DIR / 'smmbot.db'}")
    port: int = 3000
    host: str = "0.0.0.0"  # noqa: S104  (a server must listen beyond loopback by default)
    smmbot_scheduler_interval: float = 30.0
    smmbot_public_url: str | None = None
    smmbot_instagram_hashtag_cap: int = 5
    smmbot_http_threads: int = 32
    smmbot_console_locale: str | None = None
    smmbot_console_timezone: str | None = None

    @property
    def run_mode(self) -> RunMode:
        if self.slack_app_token:
            return RunMode.SOCKET
        if self.slack_bot_token or self.slack_signing_secret:
            return RunMode.HTTP
        return RunMode.CONSOLE

    @property
    def normalised_api_url(self) -> str:
        """slack_sdk joins method names onto the base URL, so it must end with a slash."""
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"
