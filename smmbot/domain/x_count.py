"""X (Twitter) weighted post length, as twitter-text v3 counts it.

X does not count characters: it counts *weights*. twitter-text's v3 config gives every
code point weight 200 except four ranges (Latin and most scripts up to U+10FF, and some
General Punctuation) that weigh 100; the sum is divided by the scale (100), so the limit
of 280 means 280 Latin characters or 140 CJK characters. Every URL weighs 23 characters
(what t.co makes of it) and every emoji sequence weighs 2, however many code points it has.

What is ported exactly: the weights, NFC normalisation, the "blank text is 0" rule and
twitter-text's URL regular expression, host validation (IDNA, 63-character labels) and
t.co slug rule. What is approximated, on purpose:

* TLDs: twitter-text ships ~1,500 TLDs; here only the two-letter ASCII country codes and a
  subset of generic TLDs (``_GENERIC_TLDS``) are known, so ``toko.photography`` (with or
  without ``https://``) is counted by its characters here instead of as 23. IDN TLDs
  (``.рф``) are not included.
* Emoji: twitter-text matches a frozen list of Unicode 12 emoji. Here a sequence is
  recognised by the UTS #51 grammar over Extended_Pictographic (flags, keycaps, tag
  sequences, modifiers, VS16, ZWJ joins), so emoji added after Unicode 12 and any ZWJ
  sequence also count 2; any pair of regional indicators is a flag. ``©``/``®`` count as
  emoji only with VS16, as in twitter-text.
* Hosts: the URL pattern stops at 63-character labels and 127 labels, so a long run like
  ``a.a.a.…`` cannot make matching quadratic (see the comment on the pattern).
"""

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

_SCALE: Final = 100
_DEFAULT_WEIGHT: Final = 200
_URL_WEIGHT: Final = 23 * _SCALE
_EMOJI_WEIGHT: Final = _DEFAULT_WEIGHT
_LIGHT_RANGES: Final = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_LIGHT_WEIGHT: Final = 100

# Java's String.trim() strips every code point <= U+0020; twitter-text returns 0 for a
# text that is empty after it.
_JAVA_TRIM: Final = "".join(chr(c) for c in range(0x21))

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
_VALID_URL: Final = re.compile(
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
_VALID_TCO_URL: Final = re.compile(
    f"^https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_ENDING})?",
    re.IGNORECASE | re.ASCII,
)
_INVALID_BEFORE_SCHEMELESS_URL: Final = re.compile(r"[-_./]$")

# --- Emoji sequences (UTS #51 grammar over Extended_Pictographic). --------------------------
_PICTOGRAPHIC: Final = (
    "[\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u2388\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u2605"
    "\u2607-\u2612\u2614-\u2685\u2690-\u2705\u2708-\u2712\u2714\u2716\u271d\u2721\u2728"
    "\u2733\u2734\u2744\u2747\u274c\u274e\u2753-\u2755\u2757\u2763-\u2767\u2795-\u2797"
    "\u27a1\u27b0\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d"
    "\u3297\u3299\U0001f000-\U0001f0ff\U0001f10d-\U0001f10f\U0001f12f"
    "\U0001f16c-\U0001f171\U0001f17e\U0001f17f\U0001f18e\U0001f191-\U0001f19a"
    "\U0001f1ad-\U0001f1e5\U0001f201-\U0001f20f\U0001f21a\U0001f22f\U0001f232-\U0001f23a"
    "\U0001f23c-\U0001f23f\U0001f249-\U0001f3fa\U0001f400-\U0001f53d\U0001f546-\U0001f64f"
    "\U0001f680-\U0001f6ff\U0001f774-\U0001f77f\U0001f7d5-\U0001f7ff\U0001f80c-\U0001f80f"
    "\U0001f848-\U0001f84f\U0001f85a-\U0001f85f\U0001f888-\U0001f88f\U0001f8ae-\U0001f8ff"
    "\U0001f90c-\U0001f93a\U0001f93c-\U0001f945\U0001f947-\U0001faff\U0001fc00-\U0001fffd]"
)
_SKIN_TONE: Final = "[\U0001f3fb-\U0001f3ff]"
_EMOJI_ELEMENT: Final = (
    "(?:\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"  # subdivision flag, e.g. Scotland
    "|[\u00a9\u00ae]\ufe0f"  # (c) and (R) are text unless VS16 follows
    f"|{_PICTOGRAPHIC}(?:\ufe0f|{_SKIN_TONE})?)"
)
_EMOJI: Final = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"  # flag: two regional indicators
    "|[#*0-9]\ufe0f?\u20e3"  # keycap
    f"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*"
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
    for match in _VALID_URL.finditer(text):
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


def _code_point_weight(char: str) -> int:
    code_point = ord(char)
    for low, high in _LIGHT_RANGES:
        if low <= code_point <= high:
            return _LIGHT_WEIGHT
    return _DEFAULT_WEIGHT


def x_weighted_length(text: str) -> int:
    """Length of ``text`` as X counts it against its 280 limit (twitter-text v3)."""
    if not text.strip(_JAVA_TRIM):
        return 0
    normalized = unicodedata.normalize("NFC", text)
    url_ends = dict(find_urls(normalized))
    emoji_ends = {match.start(): match.end() for match in _EMOJI.finditer(normalized)}
    weight = 0
    offset = 0
    while offset < len(normalized):
        if offset in url_ends:
            weight += _URL_WEIGHT
            offset = url_ends[offset]
        elif offset in emoji_ends:
            weight += _EMOJI_WEIGHT
            offset = emoji_ends[offset]
        else:
            weight += _code_point_weight(normalized[offset])
            offset += 1
    return weight // _SCALE
