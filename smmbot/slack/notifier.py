"""The outbox's way out to Slack: chat.postMessage (chat.update for a payload's `update_ts`),
with Slack's answers sorted for the engine.

The engine retries with its own backoff and per-channel pacing, and only it knows whether a
message may still be sent (its lease), so this sender never retries by itself: neither
slack_sdk's default connection-error retry nor the rate-limit retry the Bolt app's client has.
A retry hidden in here would make one attempt last longer than the engine's lease margin allows.

Each message goes out with its own workspace's token: the one SLACK_BOT_TOKEN, or in OAuth mode
the bot token the workspace's installation stored (`slack.installations`, which keeps it a
minute), so that a workspace that removed the app has its messages fail for good, with a log
line. A kept token Slack refuses (invalid_auth, token_revoked …) makes the message retry with a
fresh lookup: the workspace may have reinstalled, or removed the app, through another process.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any, Final

from slack_sdk.errors import SlackApiError

from smmbot.domain.outbox import with_outbox_id
from smmbot.rendering import limits
from smmbot.rendering.mrkdwn import escape_mrkdwn
from smmbot.rendering.reply import FileAttachment, files_from_data, reply_from_data
from smmbot.services.outbox import PermanentSendError, RetryLater, WorkspaceNotInstalledError
from smmbot.slack.blocks import fallback_text, home_view, within_blocks
from smmbot.slack.outbox_http import KeepAliveWebApi
from smmbot.slack.posted_lookup import find_in_history

HOME_TS: Final = "home"
"""What a published App Home records as its ts: views.publish answers with a view, not a
message, and nothing edits a Home later by ts (it is published whole again)."""
SEND_TIMEOUT: Final = 10  # seconds; well inside the engine's send margin (see services.outbox)

# ok=false errors that mean "Slack is unwell, try later"; every other error is the message's
# or the channel's fault (channel_not_found, not_in_channel, is_archived, invalid_blocks, …).
_TRANSIENT_ERRORS: Final = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


# Answers that say the token is no good (revoked, expired, its workspace deactivated).
_AUTH_ERRORS: Final = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)

#: The bot token of a workspace (by team id), or None when it has no installation.
BotTokens = Callable[[str], str | None]
#: Told that Slack refused a workspace's token: True when it may have been stale (worth a retry).
RefusedToken = Callable[[str, str], bool]
#: Looks up at once the bot tokens of workspaces whose messages are about to go out.
KeepTokens = Callable[[Collection[str]], None]


def build_message_sender(*, bot_token: str, api_url: str) -> SlackMessageSender:
    """One workspace: the same token and API URL as the Bolt app."""
    return SlackMessageSender(lambda _team_id: bot_token, api_url=api_url)


def build_workspace_message_sender(
    *,
    bot_tokens: BotTokens,
    api_url: str,
    refused: RefusedToken | None = None,
    keep_tokens: KeepTokens | None = None,
) -> SlackMessageSender:
    """Many workspaces (OAuth mode): each message with its workspace's stored bot token."""

    def token_for(team_id: str) -> str:
        token = bot_tokens(team_id)
        if token is None:
            raise WorkspaceNotInstalledError(
                f"workspace {team_id} has no installation any more (the app was removed or its "
                "token revoked)"
            )
        return token

    return SlackMessageSender(token_for, api_url=api_url, refused=refused, keep_tokens=keep_tokens)


