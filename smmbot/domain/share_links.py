"""Share-intent links, so a reader can pass a post's link on with one tap."""

from urllib.parse import quote


def _encode(value: str) -> str:
    # safe="" so "&", "#", "?", "/" and spaces in the shared URL or text stay inside one value.
    return quote(value, safe="")


def share_links(url: str, text: str = "") -> dict[str, str]:
    """Return share URLs for ``url`` (and optional ``text``), keyed and ordered by network.

    Order: facebook, x, linkedin, whatsapp, telegram. Facebook and LinkedIn take only the
    URL (they read the page's Open Graph tags); WhatsApp has a single text field, so it
    gets ``"text url"``. An empty ``text`` is left out rather than sent as ``text=``.
    """
    encoded_url = _encode(url)
    if text:
        x_query = f"text={_encode(text)}&url={encoded_url}"
        telegram_query = f"url={encoded_url}&text={_encode(text)}"
        whatsapp_text = f"{text} {url}"
    else:
        x_query = telegram_query = f"url={encoded_url}"
        whatsapp_text = url
    return {
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={encoded_url}",
        "x": f"https://x.com/intent/post?{x_query}",
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={encoded_url}",
        "whatsapp": f"https://wa.me/?text={_encode(whatsapp_text)}",
        "telegram": f"https://t.me/share/url?{telegram_query}",
    }
