"""Finishing a rendered post for one platform: UTM-tag its links and measure it as that platform
counts, so the author sees a problem before posting rather than after."""

from __future__ import annotations

from dataclasses import dataclass

from smmbot.domain.platforms import DEFAULT_INSTAGRAM_HASHTAG_CAP, LengthCheck, Platform, measure
from smmbot.domain.utm import slugify_campaign, tag_urls_in_text

SOCIAL_MEDIUM = "social"


@dataclass(frozen=True)
class Variant:
    platform: Platform
    text: str
    check: LengthCheck


def utm_campaign(campaign: str | None, template_name: str) -> str:
    """The campaign's slug when the draft belongs to one, else the template's name."""
    return slugify_campaign(campaign) if campaign else slugify_campaign(template_name)


def finish_variant(
    text: str,
    platform: Platform,
    *,
    campaign_slug: str,
    instagram_hashtag_cap: int = DEFAULT_INSTAGRAM_HASHTAG_CAP,
) -> Variant:
    tagged = tag_urls_in_text(
        text, source=platform.value, medium=SOCIAL_MEDIUM, campaign=campaign_slug
    )
    check = measure(tagged, platform, instagram_hashtag_cap=instagram_hashtag_cap)
    return Variant(platform=platform, text=tagged, check=check)


@dataclass(frozen=True)
class DraftResult:
    """A saved draft as the author sees it."""

    id: int
    template_name: str
    language: str
    campaign_slug: str
    variants: tuple[Variant, ...]
