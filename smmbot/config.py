"""Settings from the environment (and `.env`), the one place configuration is read.

The run mode is derived from which Slack variables are present, exactly as DESIGN.md's contract
says, so that `python app.py` behaves the same for every deployment without extra flags.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from smmbot.domain.timezones import canonical_zone

DEFAULT_DATA_DIR = Path("data")


class RunMode(StrEnum):
    SOCKET = "socket"
    OAUTH = "oauth"  # HTTP, many workspaces, each with the token its installation stored
    HTTP = "http"  # HTTP, one workspace, SLACK_BOT_TOKEN
    CONSOLE = "console"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = Field(default_factory=lambda: f"sqlite:///{DEFAULT_DATA_DIR / 'smmbot.db'}")
    port: int = 3000
    host: str = "0.0.0.0"  # noqa: S104  (a server must listen beyond loopback by default)
    smmbot_scheduler_interval: float = 30.0
    smmbot_public_url: str | None = None
    smmbot_instagram_hashtag_cap: int = 5
    smmbot_http_threads: int = 32
    smmbot_digest_helpers: int = Field(default=1, ge=0)  # per bot process, PostgreSQL only
    smmbot_console_locale: str | None = None
    smmbot_console_timezone: str | None = None
    smmbot_metrics_token: str | None = None  # when set, GET /metrics needs it as a bearer token
    smmbot_log_format: Literal["text", "json"] = "text"

    @field_validator("smmbot_console_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        """WITA or Jakarta become their IANA key here; a name that is no zone stops the start,
        rather than every later command that reads the time."""
        if value is None or not value.strip():
            return None
        zone = canonical_zone(value)
        if zone is None:
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as Asia/Jakarta,"
                " or WIB, WITA, WIT"
            )
        return zone

    # Metric sources (connectors), DESIGN.md "Metric sources (connectors)".
    smmbot_secret_key: str | None = None
    google_client_id: str | None = None
    google_client_secret: str | None = None
    meta_app_id: str | None = None
    meta_app_secret: str | None = None
    smmbot_google_accounts_url: str = "https://accounts.google.com"
    smmbot_google_token_url: str = "https://oauth2.googleapis.com/token"  # noqa: S105
    smmbot_ga4_data_url: str = "https://analyticsdata.googleapis.com"
    smmbot_ga4_admin_url: str = "https://analyticsadmin.googleapis.com"
    smmbot_meta_graph_url: str = "https://graph.facebook.com"
    smmbot_meta_www_url: str = "https://www.facebook.com"
    smmbot_sync_hour: int = Field(default=6, ge=0, le=23)
    smmbot_sync_lease_seconds: float = Field(default=900.0, gt=0)

    @property
    def run_mode(self) -> RunMode:
        if self.slack_app_token:
            return RunMode.SOCKET
        if self.slack_client_id and self.slack_client_secret:
            return RunMode.OAUTH
        if self.slack_bot_token or self.slack_signing_secret:
            return RunMode.HTTP
        return RunMode.CONSOLE

    def refusal(self) -> str | None:
        """Why the chosen mode must not start (logged, then the app exits 1), or None.

        Without a signing secret Bolt checks signatures against an empty one, which anyone can
        forge: a multi-workspace app reachable by every workspace must never run that way.
        """
        if self.run_mode is RunMode.OAUTH and not self.slack_signing_secret:
            return "OAuth mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) needs SLACK_SIGNING_SECRET"
        return None

    def ignored_variables(self) -> list[str]:
        """Slack variables that are set but that the chosen mode does not use (worth a warning:
        someone expected them to matter)."""
        if self.run_mode is RunMode.OAUTH:
            return ["SLACK_BOT_TOKEN"] if self.slack_bot_token else []
        oauth = (
            ("SLACK_CLIENT_ID", self.slack_client_id),
            ("SLACK_CLIENT_SECRET", self.slack_client_secret),
        )
        return [name for name, value in oauth if value]

    @property
    def normalised_api_url(self) -> str:
        """slack_sdk joins method names onto the base URL, so it must end with a slash."""
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"


def load_settings() -> Settings:
    """Settings from the environment, or a plain explanation of each bad variable on stderr and
    exit status 2: a mistyped value is the operator's to fix, and a traceback hides it."""
    try:
        return Settings()
    except ValidationError as error:
        for problem in error.errors():
            variable = "_".join(str(part) for part in problem["loc"]).upper()
            message = problem["msg"].removeprefix("Value error, ")
            print(f"smmbot cannot start: {variable}: {message}", file=sys.stderr)
        raise SystemExit(2) from None
