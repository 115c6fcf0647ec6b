"""Which parts of a post X shortens to a t.co link, as twitter-text v3 finds them.

X counts every URL as 23 characters (what t.co makes of it), so the weighted length and "which
``#`` is inside a link" both need the URLs exactly where X sees them. What is ported exactly:
twitter-text's URL regular expression, host validation (IDNA, 63-character labels) and t.co slug
rule. What is approximated, on purpose:

* TLDs: twitter-text ships ~1,500 TLDs; here only the two-letter ASCII country codes and a
  subset of generic TLDs (``_GENERIC_TLDS``) are known, so ``toko.photography`` (with or
  without ``https://``) is counted by its characters here instead of as 23. IDN TLDs
  (``.рф``) are not included.
* Hosts: the URL pattern stops at 63-character labels and 127 labels, so a long run like
  ``a.a.a.…`` cannot make matching quadratic (see the comment on the pattern).
"""

import functools
import re
from collections.abc import Iterable
from typing import Final

_MAX_URL_LENGTH: Final = 4096
_PROTOCOL_LENGTH: Final = len("https://")
_MAX_TCO_SLUG_LENGTH: Final = 40

_COUNTRY_TLDS: Final = tuple(
    first + second
    for first, seconds in {
        "a": "cdefgilmnoqrstuwxz",
        "b": "abdefghijlmnoqrstvwyz",
        "c": "acdfghiklmnoruvwxyz",
        "d": "ejkmoz",
        "e": "ceghrstu",
        "f": "ijkmor",
        "g": "abdefghilmnpqrstuwy",
        "h": "kmnrtu",
        "i": "delmnoqrst",
        "j": "emop",
        "k": "eghimnprwyz",
        "l": "abcikrstuvy",
        "m": "acdefghklmnopqrstuvwxyz",
        "n": "acefgilopruz",
        "o": "m",
        "p": "aefghklmnrstwy",
        "q": "a",
        "r": "eosuw",
        "s": "abcdeghijklmnorstuvxyz",
        "t": "cdfghjklmnoprtvwz",
        "u": "agkmsyz",
        "v": "aceginu",
        "w": "fs",
        "y": "et",
        "z": "amw",
    }.items()
    for second in seconds
)
_GENERIC_TLDS: Final = (
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "info",
    "biz",
    "xyz",
    "app",
    "dev",
    "shop",
    "store",
    "online",
    "site",
    "website",
    "tech",
    "blog",
    "news",
    "live",
    "link",
    "page",
    "art",
    "design",
    "club",
    "top",
    "asia",
    "mobi",
    "name",
    "pro",
    "travel",
    "cloud",
    "digital",
    "media",
    "studio",
    "email",
    "today",
    "world",
    "space",
    "fun",
)

# --- twitter-text's VALID_URL, ported from its Java Regex class. ---------------------------
# Java character-class unions ("[" + "[a-z]" + "-]") are flattened, the variable-width
# look-behind (?<=https?://) is split in two, and re.ASCII gives Java's ASCII-only \s and
# case folding. One deliberate change: labels are capped at 63 characters and hosts at 127
# labels (the DNS limits) inside the pattern, where twitter-text's unbounded repeats make a
# long "a.a.a..." or "a-a-a..." run take quadratic time. Longer labels were rejected by the
# IDNA check afterwards anyway, so the URLs found are the same.
_LATIN_ACCENTS: Final = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f"
    "\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb"
    "\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC: Final = "\u0400-\u04ff"
_INVALID_CHARS: Final = "\ufffe\ufeff\uffff"
_DIRECTIONAL_CHARS: Final = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SPACE_SEPARATORS: Final = "\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_GENERAL_PUNCTUATION: Final = "\u2000-\u206f"
_PUNCTUATION: Final = r"_!\"#$%&'()*+,./:;<=>?@\[\]^`{|}~"  # plus "-", added where Java has it


