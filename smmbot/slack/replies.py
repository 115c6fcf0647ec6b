"""Delivering a `Reply` in Slack: a modal when it carries a form, else a message."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from smmbot.rendering.reply import Reply
from smmbot.slack.blocks import message_payload, modal_view

log = logging.getLogger(__name__)


def deliver(
    reply: Reply,
    *,
    respond: Respond,
    client: WebClient,
    trigger_id: str | None,
    channel_id: str | None = None,
    user_id: str | None = None,
) -> None:
    """A form opens as a modal (the trigger is only valid for 3 s, so this runs right after the
    ack); if Slack refuses the modal, the reply's text version is sent instead. Files go to the
    channel, or to `user_id`'s DM with the bot when the reply keeps them private."""
    if reply.form is not None and trigger_id:
        try:
            client.views_open(trigger_id=trigger_id, view=modal_view(reply.form))
            return
        except SlackApiError:
            log.warning("views.open failed; answering with the text version", exc_info=True)
    respond(**message_payload(reply), replace_original=False)
    if reply.files_in_dm and user_id and reply.files:
        try:
            dm = client.conversations_open(users=user_id)["channel"]["id"]
        except SlackApiError:
            log.warning("could not open a DM with %s for its files", user_id, exc_info=True)
            return
        upload_files(reply, client=client, channel_id=str(dm))
    elif channel_id and not reply.files_in_dm:
        upload_files(reply, client=client, channel_id=channel_id)


def upload_files(reply: Reply, *, client: WebClient, channel_id: str) -> None:
    """Through Slack's current upload flow (files.getUploadURLExternal + completeUploadExternal,
    which files_upload_v2 performs). A failed upload is logged: the message itself went out."""
    for attachment in reply.files:
        try:
            client.files_upload_v2(
                channel=channel_id,
                content=attachment.content,
                filename=attachment.filename,
                title=attachment.title,
            )
        except SlackApiError:
            log.warning("upload of %s to %s failed", attachment.filename, channel_id, exc_info=True)


def post_privately(
    reply: Reply, *, client: WebClient, channel_id: str | None, user_id: str
) -> None:
    """After a modal there is no response_url: show the result only to its author, in the channel
    it was started from, or in a DM when the bot cannot post there."""
    payload = _post_payload(reply)
    if channel_id:
        try:
            client.chat_postEphemeral(channel=channel_id, user=user_id, **payload)
            return
        except SlackApiError:
            log.info("ephemeral post to %s failed; sending a DM instead", channel_id)
    client.chat_postMessage(channel=user_id, **payload)


def post_message(reply: Reply, *, client: WebClient, channel_id: str) -> None:
    """An answer to a message (not a command): there is no response_url, so it is posted."""
    client.chat_postMessage(channel=channel_id, **_post_payload(reply))


def _post_payload(reply: Reply) -> dict[str, Any]:
    """chat.postMessage and chat.postEphemeral take the message without `response_type`."""
    return {key: value for key, value in message_payload(reply).items() if key != "response_type"}
