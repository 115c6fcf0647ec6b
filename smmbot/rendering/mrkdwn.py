"""Escaping for Slack mrkdwn.

Slack treats `<...>` as links and special mentions (`<!channel>`, `<@U123>`), and decodes only
`&amp;`, `&lt;` and `&gt;`. Escaping those three characters in every piece of untrusted text is
therefore both necessary and sufficient to stop a user from making the bot ping a channel.
"""

from __future__ import annotations

import re


class Mrkdwn(str):
    """Text that is already valid mrkdwn (our own markup or escaped content): not escaped again."""

    __slots__ = ()


def escape_mrkdwn(text: str) -> Mrkdwn:
    if isinstance(text, Mrkdwn):
        return text
    return Mrkdwn(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def unescape_mrkdwn(text: str) -> str:
    """For surfaces that are not Slack (the console), which show the characters themselves."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack_link(url: str, label: str | None = None) -> Mrkdwn:
    """A Slack link `<url|label>` (or `<url>`, which shows the URL itself) that cannot break out.

    In the URL only `&`, `<` and `>` are entity-escaped (Slack decodes exactly those back), and
    `|` is percent-encoded because Slack would end the URL there; browsers read `%7C` the same.
    The label is ordinary text, so it gets the usual escaping.
    """
    target = url.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    target = target.replace("|", "%7C")
    if label is None:
        return Mrkdwn(f"<{target}>")
    return Mrkdwn(f"<{target}|{escape_mrkdwn(label)}>")


_SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


def mention(user_id: str) -> Mrkdwn:
    """A deliberate mention of a member (an owner, a reminder's recipient). Only a well-formed
    Slack user id becomes a mention, so no input can turn into `<!channel>`."""
    if not _SLACK_ID.fullmatch(user_id):
        return escape_mrkdwn(user_id)
    return Mrkdwn(f"<@{user_id}>")
