"""Escaping for Slack mrkdwn.

Slack treats `<...>` as links and special mentions (`<!channel>`, `<@U123>`), and decodes only
`&amp;`, `&lt;` and `&gt;`. Escaping those three characters in every piece of untrusted text is
therefore both necessary and sufficient to stop a user from making the bot ping a channel.
"""

from __future__ import annotations


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
