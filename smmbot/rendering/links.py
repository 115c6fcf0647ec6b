"""The `/smm link` share kit: what to paste, and one-tap share buttons per network.

Laid out like the link tools marketers already know (Bitly, Ow.ly, Buffer): the tracked short
link first because it is the one to paste, then the full UTM link (for places that dislike
shorteners, such as ads and bios), then the share buttons, then the tags that were applied so
nobody has to decode a URL to check them. Every URL goes through `slack_link`, so nothing a user
typed can turn into markup or a mention.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from babel.numbers import format_decimal

from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import slack_link
from smmbot.rendering.reply import Block, Context, Header, Reply, Section


@dataclass(frozen=True)
class ShareKit:
    """`source` tags the kit's own link (each share button carries its own network as
    utm_source); `clicks` is how often the kit's short links were already followed (None: no
    short links)."""

    utm_url: str
    short_url: str | None
    share_urls: Mapping[str, str]  # network -> share-intent URL, in display order
    campaign: str
    source: str
    medium: str
    clicks: int | None = None


def share_kit_reply(tr: Translator, kit: ShareKit) -> Reply:
    blocks: list[Block] = [Header(tr.plain("link.title"))]
    if kit.short_url is not None:
        blocks.append(Section(tr.mrkdwn("link.short", link=slack_link(kit.short_url))))
    blocks.append(Section(tr.mrkdwn("link.utm", link=slack_link(kit.utm_url))))
    buttons = tuple(
        slack_link(url, tr.plain(f"link.network.{network}"))
        for network, url in kit.share_urls.items()
    )
    blocks.append(Section(tr.mrkdwn("link.share"), fields=buttons))
    tags = tr.mrkdwn(
        "link.tags",
        campaign=kit.campaign,
        source=kit.source,
        medium=kit.medium,
    )
    blocks.append(Context(tags))
    if kit.clicks is not None:
        clicks = format_decimal(kit.clicks, locale=tr.locale)
        blocks.append(Context(tr.mrkdwn("link.tracking", clicks=clicks, any=kit.clicks > 0)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("link.fallback"))
