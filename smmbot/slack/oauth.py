"""OAuth mode's install flow: Bolt's `OAuthSettings` with our paths, scopes, stores and Slack host.

- Scopes come from `manifest/http.yaml`, the file the Slack app is created from, so the install
  asks for exactly what the app was configured with and the two cannot drift apart.
- The authorize URL is on the host of SLACK_API_URL (`https://slack.com/api/` →
  `https://slack.com/oauth/v2/authorize`, Bolt's default), so a GovSlack deployment sends its
  installers to GovSlack without a setting of its own.
- `/slack/install` redirects straight to Slack (302 with the state cookie) instead of showing
  Bolt's English "Add to Slack" page; the pages after Slack's redirect are Bolt's defaults.
- No redirect_uri is sent: Slack then uses the one URL in the manifest's `redirect_urls`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import yaml
from slack_bolt.oauth.oauth_settings import OAuthSettings
from sqlalchemy import Engine

from smmbot.slack.installations import (
    STATE_EXPIRATION_SECONDS,
    WorkspaceInstallations,
    oauth_state_store,
)

INSTALL_PATH: Final = "/slack/install"
REDIRECT_PATH: Final = "/slack/oauth_redirect"
HTTP_MANIFEST: Final = Path(__file__).resolve().parents[2] / "manifest" / "http.yaml"


def manifest_bot_scopes(manifest: Path = HTTP_MANIFEST) -> list[str]:
    with manifest.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    scopes = document["oauth_config"]["scopes"]["bot"]
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
        raise ValueError(f"{manifest}: oauth_config.scopes.bot must be a list of scope names")
    return scopes


def authorization_url(api_url: str) -> str:
    """Slack's browser-facing authorize page on the Web API's host."""
    parts = urlsplit(api_url)
    return urlunsplit((parts.scheme, parts.netloc, "/oauth/v2/authorize", "", ""))


def oauth_settings(
    *,
    client_id: str,
    client_secret: str,
    installations: WorkspaceInstallations,
    engine: Engine,
    api_url: str,
) -> OAuthSettings:
    return OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=manifest_bot_scopes(),
        user_scopes=[],
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(api_url),
        installation_store=installations,
        installation_store_bot_only=True,  # as the app's authorize: see slack.app
        state_store=oauth_state_store(engine),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
