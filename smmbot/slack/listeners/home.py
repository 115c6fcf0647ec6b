"""App Home: refreshed each time a member opens the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from smmbot.services.context import ServiceContext
from smmbot.services.home import home_tab
from smmbot.services.interactions import answer_event
from smmbot.slack.actors import interaction_from_payload
from smmbot.slack.blocks import home_view
from smmbot.slack.profiles import slack_profile_lookup


def register(app: App, ctx: ServiceContext) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        payload = {"team": {"id": body.get("team_id")}, "user": {"id": event["user"]}}
        reply = answer_event(  # while the database is down the tab says so
            ctx=ctx,
            interaction=interaction_from_payload(payload, "app home"),
            lookup_profile=slack_profile_lookup(client),
            act=home_tab,
        )
        client.views_publish(user_id=event["user"], view=home_view(reply))
