"""The share-kit reply and the Slack link helper: layout, languages, and no way to break out."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from smmbot.console.printer import format_reply
from smmbot.rendering.i18n import Translator
from smmbot.rendering.links import ShareKit, share_kit_reply
from smmbot.rendering.mrkdwn import slack_link, unescape_mrkdwn
from smmbot.rendering.reply import Context, Header, Section
from smmbot.slack.blocks import message_payload

KIT = ShareKit(
    utm_url="https://toko.id/?a=1&utm_source=share",
    short_url="https://go.toko.id/r/Ab3dEfG",
    share_urls={
        "facebook": "https://www.facebook.com/sharer/sharer.php?u=F",
        "x": "https://x.com/intent/post?url=X",
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url=L",
        "whatsapp": "https://wa.me/?text=W",
        "telegram": "https://t.me/share/url?url=T",
    },
    campaign="ramadan-sale",
    source="share",
    medium="social",
    clicks=1234,
)


def test_slack_link_escapes_the_url_and_the_label() -> None:
    assert slack_link("https://a.id/?x=1&y=<2>|3", "<!channel> & co") == (
        "<https://a.id/?x=1&amp;y=&lt;2&gt;%7C3|&lt;!channel&gt; &amp; co>"
    )
    assert slack_link("https://a.id/") == "<https://a.id/>"


@given(st.text(), st.text(min_size=1))
def test_slack_link_is_always_one_link(url: str, label: str) -> None:
    link = slack_link(url, label)
    assert link.count("<") == 1 and link.count(">") == 1
    target, _, shown = link[1:-1].partition("|")  # Slack ends the URL at the first pipe
    assert unescape_mrkdwn(target) == url.replace("|", "%7C")
    assert unescape_mrkdwn(shown) == label


def test_kit_layout_short_link_first_then_utm_link_then_buttons_then_tags() -> None:
    reply = share_kit_reply(Translator("en"), KIT)
    header, short, utm_link, buttons, tags, tracking = reply.blocks
    assert header == Header("Share kit")
    assert isinstance(short, Section) and short.mrkdwn.endswith("\n<https://go.toko.id/r/Ab3dEfG>")
    assert isinstance(utm_link, Section)
    assert utm_link.mrkdwn.endswith("\n<https://toko.id/?a=1&amp;utm_source=share>")
    assert isinstance(buttons, Section)
    assert [re.sub(r"^<[^|]*\|(.*)>$", r"\1", f) for f in buttons.fields] == [
        "Facebook",
        "X",
        "LinkedIn",
        "WhatsApp",
        "Telegram",
    ]
    assert isinstance(tags, Context) and "utm_source `share` (each share button" in tags.mrkdwn
    assert tracking == Context(
        "Clicks on the short links are counted per campaign and network: 1,234 so far."
    )
    assert reply.fallback == "Your share kit is ready"
    assert not reply.public


def test_kit_in_indonesian_with_numbers_formatted_the_indonesian_way() -> None:
    reply = share_kit_reply(Translator("id"), KIT)
    assert reply.blocks[0] == Header("Tautan bagikan")
    assert "sejauh ini 1.234 klik" in str(reply.blocks[-1])


def test_kit_without_short_links_or_clicks_leaves_them_out() -> None:
    plain = ShareKit(**{**KIT.__dict__, "short_url": None, "clicks": None, "source": "ig"})
    reply = share_kit_reply(Translator("en"), plain)
    assert len(reply.blocks) == 4
    assert "utm_source `ig` (each share button: its own network) ·" in str(reply.blocks[-1])


def test_no_clicks_yet_says_so_without_a_zero() -> None:
    reply = share_kit_reply(Translator("en"), ShareKit(**{**KIT.__dict__, "clicks": 0}))
    assert reply.blocks[-1] == Context(
        "Clicks on the short links are counted per campaign and network."
    )


def test_block_kit_and_console_both_show_the_links() -> None:
    reply = share_kit_reply(Translator("en"), KIT)
    blocks = message_payload(reply)["blocks"]
    assert blocks[3]["fields"][0] == {
        "type": "mrkdwn",
        "text": "<https://www.facebook.com/sharer/sharer.php?u=F|Facebook>",
    }
    text = format_reply(reply)
    assert "https://toko.id/?a=1&utm_source=share\n" in text
    assert "WhatsApp (https://wa.me/?text=W)" in text
