"""Every Slack request binds its workspace and a request id for the logs, and buttons, forms
and events are counted by kind and by how their acknowledgement went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from smmbot.services.operations import INTERACTIONS, bind_request


def register(app: App) -> None:
    @app.middleware
    def bind_and_count(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        bind_request(context.team_id or context.enterprise_id)
        kind = interaction_kind(body)
        try:
            response = next()
        except Exception:
            if kind is not None:
                INTERACTIONS.labels(kind=kind, outcome="error").inc()
            raise
        if kind is not None:
            outcome = "answered" if response.status < 400 else "error"
            INTERACTIONS.labels(kind=kind, outcome=outcome).inc()
        return response


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