def _trie(words: Iterable[str]) -> str:
    """Alternation nested by first letter: Python's re tries a flat "a|b|c" one by one."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in by_first.items():
        tails = [rest for rest in rests if rest]
        if not tails:
            branches.append(first)
            continue
        inner = _trie(tails)
        if len(tails) == len(rests) == 1:
            branches.append(first + inner)
        else:
            optional = "?" if len(tails) < len(rests) else ""
            branches.append(f"{first}(?:{inner}){optional}")
    return "|".join(branches)


def _tld_alternation(tlds: tuple[str, ...]) -> str:
    return "(?:(?:" + _trie(tlds) + ")(?=[^a-z0-9@+-]|$))"


_GTLD: Final = _tld_alternation(_GENERIC_TLDS)
_CCTLD: Final = _tld_alternation(_COUNTRY_TLDS)
_PRECEDING: Final = f"(?:[^a-z0-9@\uff20$#\uff03{_INVALID_CHARS}]|[{_DIRECTIONAL_CHARS}]|^)"
_URL_CHAR: Final = f"[a-z0-9{_LATIN_ACCENTS}]"
_SUBDOMAIN: Final = f"(?>(?:{_URL_CHAR}[a-z0-9{_LATIN_ACCENTS}\\-_]{{0,61}})?{_URL_CHAR}\\.)"
_DOMAIN_NAME: Final = f"(?:(?:{_URL_CHAR}[a-z0-9{_LATIN_ACCENTS}\\-]{{0,61}})?{_URL_CHAR}\\.)"
_UNICODE_CHAR: Final = f"[^\\-{_PUNCTUATION}\\s{_SPACE_SEPARATORS}{_GENERAL_PUNCTUATION}]"
_UNICODE_DOMAIN_NAME: Final = (
    f"(?:(?:{_UNICODE_CHAR}[^{_PUNCTUATION}\\s{_SPACE_SEPARATORS}{_GENERAL_PUNCTUATION}]{{0,61}})?"
    f"{_UNICODE_CHAR}\\.)"
)
_PUNYCODE: Final = "(?:xn--[-0-9a-z]+)"
_DOMAIN: Final = (
    f"(?:{_SUBDOMAIN}{{0,126}}{_DOMAIN_NAME}(?:{_GTLD}|{_CCTLD}|{_PUNYCODE}))"
    "|(?:(?:(?<=http://)|(?<=https://))"
    f"(?:(?:{_DOMAIN_NAME}{_CCTLD})|(?:{_UNICODE_DOMAIN_NAME}(?:{_GTLD}|{_CCTLD}))))"
    f"|(?:{_DOMAIN_NAME}{_CCTLD}(?=/))"
)
_PATH_CHAR: Final = f"[a-z0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~|&@{_LATIN_ACCENTS}{_CYRILLIC}]"
_BALANCED_PARENS: Final = (
    f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
)
_PATH_ENDING: Final = f"[a-z0-9=_#/\\-+{_LATIN_ACCENTS}{_CYRILLIC}]|(?:{_BALANCED_PARENS})"
_PATH: Final = (
    f"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_ENDING})|(?:@{_PATH_CHAR}+/))"
)
_QUERY_CHAR: Final = r"[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@]"
_QUERY_ENDING: Final = r"[a-z0-9\-_&=#/]"
_VALID_TCO_URL: Final = re.compile(
    f"^https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_ENDING})?",
    re.IGNORECASE | re.ASCII,
)
_INVALID_BEFORE_SCHEMELESS_URL: Final = re.compile(r"[-_./]$")


@functools.cache
def _valid_url() -> re.Pattern[str]:
    """twitter-text's URL pattern, compiled when a post is first counted: compiling it is 8 ms,
    which every start paid before (issue 16)."""
    return re.compile(
        f"(?P<before>{_PRECEDING})"
        "(?P<url>"
        "(?P<protocol>https?://)?"
        f"(?P<domain>{_DOMAIN})"
        "(?::[0-9]++)?"
        f"(?:/{_PATH}*+)?"
        f"(?:\\?{_QUERY_CHAR}*{_QUERY_ENDING})?"
        ")",
        re.IGNORECASE | re.ASCII,
    )


def _is_valid_host_and_length(url_length: int, has_protocol: bool, host: str) -> bool:
    """twitter-text drops URLs whose host fails IDNA (labels 1-63 chars) or that are huge."""
    try:
        ascii_host = host.encode("idna")
    except UnicodeError:
        return False
    length = url_length + len(ascii_host) - len(host)
    if not has_protocol:
        length += _PROTOCOL_LENGTH
    return length <= _MAX_URL_LENGTH


def find_urls(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of every URL X would shorten to t.co, in order.

    Public because other counters need "which ``#`` is inside a link" the way X sees it.
    Offsets index ``text`` as given; pass NFC-normalised text to match X's offsets.
    """
    spans: list[tuple[int, int]] = []
    for match in _valid_url().finditer(text):
        protocol = match.group("protocol")
        if protocol is None and _INVALID_BEFORE_SCHEMELESS_URL.search(match.group("before")):
            continue
        url = match.group("url")
        start, end = match.span("url")
        tco = _VALID_TCO_URL.match(url)
        if tco is not None:
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            url = tco.group(0)
            end = start + len(url)
        if _is_valid_host_and_length(len(url), protocol is not None, match.group("domain")):
            spans.append((start, end))
    return spans
