"""Builds the Bolt app: a WebClient on SLACK_API_URL, our own listener thread pool, listeners.

Two kinds: one workspace on SLACK_BOT_TOKEN (HTTP and Socket Mode), or many workspaces, each
request authorised with the token its installation stored (OAuth mode).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Final, cast
from wsgiref.types import WSGIApplication

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from smmbot.rendering.i18n import SUPPORTED_LOCALES, Translator
from smmbot.services.context import ServiceContext
from smmbot.slack import operations
from smmbot.slack.listeners import (
    approval,
    calendar,
    campaigns,
    commands,
    drafts,
    home,
    metrics_import,
    recurring,
    sources,
    templates,
    workflows,
)
from smmbot.slack.listeners.interactions import register_buttons, register_forms

# Bolt switches any App to OAuth with a file-based store when it sees these in the environment.
_BOLT_OAUTH_VARIABLES: Final = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
# Bolt's name for the app; without one it takes it from `inspect.stack()`, which resolves the
# source file of every module loaded (about 1,000 at start: 20 ms of a 0.5 s start, issue 16).
_APP_NAME: Final = "smmbot"
# Events a workspace sends when it removes the app; OAuth mode deletes its installation then.
_UNINSTALL_EVENTS: Final = ("app_uninstalled", "tokens_revoked")


def build_bolt_app(
    *,
    ctx: ServiceContext,
    bot_token: str,
    signing_secret: str | None,
    api_url: str,
    executor: ThreadPoolExecutor,
) -> App:
    """One workspace: every request and every call uses SLACK_BOT_TOKEN."""
    with _environment_without(_BOLT_OAUTH_VARIABLES):  # Settings chose the mode already
        app = App(
            name=_APP_NAME,
            client=_web_client(bot_token, api_url),
            signing_secret=signing_secret,
            listener_executor=executor,
            process_before_response=False,
        )
    _register_listeners(app, ctx)
    for event in _UNINSTALL_EVENTS:  # the HTTP manifest subscribes them for OAuth mode
        app.event(event)(_nothing_to_forget)
    return app


def build_oauth_bolt_app(
    *,
    ctx: ServiceContext,
    oauth: OAuthSettings,
    signing_secret: str,
    api_url: str,
    executor: ThreadPoolExecutor,
) -> App:
    """Many workspaces: each request runs with its workspace's stored bot token; a workspace
    without an installation gets Bolt's refusal, in our words. `/slack/install` and
    `/slack/oauth_redirect` go through the same WSGI endpoint as `/slack/events`."""
    client = _web_client(None, api_url)  # oauth.v2.access, and the template of request clients
    app = App(
        name=_APP_NAME,
        client=client,
        signing_secret=signing_secret,
        oauth_settings=oauth,
        installation_store=oauth.installation_store,
        # Bolt's own, on the bot rows only (the ones uninstalling and token revocation delete,
        # and the ones background sends use), with auth.test's answer cached per token as the
        # single-workspace app caches it once: no acknowledgement waits for that call again,
        # and a removed workspace is still refused, since its bot row is looked up first. The
        # cast: Bolt types `authorize` as a function, yet documents and accepts an Authorize.
        authorize=cast(
            "Callable[..., AuthorizeResult]",
            InstallationStoreAuthorize(
                logger=logging.getLogger(__name__),
                installation_store=oauth.installation_store,
                client_id=oauth.client_id,
                client_secret=oauth.client_secret,
                bot_only=True,
                cache_enabled=True,
                client=client,
            ),
        ),
        user_facing_authorize_error_message=_not_installed_message(),
        listener_executor=executor,
        process_before_response=False,
    )
    _register_listeners(app, ctx)
    app.enable_token_revocation_listeners()
    return app


def oauth_paths(app: App) -> tuple[str, ...]:
    """The GET paths of the install flow, empty when the app has none."""
    flow = app.oauth_flow
    return () if flow is None else (flow.install_path, flow.redirect_uri_path)


def wsgi_endpoint(app: App) -> WSGIApplication:
    handler: WSGIApplication = SlackRequestHandler(app)
    return handler


def _web_client(token: str | None, api_url: str) -> WebClient:
    client = WebClient(token=token, base_url=api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    return client


def _register_listeners(app: App, ctx: ServiceContext) -> None:
    """`/smm` first: Bolt tries listeners in registration order, and each one passed over costs
    an argument-injection call on every request, so the commonest request is matched at once.
    The uninstall listeners come after all of these (their events match nothing else)."""
    operations.register(app)
    commands.register(app, ctx)
    home.register(app, ctx)
    metrics_import.register(app, ctx)
    register_buttons(
        app,
        ctx,
        {
            **drafts.BUTTONS,
            **calendar.BUTTONS,
            **recurring.BUTTONS,
            **sources.BUTTONS,
            **approval.BUTTONS,
        },
    )
    register_forms(
        app,
        ctx,
        {
            **drafts.FORMS,
            **calendar.FORMS,
            **campaigns.FORMS,
            **templates.FORMS,
            **approval.FORMS,
        },
    )
    workflows.register(app, ctx)


def _nothing_to_forget() -> None:
    """One workspace keeps its token in the environment: acknowledging is all there is to do."""


def _not_installed_message() -> str:
    """In every language: without an installation there is no member profile to choose from."""
    return "\n".join(Translator(locale).plain("install.missing") for locale in SUPPORTED_LOCALES)


@contextmanager
def _environment_without(names: tuple[str, ...]) -> Iterator[None]:
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


class SlackConnectionError(RuntimeError):
    """Slack refused the Socket Mode connection (bad or wrong kind of app token, no network)."""


def connect_socket_mode(app: App, *, app_token: str) -> Callable[[], None]:
    """Opens the Socket Mode connection and returns the function that closes it."""
    handler = SocketModeHandler(app, app_token=app_token)
    try:
        handler.connect()  # type: ignore[no-untyped-call]
    except (SlackApiError, OSError) as error:
        raise SlackConnectionError(str(error).splitlines()[-1]) from error
    return lambda: handler.close()  # type: ignore[no-untyped-call]
