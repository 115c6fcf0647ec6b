"""Social platforms, their text limits, and how long a draft is on each of them."""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from smmbot.domain.x_count import x_weighted_length
from smmbot.domain.x_urls import find_urls


class Platform(StrEnum):
    """Where a post can go; the values are the ids users type and we store."""

    X = "x"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    LINKEDIN = "linkedin"
    THREADS = "threads"
    TIKTOK = "tiktok"


CHARACTER_LIMITS: Final = MappingProxyType(
    {
        Platform.X: 280,
        Platform.INSTAGRAM: 2_200,
        Platform.FACEBOOK: 63_206,
        Platform.LINKEDIN: 3_000,
        Platform.THREADS: 500,
        Platform.TIKTOK: 2_200,
    }
)
"""Caption/post limits; X's is in weighted characters (see ``x_count``)."""

DEFAULT_INSTAGRAM_HASHTAG_CAP: Final = 5

_ALIASES: Final = MappingProxyType(
    {
        "twitter": Platform.X,
        "ig": Platform.INSTAGRAM,
        "fb": Platform.FACEBOOK,
        "li": Platform.LINKEDIN,
    }
)
_SEPARATORS: Final = re.compile(r"[,\s]+")


class UnknownPlatformError(ValueError):
    """Raised for platform names we do not know; carries both sides for a helpful reply."""

    def __init__(self, unknown: tuple[str, ...]) -> None:
        self.unknown = unknown
        self.known = tuple(platform.value for platform in Platform)
        super().__init__(
            f"unknown platform(s): {', '.join(unknown)}; known: {', '.join(self.known)}"
        )


def parse_platforms(text: str) -> list[Platform]:
    """Parse user input like ``"x, IG,facebook"`` into platforms, first mention first.

    Commas and/or whitespace separate names (people type both in Slack); names are
    case-insensitive and the short aliases twitter/ig/fb/li are accepted. Every unknown
    name is reported at once rather than one per attempt.
    """
    platforms: list[Platform] = []
    unknown: list[str] = []
    for name in _SEPARATORS.split(text.strip()):
        if not name:
            continue
        key = name.casefold()
        platform = _ALIASES.get(key) or next((p for p in Platform if p.value == key), None)
        if platform is None:
            if name not in unknown:
                unknown.append(name)
        elif platform not in platforms:
            platforms.append(platform)
    if unknown:
        raise UnknownPlatformError(tuple(unknown))
    return platforms


@dataclass(frozen=True, slots=True)
class LengthCheck:
    """How a text measures against one platform's limits."""

    platform: Platform
    length: int
    limit: int
    over_by: int
    hashtags: int
    hashtag_cap: int | None

    @property
    def ok(self) -> bool:
        """True when the text fits both the length limit and any hashtag cap."""
        within_cap = self.hashtag_cap is None or self.hashtags <= self.hashtag_cap
        return self.length <= self.limit and within_cap


# twitter-text's extra hashtag characters: ZWNJ/ZWJ, Hebrew maqaf/geresh, Japanese wave
# dashes and iteration marks, Tibetan tsheg, Catalan middle dot, ...
_HASHTAG_SPECIALS: Final = (
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003"
    "\u0f0b\u0f0c\u00b7"
)


def _is_hashtag_char(char: str) -> bool:
    # Marks (Mn/Mc) as well as letters and digits: Indic and Thai words need them.
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd" or char in _HASHTAG_SPECIALS


def find_hashtags(text: str) -> list[str]:
    """Return the hashtags in ``text`` (without ``#``), following twitter-text's rules.

    A hashtag is ``#`` followed by letters, combining marks, digits, ``_`` and the few
    joiners twitter-text allows, with at least one letter (``#1`` is not a tag). It does not
    count when the ``#`` follows a letter, digit or ``&`` (``a#b``, ``&#39;``), when it is a
    keycap (``#️⃣``), when another ``#`` or ``://`` follows it, or when it is part of a URL
    (``https://toko.id/#promo``). Text is compared after NFC normalisation.
    """
    text = unicodedata.normalize("NFC", text)
    url_spans = find_urls(text)
    tags: list[str] = []
    position = 0
    while position < len(text):
        if text[position] not in "#\uff03":
            position += 1
            continue
        start = position
        position += 1
        before = text[start - 1] if start else ""
        if before and before not in "\ufe0e\ufe0f" and (before == "&" or _is_hashtag_char(before)):
            continue
        if text[position : position + 1] in ("\ufe0f", "\u20e3"):
            continue
        end = position
        while end < len(text) and _is_hashtag_char(text[end]):
            end += 1
        tag = text[position:end]
        position = end
        if not any(unicodedata.category(char)[0] == "L" for char in tag):
            continue
        if text.startswith(("#", "\uff03", "://"), end):
            continue
        if any(url_start <= start < url_end for url_start, url_end in url_spans):
            continue
        tags.append(tag)
    return tags


def measure(
    text: str,
    platform: Platform,
    *,
    instagram_hashtag_cap: int = DEFAULT_INSTAGRAM_HASHTAG_CAP,
) -> LengthCheck:
    """Measure ``text`` the way ``platform`` counts it.

    X uses its weighted count (URLs 23, CJK and emoji 2). The other platforms do not publish
    an exact rule, so they get one documented, deterministic choice: Unicode code points
    after NFC normalisation. NFC makes an accented letter count once whether it was typed
    precomposed (``é``) or as ``e`` plus a combining accent. Emoji count as their code points
    (a ZWJ family is 7), so a text near the limit that is dense with emoji may be judged a
    few characters differently from the platform's own composer.
    """
    if instagram_hashtag_cap < 0:
        raise ValueError("instagram_hashtag_cap must be >= 0")
    if platform is Platform.X:
        length = x_weighted_length(text)
    else:
        length = len(unicodedata.normalize("NFC", text))
    limit = CHARACTER_LIMITS[platform]
    return LengthCheck(
        platform=platform,
        length=length,
        limit=limit,
        over_by=max(0, length - limit),
        hashtags=len(find_hashtags(text)),
        hashtag_cap=instagram_hashtag_cap if platform is Platform.INSTAGRAM else None,
    )
