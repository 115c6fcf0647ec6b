"""Which requests for a short link are people, so automated fetches don't inflate clicks.

Every network and chat app fetches a shared link once to draw its preview card (Slack when the
link is pasted, Facebook and WhatsApp when it is shared, …), and search crawlers follow links
they find. Link shorteners such as Bitly leave those out of click counts; so do we. The list
names the preview fetchers of the places a share kit goes plus the two big crawlers, matched
case-insensitively as substrings of the User-Agent: a generic "bot" test would also hit real
phones (the CUBOT brand), and in-app browsers (FBAN, LinkedInApp) are people and must count.
"""

from typing import Final

_PREVIEW_FETCHERS: Final = (
    "facebookexternalhit",
    "facebot",
    "twitterbot",
    "linkedinbot",
    "whatsapp",
    "telegrambot",
    "slackbot",
    "slack-imgproxy",
    "discordbot",
    "skypeuripreview",
    "googlebot",
    "bingbot",
)


def is_link_preview(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(fetcher in agent for fetcher in _PREVIEW_FETCHERS)
