"""`/smm link`: a UTM-tagged link, share buttons for five networks and, when the bot has a public
URL, tracked short links; and following a short link when someone clicks it.

Choices, after what Bitly, Ow.ly and Buffer do:
- campaign, source and medium are slugged (lowercase ASCII, hyphens), because analytics tools
  count `Instagram` and `instagram` as two sources; campaign defaults to `share`, medium to
  `social` (the value GA4 files under "Organic Social").
- The kit's own link carries `source=` (utm_source=share without it), and each share button
  shares a link tagged with its own network, so reports show which network a visit came from:
  `source=whatsapp` tags the kit's link and the WhatsApp button's, never Facebook's or X's.
- With a public URL every one of those links also gets a short link whose target is the tagged
  URL; the buttons share the short ones so their clicks are counted, and asking again for the
  same page and tags reuses the codes instead of spreading the clicks over duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final
from urllib.parse import quote

from smmbot.domain.commands import subcommand
from smmbot.domain.grammar import ParsedCommand
from smmbot.domain.share_links import share_links
from smmbot.domain.utm import slugify_campaign, tag_url, web_address
from smmbot.persistence.links_repository import ShortLinkRepository, find_by_code
from smmbot.rendering.i18n import Translator
from smmbot.rendering.links import ShareKit, share_kit_reply
from smmbot.rendering.mrkdwn import unescape_mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.context import CommandRequest, ServiceContext
from smmbot.services.link_clicks import Click, ClickRecorder

GENERIC_SOURCE: Final = "share"
DEFAULT_CAMPAIGN: Final = "share"
DEFAULT_MEDIUM: Final = "social"
# Slug limits: GA4 keeps 100 characters of a campaign name; the columns hold 120 and 64.
LINK = subcommand("link")
OPTION_LIMITS: Final = MappingProxyType({"campaign": 100, "source": 64, "medium": 64})
# A share button embeds the tagged URL percent-encoded, and Slack cuts a field at 2000 characters.
MAX_ENCODED_URL: Final = 1800
NETWORKS: Final = tuple(share_links("https://example.com"))  # the networks share_links knows


@dataclass(frozen=True)
class _LinkInput:
    url: str
    campaign: str
    source: str | None
    medium: str


def handle_link(request: CommandRequest) -> Reply:
    tr = request.tr
    given = _read_input(request.command, tr)
    main = given.source or GENERIC_SOURCE
    sources = tuple(dict.fromkeys((main, *NETWORKS)))
    tagged = {
        source: tag_url(given.url, source=source, medium=given.medium, campaign=given.campaign)
        for source in sources
    }
    longest = max(len(quote(url, safe="")) for url in tagged.values())
    if longest > MAX_ENCODED_URL:
        message = tr.mrkdwn("link.long_url", length=longest, limit=MAX_ENCODED_URL)
        raise Refusal(message, usage_of=LINK)
    short_urls: dict[str, str] | None = None
    clicks: int | None = None
    if request.ctx.public_url:
        short_urls, clicks = _shorten(request, given, tagged)
    shared = short_urls or tagged  # what the buttons share: tracked short links when we can
    buttons = {network: share_links(shared[network])[network] for network in NETWORKS}
    kit = ShareKit(
        utm_url=tagged[main],
        short_url=short_urls[main] if short_urls else None,
        share_urls=buttons,
        campaign=given.campaign,
        source=main,
        medium=given.medium,
        clicks=clicks,
    )
    return share_kit_reply(tr, kit)


def follow_short_link(
    *, ctx: ServiceContext, clicks: ClickRecorder, code: str, count_click: bool
) -> str | None:
    """Where a short link goes, or None for an unknown code.

    One primary-key read; the click (when `count_click`) is queued, not written, so the
    redirect never waits for the database write.
    """
    with ctx.db.transaction() as session:
        link = find_by_code(session, code)
        if link is None:
            return None
        target = link.target_url
        click = Click(
            code=link.code,
            team_id=link.team_id,
            campaign=link.campaign,
            source=link.source,
            clicked_at=ctx.clock(),
        )
    if count_click:
        clicks.record(click)
    return target


def _read_input(command: ParsedCommand, tr: Translator) -> _LinkInput:
    """What was asked for; a `Refusal` says what is wrong with it."""
    if not command.arguments:
        raise Refusal(tr.mrkdwn("link.missing_url"), usage_of=LINK)
    url = web_address(command.arguments[0])
    if url is None:
        raise Refusal(
            tr.mrkdwn("link.bad_url", url=_typed_url(command.arguments[0])), usage_of=LINK
        )
    tags: dict[str, str] = {}
    for key, limit in OPTION_LIMITS.items():
        value = command.options.get(key)
        if value is None:
            continue
        if not value.strip():
            raise Refusal(tr.mrkdwn("link.empty_option", key=key), usage_of=LINK)
        tags[key] = slugify_campaign(value)
        if len(tags[key]) > limit:
            raise Refusal(tr.mrkdwn("link.long_option", key=key, limit=limit), usage_of=LINK)
    return _LinkInput(
        url=url,
        campaign=tags.get("campaign", DEFAULT_CAMPAIGN),
        source=tags.get("source"),
        medium=tags.get("medium", DEFAULT_MEDIUM),
    )


def _typed_url(word: str) -> str:
    """What was typed, for naming it in a refusal: Slack sends `<url|label>` and `&amp;`."""
    if word.startswith("<") and word.endswith(">"):
        word = word[1:-1].partition("|")[0]
    return unescape_mrkdwn(word)


def _shorten(
    request: CommandRequest, given: _LinkInput, tagged: dict[str, str]
) -> tuple[dict[str, str], int]:
    """Short links for the tagged URLs (reused when they exist) and their clicks so far."""
    ctx, actor = request.ctx, request.actor
    with ctx.db.transaction() as session:
        links = ShortLinkRepository(session, actor.team_id)
        codes: dict[str, str] = {}
        for source, target in tagged.items():
            link = links.find(
                target_url=target, campaign=given.campaign, source=source, medium=given.medium
            ) or links.add(
                target_url=target,
                campaign=given.campaign,
                source=source,
                medium=given.medium,
                created_by=actor.user_id,
                now=ctx.clock(),
            )
            codes[source] = link.code
        clicks = links.count_clicks(codes.values())
    return {source: f"{ctx.public_url}/r/{code}" for source, code in codes.items()}, clicks
