from __future__ import annotations

from smmbot.console.printer import format_reply
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.reply import (
    Actions,
    Button,
    ButtonStyle,
    Context,
    Divider,
    Header,
    Reply,
    Section,
)
from smmbot.slack.blocks import SECTION_LIMIT, message_payload

REPLY = Reply(
    blocks=(
        Header("Weekly digest"),
        Section(Mrkdwn("*Reach* 1.200 &lt;b&gt;"), fields=(Mrkdwn("a"), Mrkdwn("b"))),
        Divider(),
        Context(Mrkdwn("see <https://toko.id|our site>")),
        Actions(
            (Button("Publish", "publish", "42", ButtonStyle.PRIMARY), Button("Later", "later"))
        ),
    ),
    fallback="digest",
)


def test_reply_becomes_block_kit() -> None:
    payload = message_payload(REPLY)
    assert payload["response_type"] == "ephemeral"
    assert payload["text"] == "digest"
    header, section, divider, context, actions = payload["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Weekly digest", "emoji": True},
    }
    assert section["text"] == {"type": "mrkdwn", "text": "*Reach* 1.200 &lt;b&gt;"}
    assert [field["text"] for field in section["fields"]] == ["a", "b"]
    assert divider == {"type": "divider"}
    assert context["elements"][0]["type"] == "mrkdwn"
    primary, plain = actions["elements"]
    assert primary["style"] == "primary" and primary["value"] == "42"
    assert "style" not in plain


def test_public_reply_is_in_channel() -> None:
    assert (
        message_payload(Reply(blocks=(), fallback="x", public=True))["response_type"]
        == "in_channel"
    )


def test_long_text_is_clipped_to_slack_limits() -> None:
    payload = message_payload(Reply(blocks=(Section(Mrkdwn("x" * 5000)),), fallback="x"))
    assert len(payload["blocks"][0]["text"]["text"]) == SECTION_LIMIT


def test_console_shows_the_same_content_as_text() -> None:
    text = format_reply(REPLY)
    assert "Weekly digest" in text
    assert "*Reach* 1.200 <b>" in text
    assert "our site (https://toko.id)" in text
    assert "[ Publish ]  [ Later ]" in text
