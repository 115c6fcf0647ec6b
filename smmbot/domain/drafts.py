"""Finishing a rendered post for one platform: UTM-tag its links and measure it as that platform
counts, so the author sees a problem before posting rather than after."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smmbot.domain.platforms import DEFAULT_INSTAGRAM_HASHTAG_CAP, LengthCheck, Platform, measure
from smmbot.domain.utm import slugify_campaign, tag_urls_in_text
from smmbot.domain.x_urls import find_urls

SOCIAL_MEDIUM = "social"
LINKLESS_PLATFORMS = frozenset({Platform.INSTAGRAM, Platform.TIKTOK})
"""Captions there cannot hold a clickable link: such a post says "link in bio"."""


@dataclass(frozen=True)
class Variant:
    """`bio_links`: the tagged links an Instagram or TikTok caption gave way to "link in bio"
    for; the author puts them where the bio points."""

    platform: Platform
    text: str
    check: LengthCheck
    bio_links: tuple[str, ...] = ()


def utm_campaign(campaign: str | None, template_name: str) -> str:
    """The campaign's slug when the draft belongs to one, else the template's name."""
    return slugify_campaign(campaign) if campaign else slugify_campaign(template_name)


def finish_variant(
    text: str,
    platform: Platform,
    *,
    campaign_slug: str,
    bio_line: str,
    instagram_hashtag_cap: int = DEFAULT_INSTAGRAM_HASHTAG_CAP,
) -> Variant:
    """On Instagram and TikTok a pasted link is dead text, so the caption's links give way to
    `bio_line` ("link in bio", in the post's language) and are handed back, tagged, in
    `bio_links`; elsewhere the links stay in the text, tagged for the platform."""
    links: tuple[str, ...] = ()
    if platform in LINKLESS_PLATFORMS:
        links = tuple(text[start:end] for start, end in find_urls(text))
        text = point_to_bio(text, bio_line)
    tagged = tag_urls_in_text(
        text, source=platform.value, medium=SOCIAL_MEDIUM, campaign=campaign_slug
    )
    bio_links = tuple(
        tag_urls_in_text(link, source=platform.value, medium=SOCIAL_MEDIUM, campaign=campaign_slug)
        for link in dict.fromkeys(links)
    )
    check = measure(tagged, platform, instagram_hashtag_cap=instagram_hashtag_cap)
    return Variant(platform=platform, text=tagged, check=check, bio_links=bio_links)


@dataclass(frozen=True)
class DraftResult:
    """A saved draft as the author sees it."""

    id: int
    template_name: str
    language: str
    campaign_slug: str
    variants: tuple[Variant, ...]
    has_bio_page: bool = False


_POINTS_TO_BIO = re.compile(
    r"\b(?:links?|tautan)\s+(?:in|di)\s+(?:(?:the|our|my|kami)\s+)?bio\b", re.IGNORECASE
)
"""A caption that already sends readers to the bio ("the link in bio", "link di bio"), in
English or Indonesian, as captions written for Instagram and TikTok usually do."""


def point_to_bio(text: str, line: str) -> str:
    """`text` without its links and with `line` below it, unless the caption already points
    to the bio (then saying it again would only repeat it); unchanged when it has no link."""
    spans = find_urls(text)
    if not spans:
        return text
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    kept = re.sub(r"\n{3,}", "\n\n", "\n".join(part.rstrip() for part in text.split("\n")))
    kept = kept.strip()
    if _POINTS_TO_BIO.search(kept):
        return kept
    return f"{kept}\n\n{line}" if kept else line
