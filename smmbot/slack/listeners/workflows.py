"""Workflow Builder custom steps (Bolt's `@app.function`): Slack sends `function_executed`,
the listener answers with functions.completeSuccess (`complete`) or functions.completeError
(`fail`). Bolt acknowledges the event itself and calls Slack with the step's own token."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Complete, Fail

from smmbot.domain.workflows import GET_PUBLISHED_POST
from smmbot.services.context import ServiceContext
from smmbot.services.workflows import run_published_post_step


def register(app: App, ctx: ServiceContext) -> None:
    @app.function(GET_PUBLISHED_POST)
    def get_published_post(
        body: dict[str, Any], inputs: dict[str, Any], complete: Complete, fail: Fail
    ) -> None:
        team_id = str(body.get("team_id", ""))
        outcome = run_published_post_step(ctx, team_id=team_id, inputs=inputs)
        if outcome.outputs is None:
            fail(outcome.error or "")
        else:
            complete(outputs=outcome.outputs)
