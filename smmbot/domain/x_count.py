"""X (Twitter) weighted post length, as twitter-text v3 counts it.

X does not count characters: it counts *weights*. twitter-text's v3 config gives every
code point weight 200 except four ranges (Latin and most scripts up to U+10FF, and some
General Punctuation) that weigh 100; the sum is divided by the scale (100), so the limit
of 280 means 280 Latin characters or 140 CJK characters. Every URL weighs 23 characters
(what t.co makes of it; ``x_urls`` finds them) and every emoji sequence weighs 2, however many
code points it has.

What is ported exactly: the weights, NFC normalisation and the "blank text is 0" rule. What is
approximated, on purpose (the URL approximations are ``x_urls``'s):

* Emoji: twitter-text matches a frozen list of Unicode 12 emoji. Here a sequence is
  recognised by the UTS #51 grammar over Extended_Pictographic (flags, keycaps, tag
  sequences, modifiers, VS16, ZWJ joins), so emoji added after Unicode 12 and any ZWJ
  sequence also count 2; any pair of regional indicators is a flag. ``©``/``®`` count as
  emoji only with VS16, as in twitter-text.
"""

import re
import unicodedata
from typing import Final

from smmbot.domain.x_urls import find_urls

_SCALE: Final = 100
_DEFAULT_WEIGHT: Final = 200
_URL_WEIGHT: Final = 23 * _SCALE
_EMOJI_WEIGHT: Final = _DEFAULT_WEIGHT
_LIGHT_RANGES: Final = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_LIGHT_WEIGHT: Final = 100

# Java's String.trim() strips every code point <= U+0020; twitter-text returns 0 for a
# text that is empty after it.
_JAVA_TRIM: Final = "".join(chr(c) for c in range(0x21))

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
