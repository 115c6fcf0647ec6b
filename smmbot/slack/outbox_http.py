"""The outbox's HTTP connection to Slack's Web API: one pool of kept-alive connections.

Why not slack_sdk's WebClient here: it sends every request through urllib with a new TCP (and,
against slack.com, TLS) connection, and that connection set-up was the largest part of the
engine's CPU for a message in a burst of reminders (`bench/reminder_fanout.py`). The outbox
makes only two calls per message (chat.postMessage, chat.update), both JSON in and JSON out, so
a thin httpx client with a connection pool shared by the engine's sending threads does the same
with none of that cost. Like the sender's former client it never retries by itself (the engine
owns retries, see `slack.notifier`), and it answers in slack_sdk's terms: `SlackApiError` for
ok=false and HTTP errors, `OSError` for the network, so the sender sorts them in one place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

#: Connections kept open at once: the engine's concurrency (services.outbox.DeliveryOptions).
POOL_SIZE: Final = 32


class KeepAliveWebApi:
    """POSTs Web API methods as JSON over a shared pool; thread-safe, like httpx.Client."""

    def __init__(self, *, api_url: str, timeout: float) -> None:
        self._base = api_url if api_url.endswith("/") else f"{api_url}/"
        limits = httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE)
        self._http = httpx.Client(timeout=timeout, limits=limits)

    def call(self, method: str, *, token: str, body: Mapping[str, Any]) -> SlackResponse:
        """The method's answer; raises SlackApiError (ok=false, HTTP >= 400) or OSError."""
        url = self._base + method
        try:
            answer = self._http.post(
                url,
                content=json.dumps(_without_none(body)).encode(),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json;charset=utf-8",
                },
            )
        except httpx.TransportError as error:  # refused, reset, timed out
            raise OSError(f"{type(error).__name__}: {error}") from error
        response = SlackResponse(
            client=None,
            http_verb="POST",
            api_url=url,
            req_args={},
            data=_json_or_empty(answer),
            headers=dict(answer.headers),
            status_code=answer.status_code,
        )
        if answer.status_code != 200 or response.get("ok") is not True:
            reason = f"{method} failed: {response.get('error') or answer.status_code}"
            raise SlackApiError(reason, response)  # type: ignore[no-untyped-call]
        return response


def _without_none(body: Mapping[str, Any]) -> dict[str, Any]:
    """As slack_sdk does: an argument given as None is not sent at all."""
    return {key: value for key, value in body.items() if value is not None}


def _json_or_empty(answer: httpx.Response) -> dict[str, Any]:
    try:
        data = answer.json()
    except ValueError:  # an HTML error page from a proxy, an empty 503
        return {}
    return data if isinstance(data, dict) else {}