class SlackMessageSender:
    """Implements `services.outbox.MessageSender`, `PostedLookup` and `BatchPreparer`;
    `token_for` gives the bot token for a team id, `keep_tokens` (OAuth mode) looks a claimed
    batch's tokens up at once. Messages, and the files that follow a digest, go over kept-alive
    connections (`slack.outbox_http`)."""

    def __init__(
        self,
        token_for: Callable[[str], str],
        *,
        api_url: str,
        refused: RefusedToken | None = None,
        keep_tokens: KeepTokens | None = None,
    ) -> None:
        self._token_for = token_for
        self._refused = refused
        self._keep_tokens = keep_tokens
        self._api = KeepAliveWebApi(api_url=api_url, timeout=SEND_TIMEOUT)

    def prepare(self, team_ids: Collection[str]) -> None:
        if self._keep_tokens is not None:
            self._keep_tokens(team_ids)

    def _failure(
        self, team_id: str, token: str, error: SlackApiError
    ) -> RetryLater | PermanentSendError:
        code = _error_code(error)
        if code in _AUTH_ERRORS and self._refused is not None and self._refused(team_id, token):
            return RetryLater(f"Slack refused the workspace's kept token ({code}); looked up again")
        return _classify(error)

    def _conversation(self, token: str, channel_id: str) -> str:
        """chat.postMessage takes a member's id and posts in their DM, but chat.update needs the
        DM's own id (D…): conversations.open gives it (the same DM every time)."""
        if not channel_id.startswith(("U", "W")):
            return channel_id
        response = self._api.call("conversations.open", token=token, body={"users": channel_id})
        return str((response.get("channel") or {}).get("id") or channel_id)

    def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
        try:
            message = chat_message(payload)
        except (KeyError, TypeError, ValueError) as error:
            raise PermanentSendError(f"unreadable payload: {error!r}") from error
        token = self._token_for(team_id)
        update_ts = payload.get("update_ts")
        try:
            if "files" in payload:  # a message's files, after it (services.outbox_payloads)
                return self._upload(token, channel_id, files_from_data(payload["files"]))
            if payload.get("home") is True:  # a member's App Home, published again
                view = home_view(reply_from_data(payload["reply"]))
                self._api.call(
                    "views.publish", token=token, body={"user_id": channel_id, "view": view}
                )
                return HOME_TS
            if isinstance(update_ts, str):  # an edit of a message already posted
                body = {
                    "channel": self._conversation(token, channel_id),
                    "ts": update_ts,
                    **message,
                }
                self._api.call("chat.update", token=token, body=body)
                return update_ts
            posted = _with_outbox_id(message, payload)
            body = {"channel": channel_id, "unfurl_links": False, **posted}
            response = self._api.call("chat.postMessage", token=token, body=body)
        except SlackApiError as error:
            raise self._failure(team_id, token, error) from error
        except OSError as error:  # refused, reset, timed out
            raise RetryLater(f"network error: {error!r}") from error
        ts = response.get("ts")
        if not isinstance(ts, str):
            raise PermanentSendError(f"Slack answered without a message ts: {response.data!r}")
        return ts

    def find_posted(
        self,
        team_id: str,
        channel_id: str,
        payload: Mapping[str, Any],
        *,
        outbox_id: int,
        since: datetime,
    ) -> str | None:
        """Implements `services.outbox.PostedLookup` with `slack.posted_lookup`; only a post
        can have been made twice (an edit or a Home published again is the same either way; a
        digest's files carry no metadata to find them by, so they are uploaded again)."""
        if payload.get("home") is True or isinstance(payload.get("update_ts"), str):
            return None
        if "files" in payload:
            return None
        token = self._token_for(team_id)
        try:
            channel = self._conversation(token, channel_id)
            return find_in_history(
                self._api, token=token, channel=channel, outbox_id=outbox_id, since=since
            )
        except SlackApiError as error:
            raise self._failure(team_id, token, error) from error
        except OSError as error:
            raise RetryLater(f"network error: {error!r}") from error

    def _upload(self, token: str, channel_id: str, files: tuple[FileAttachment, ...]) -> str:
        """Slack's upload flow, as files_upload_v2 performs it, over the kept-alive connection:
        an upload URL per file, its bytes, then one files.completeUploadExternal sharing them
        in the channel. Returns the first file's id, recorded as the message's ts."""
        shared = []
        for attachment in files:
            body = {"filename": attachment.filename, "length": len(attachment.content)}
            ticket = self._api.call("files.getUploadURLExternal", token=token, body=body, form=True)
            self._api.upload(str(ticket["upload_url"]), attachment.content)
            shared.append({"id": str(ticket["file_id"]), "title": attachment.title})
        body = {"files": shared, "channel_id": channel_id}
        self._api.call("files.completeUploadExternal", token=token, body=body, form=True)
        return shared[0]["id"] if shared else ""


def _with_outbox_id(message: dict[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    outbox_id = payload.get("outbox_id")
    if not isinstance(outbox_id, int):
        return message
    return message | {"metadata": with_outbox_id(message.get("metadata"), outbox_id)}


def chat_message(payload: Mapping[str, Any]) -> dict[str, Any]:
    """`text` and `blocks` for chat.postMessage from either payload form (services.outbox)."""
    if "reply" in payload:
        reply = reply_from_data(payload["reply"])
        note = reply_from_data(payload["late_note"]).blocks if "late_note" in payload else ()
        message = {
            "text": fallback_text(reply),
            "blocks": within_blocks((*reply.blocks, *note), limits.MESSAGE_BLOCKS),
        }
        metadata = payload.get("metadata")  # message metadata: an event for Slack workflows
        return message | ({"metadata": metadata} if isinstance(metadata, dict) else {})
    blocks = [*payload.get("blocks", ()), *payload.get("late_blocks", ())]
    text = payload.get("text")
    return {
        "text": escape_mrkdwn(text) if isinstance(text, str) else text,
        "blocks": blocks or None,
    }


def _error_code(error: SlackApiError) -> str | None:
    response = error.response
    code = response.get("error") if isinstance(response.data, dict) else None
    return code if isinstance(code, str) else None


def _classify(error: SlackApiError) -> RetryLater | PermanentSendError:
    response = error.response
    status = response.status_code
    code = _error_code(error)
    if status == 429:
        return RetryLater("rate limited (429)", retry_after=_retry_after(response.headers))
    if status >= 500 or code in _TRANSIENT_ERRORS:
        return RetryLater(f"Slack answered {status} {code or ''}".rstrip())
    return PermanentSendError(str(code or f"HTTP {status}"))


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None
