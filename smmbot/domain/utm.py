"""UTM tagging of the links in a post, so the team can see which post brought the visit."""

import re
import unicodedata
from typing import Final
from urllib.parse import quote, unquote_plus, urlsplit

_HTTP_URL: Final = re.compile(r"https?://[^/?#\s]+", re.IGNORECASE)
# ASCII characters RFC 3986 never allows raw, and any whitespace. Everything else,
# including "%XX" escapes and non-ASCII (IRIs), is left as the author wrote it.
_MUST_ENCODE: Final = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]|\s')

# A Slack link <https://x|label> or <https://x>, else a bare http(s) URL up to whitespace,
# a quote, an angle bracket, a pipe or a control character.
_LINK: Final = re.compile(
    r"<(?P<slack>https?://[^\s|<>]+)(?P<label>\|[^<>]*)?>"
    r'|(?P<bare>https?://[^\s<>"|\x00-\x1f\x7f]+)',
    re.IGNORECASE,
)
# Sentence punctuation that ends a bare URL rather than belonging to it.
_TRAILING_PUNCTUATION: Final = frozenset(
    ".,;:!?'*"  # ASCII
    "\u2026\u00bb\u201d\u2019"  # ellipsis, right guillemet, right double/single quote
    "\u3002\u3001\uff0c\uff01\uff1f"  # CJK full stop, comma; fullwidth , ! ?
)
_CLOSING_TO_OPENING: Final = {")": "(", "]": "[", "}": "{"}
_SLACK_ESCAPES: Final = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))

_TRANSLITERATIONS: Final = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "OE",
        "\u0131": "i",
    }
)
_NON_SLUG: Final = re.compile(r"[^a-z0-9]+")
# A host name with a top-level domain of letters, an optional port, then a path/query/fragment.
_BARE_DOMAIN: Final = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?([/?#]\S*)?", re.I)


def is_web_url(url: str) -> bool:
    """An http(s) address that names a site: what `tag_url` can tag."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(host)
        and not any(char.isspace() or not char.isprintable() for char in parts.netloc)
    )


def _from_slack(typed: str) -> str:
    """Slack (the command's `should_escape`) sends a link as `<url>` or `<url|label>`, a bare
    domain auto-linked as `<http://toko.id/menu|toko.id/menu>`, and `&` as `&amp;`: back to
    what the member typed, so both surfaces follow one rule."""
    if typed.startswith("<") and typed.endswith(">"):
        url, _, label = typed[1:-1].partition("|")
        typed = label if label and url == f"http://{label}" else url
    for entity, char in _SLACK_ESCAPES:
        typed = typed.replace(entity, char)
    return typed


def web_address(typed: str) -> str | None:
    """The address to tag for what a member typed as a link, or None when it is none.

    `kopinusantara.id/menu` is clearly a site, so it becomes `https://kopinusantara.id/menu`
    (every browser and social network does the same); anything else without http(s) is
    refused by the caller, because a link left untagged silently loses its campaign's visits.
    """
    typed = _from_slack(typed.strip())
    if is_web_url(typed):
        return typed
    if _BARE_DOMAIN.fullmatch(typed) and is_web_url(f"https://{typed}"):
        return f"https://{typed}"
    return None


def _encode_value(value: str) -> str:
    # A trailing "." would be read as the end of the sentence by linkifiers; %2E is the same.
    encoded = quote(value, safe="")
    return encoded[:-1] + "%2E" if encoded.endswith(".") else encoded


def _encode_illegal(url: str) -> str:
    return _MUST_ENCODE.sub(lambda match: quote(match.group(0), safe=""), url)


def _query_keys(query: str) -> set[str]:
    return {unquote_plus(pair.partition("=")[0]) for pair in query.split("&") if pair}


def tag_url(
    url: str,
    *,
    source: str,
    medium: str,
    campaign: str,
    content: str | None = None,
) -> str:
    """Add utm_source/utm_medium/utm_campaign (and utm_content) to an http(s) URL.

    The existing query (order, repeats, encoding) and fragment are kept byte for byte; utm
    keys the author already set win over ours, since they were set on purpose. Only
    characters a URL can never hold raw (spaces, quotes, ``<>{}|\\^`` and controls) are
    percent-encoded; ``%XX`` escapes, non-ASCII paths and IDN hosts are left alone.
    Raises ValueError for a non-http(s) URL or a blank value (analytics would drop it).
    """
    if not _HTTP_URL.match(url):
        raise ValueError(f"not an http(s) URL: {url!r}")
    wanted = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign}
    if content is not None:
        wanted["utm_content"] = content
    for key, value in wanted.items():
        if not value.strip():
            raise ValueError(f"{key} must not be blank")
    before_fragment, hash_sign, fragment = _encode_illegal(url).partition("#")
    base, question_mark, query = before_fragment.partition("?")
    present = _query_keys(query)
    added = "&".join(
        f"{key}={_encode_value(value)}" for key, value in wanted.items() if key not in present
    )
    if added and query and not query.endswith("&"):
        added = "&" + added
    if added:
        question_mark = "?"
    return f"{base}{question_mark}{query}{added}{hash_sign}{fragment}"


def _split_trailing(url: str) -> tuple[str, str]:
    """Split off sentence punctuation and unbalanced closing brackets after a bare URL."""
    end = len(url)
    while end:
        last = url[end - 1]
        unbalanced = last in _CLOSING_TO_OPENING and url.count(last, 0, end) > url.count(
            _CLOSING_TO_OPENING[last], 0, end
        )
        if last not in _TRAILING_PUNCTUATION and not unbalanced:
            break
        end -= 1
    return url[:end], url[end:]


def tag_urls_in_text(
    text: str,
    *,
    source: str,
    medium: str,
    campaign: str,
    content: str | None = None,
) -> str:
    """Tag every http(s) URL in free text (and in Slack ``<url|label>`` links) via tag_url.

    Punctuation ending the sentence is not part of a bare URL, and a URL inside parentheses
    keeps only balanced parentheses, so ``(see https://w.id/Kopi_(minuman)).`` tags
    ``https://w.id/Kopi_(minuman)``. In Slack links only the URL part changes, and Slack's
    ``&amp;`` escaping is kept consistent. Tagging twice gives the same text as tagging once.
    """

    def tag(url: str) -> str:
        return tag_url(url, source=source, medium=medium, campaign=campaign, content=content)

    def tag_slack(url: str) -> str:
        if "&amp;" not in url:
            return tag(url)
        for entity, char in _SLACK_ESCAPES:
            url = url.replace(entity, char)
        return tag(url).replace("&", "&amp;")

    def replace(match: re.Match[str]) -> str:
        slack_url = match.group("slack")
        if slack_url is not None:
            if not _HTTP_URL.match(slack_url):
                return match.group(0)
            return f"<{tag_slack(slack_url)}{match.group('label') or ''}>"
        url, trailing = _split_trailing(match.group("bare"))
        if not _HTTP_URL.match(url):
            return match.group(0)
        return tag(url) + trailing

    return _LINK.sub(replace, text)


def slugify_campaign(name: str) -> str:
    """Turn a campaign name into the lowercase ASCII slug analytics tools group reliably.

    ``"Promo Lebaran 2025 — Diskon 50%!"`` becomes ``"promo-lebaran-2025-diskon-50"``.
    Accents are dropped via NFKD (``"Kopi Ñusantara"`` → ``"kopi-nusantara"``); a name with
    nothing left becomes ``"smmbot"`` so a link is never tagged with an empty campaign.
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATIONS))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_SLUG.sub("-", ascii_only).strip("-") or "smmbot"
