"""The browser pages at the end of an OAuth install: done, or what went wrong, in the installer's
language (from the browser's Accept-Language, the only hint there is before Slack knows them).

Bolt's own pages are English only; these say the same through the message catalogs, in an
autoescaping template, since Slack's `reason` and URLs end up inside HTML.
"""

from __future__ import annotations

from babel import negotiate_locale

from smmbot.rendering.i18n import SUPPORTED_LOCALES, Translator, page_template


def page_locale(accept_language: str | None) -> str:
    """The supported language the browser prefers most, English when it names none of ours."""
    preferred = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        if tag and weight > 0:
            preferred.append((-weight, index, tag.replace("-", "_")))
    tags = [tag for _, _, tag in sorted(preferred)]
    return negotiate_locale(tags, list(SUPPORTED_LOCALES)) or "en"


def installed_page(tr: Translator, *, open_url: str, browser_url: str) -> str:
    """Installed: sends the browser on to the Slack app, with a link for Slack in a browser."""
    return page_template("install_result.html.j2").render(
        lang=tr.locale,
        title=tr.plain("install.done_title"),
        opening=tr.plain("install.done_opening"),
        open_url=open_url,
        open_link=tr.plain("install.done_open_link"),
        browser_url=browser_url,
        browser_link=tr.plain("install.done_browser_link"),
    )


def failed_page(tr: Translator, *, install_path: str, reason: str) -> str:
    """Not installed: why (Slack's or Bolt's reason code) and a link to start again."""
    return page_template("install_result.html.j2").render(
        lang=tr.locale,
        title=tr.plain("install.failed_title"),
        explanation=tr.plain("install.failed_explanation"),
        install_path=install_path,
        retry_link=tr.plain("install.failed_retry_link"),
        reason_label=tr.plain("install.failed_reason"),
        reason=reason,
    )
