"""Every Slack request binds its workspace and a request id for the logs, and buttons, forms
and events are counted by kind: "answered" once dispatched to their listener, "error" when the
dispatch raised (what the listener then decides, e.g. a refusal, is not visible here).

A `Middleware` subclass, not a function middleware: Bolt inspects a function's signature on
every request to inject its arguments, which cost more than the work done here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from smmbot.services.operations import INTERACTIONS, bind_request


class _BindAndCount(Middleware):
    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        bind_request(req.context.team_id or req.context.enterprise_id)
        kind = interaction_kind(req.body)
        try:
            response = next()  # dispatches to the listener, which acknowledges
        except Exception:
            if kind is not None:
                INTERACTIONS.labels(kind=kind, outcome="error").inc()
            raise
        if kind is not None:
            INTERACTIONS.labels(kind=kind, outcome="answered").inc()
        return response


def register(app: App) -> None:
    app.use(_BindAndCount())


def interaction_kind(body: dict[str, Any]) -> str | None:
    """`block_actions:<action_id>`, `view_submission:<callback_id>`, `event:<type>`; None for
    slash commands (counted by the command service, which knows the subcommand)."""
    if "command" in body:
        return None
    kind = str(body.get("type", "unknown"))
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return f"{kind}:{actions[0].get('action_id', '')}"
    if kind in ("view_submission", "view_closed"):
        return f"{kind}:{(body.get('view') or {}).get('callback_id', '')}"
    if kind == "event_callback":
        return f"event:{(body.get('event') or {}).get('type', '')}"
    return kind
