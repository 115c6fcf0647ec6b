"""Builds the Bolt app: one WebClient on SLACK_API_URL, our own listener thread pool, listeners."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from wsgiref.types import WSGIApplication

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from smmbot.services.context import ServiceContext
from smmbot.slack.listeners import calendar, commands, drafts, home, imports
from smmbot.slack.listeners.interactions import register_buttons, register_forms


def build_bolt_app(
    *,
    ctx: ServiceContext,
    bot_token: str,
    signing_secret: str | None,
    api_url: str,
    executor: ThreadPoolExecutor,
) -> App:
    client = WebClient(token=bot_token, base_url=api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    app = App(
        client=client,
        signing_secret=signing_secret,
        listener_executor=executor,
        process_before_response=False,
    )
    commands.register(app, ctx)
    home.register(app, ctx)
    imports.register(app, ctx)
    register_buttons(app, ctx, {**drafts.BUTTONS, **calendar.BUTTONS})
    register_forms(app, ctx, {**drafts.FORMS, **calendar.FORMS})
    return app


def wsgi_endpoint(app: App) -> WSGIApplication:
    handler: WSGIApplication = SlackRequestHandler(app)
    return handler


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
