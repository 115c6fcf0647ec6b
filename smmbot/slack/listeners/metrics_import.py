"""Metric CSV files, dropped into a DM with the bot or picked in `/smm import`'s form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from smmbot.rendering.metrics_import import FILE_FIELD, IMPORT_FORM_CALLBACK
from smmbot.rendering.reply import Reply
from smmbot.services.context import FormOutcome, FormRequest, InteractionRequest, ServiceContext
from smmbot.services.interactions import Form, answer_event, submit_form
from smmbot.services.metrics_import_files import (
    SharedFile,
    import_form_errors,
    import_shared_file,
    submit_import_form,
)
from smmbot.slack.actors import interaction_from_payload
from smmbot.slack.blocks import submitted_files
from smmbot.slack.files import shared_files, slack_download
from smmbot.slack.profiles import slack_profile_lookup
from smmbot.slack.replies import post_message, post_privately


def _from_a_member_with_files(event: dict[str, Any], context: BoltContext) -> bool:
    """Only a member's own message in a DM with the bot: never the bot's (or another bot's)
    messages, which would answer themselves, and never edits, which carry no `files`."""
    return (
        event.get("channel_type") == "im"
        and bool(event.get("files"))
        and not event.get("bot_id")
        and event.get("user") not in (None, context.bot_user_id)
    )


def register(app: App, ctx: ServiceContext) -> None:
    @app.event("message")
    def on_message(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if _from_a_member_with_files(event, context):
            _import_dm_files(ctx, event, body, client)

    @app.view(IMPORT_FORM_CALLBACK)
    def on_import_form(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        _submit_import_form(ctx, ack, body, view, client)


def _import_dm_files(
    ctx: ServiceContext, event: dict[str, Any], body: dict[str, Any], client: WebClient
) -> None:
    """Each file of the message is imported on its own and answered in the DM."""
    channel = event["channel"]
    payload = {"team": {"id": body.get("team_id")}, "user": {"id": event["user"]}}
    who = interaction_from_payload({**payload, "channel": {"id": channel}}, "shared file")
    download = slack_download(client)
    for file in shared_files(event["files"], client):

        def import_file(request: InteractionRequest, file: SharedFile = file) -> Reply:
            return import_shared_file(request, file=file, download=download)

        reply = answer_event(
            ctx=ctx,
            interaction=who,
            lookup_profile=slack_profile_lookup(client),
            act=import_file,
        )
        post_message(reply, client=client, channel_id=channel)


def _submit_import_form(
    ctx: ServiceContext, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """The form is checked before the ack (so errors show on the field), imported after it."""
    who = interaction_from_payload(body, f"form {IMPORT_FORM_CALLBACK}")
    files = shared_files(submitted_files(view).get(FILE_FIELD, []), client)

    def submit(form: Form) -> FormOutcome:
        return submit_form(
            ctx=ctx,
            interaction=who,
            lookup_profile=slack_profile_lookup(client),
            form=form,
            metadata=str(view.get("private_metadata") or ""),
            values={},
            field_names=(FILE_FIELD,),
        )

    checked = submit(Form(lambda request: FormOutcome(import_form_errors(request.tr, files))))
    if checked.errors:
        ack(response_action="errors", errors=dict(checked.errors))
        return
    ack()  # the download and the import may take longer than Slack waits
    outcome = checked
    if checked.reply is None:
        download = slack_download(client)

        def import_picked(request: FormRequest) -> FormOutcome:
            return submit_import_form(request, file=files[0], download=download)

        outcome = submit(Form(import_picked))
    if outcome.reply is not None:
        post_privately(
            outcome.reply, client=client, channel_id=outcome.channel_id, user_id=who.user_id
        )
