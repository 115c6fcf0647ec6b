"""OAuth mode's install flow: Bolt's `OAuthSettings` with our paths, scopes, stores and Slack host.

- Scopes come from `manifest/http.yaml`, the file the Slack app is created from, so the install
  asks for exactly what the app was configured with and the two cannot drift apart.
- The authorize URL is on the host of SLACK_API_URL (`https://slack.com/api/` →
  `https://slack.com/oauth/v2/authorize`, Bolt's default), so a GovSlack deployment sends its
  installers to GovSlack without a setting of its own.
- `/slack/install` redirects straight to Slack (302 with the state cookie) instead of showing
  Bolt's English "Add to Slack" page; the pages after Slack's redirect are ours
  (`rendering.install_pages`), in the browser's language, where Bolt's are English only.
- No redirect_uri is sent: Slack then uses the one URL in the manifest's `redirect_urls`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import yaml
from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from sqlalchemy import Engine

from smmbot.rendering.i18n import Translator
from smmbot.rendering.install_pages import failed_page, installed_page, page_locale
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
        callback_options=CallbackOptions(success=_installed, failure=_not_installed),
    )


def _installed(args: SuccessArgs) -> BoltResponse:
    """Bolt's success response, with our page: on to the Slack app, as Bolt's page does."""
    installation = args.installation
    if installation.is_enterprise_install and installation.enterprise_url:
        open_url = (
            f"{installation.enterprise_url}manage/organization/apps/profile/"
            f"{installation.app_id}/workspaces/add"
        )
    elif installation.team_id and installation.app_id:
        open_url = f"slack://app?team={installation.team_id}&id={installation.app_id}"
    else:
        open_url = "slack://open"
    page = installed_page(
        _installer_language(args.request.headers),
        open_url=open_url,
        browser_url=f"https://app.slack.com/client/{installation.team_id or ''}",
    )
    return _page_response(200, page, args.settings)


def _not_installed(args: FailureArgs) -> BoltResponse:
    page = failed_page(
        _installer_language(args.request.headers),
        install_path=args.settings.install_path,
        reason=args.reason,
    )
    return _page_response(args.suggested_status_code, page, args.settings)


def _installer_language(headers: dict[str, Sequence[str]]) -> Translator:
    return Translator(page_locale(next(iter(headers.get("accept-language", ())), None)))


def _page_response(status: int, page: str, settings: OAuthSettings) -> BoltResponse:
    """The state cookie is spent either way, so it is deleted as Bolt's own pages do."""
    return BoltResponse(
        status=status,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": settings.state_utils.build_set_cookie_for_deletion(),
        },
        body=page,
    )
