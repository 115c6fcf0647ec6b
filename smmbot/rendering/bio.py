"""`/smm bio` replies, and the public link-in-bio page as HTML.

The page is server-rendered from an autoescaping Jinja2 template: every title and URL a member
typed is escaped, it needs no JavaScript, and its only style is inline (allowed by a per-response
nonce in the Content-Security-Policy), so it stays a few KB and fast on a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smmbot.rendering.i18n import Translator, page_template
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, slack_link
from smmbot.rendering.reply import Block, Context, Header, Reply, Section


@dataclass(frozen=True)
class PublicPage:
    title: str
    avatar_url: str
    links: tuple[tuple[str, str], ...]  # (title, our /r/<code> path), in order


def bio_list(
    tr: Translator,
    page_url: str | None,
    slug: str,
    links: Sequence[tuple[str, str]],
    *,
    added: str | None = None,
) -> Reply:
    lines = [
        tr.mrkdwn("bio.item", n=n, title=escape_mrkdwn(title), link=slack_link(url))
        for n, (title, url) in enumerate(links, start=1)
    ]
    blocks: list[Block] = [Header(tr.plain("bio.title"))]
    if added is not None:
        blocks.append(Section(tr.mrkdwn("bio.added", title=escape_mrkdwn(added))))
    where = (
        tr.mrkdwn("bio.page_at", link=slack_link(page_url))
        if page_url
        else tr.mrkdwn("bio.needs_public_url", slug=slug)
    )
    blocks.append(Section(where))
    blocks.append(Section(Mrkdwn("\n".join(lines)) if lines else tr.mrkdwn("bio.empty")))
    blocks.append(Context(tr.mrkdwn("bio.hint")))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("bio.fallback"))


def no_page(tr: Translator, prefix: str) -> Reply:
    return Reply(
        blocks=(Section(tr.mrkdwn("bio.no_page", prefix=prefix)),),
        fallback=tr.plain("bio.fallback"),
    )


def page_html(tr: Translator, page: PublicPage, *, nonce: str) -> str:
    return page_template("bio.html.j2").render(
        lang=tr.locale,
        nonce=nonce,
        title=page.title or tr.plain("bio.page_default_title"),
        avatar_url=page.avatar_url,
        links=page.links,
        empty=tr.plain("bio.page_empty"),
        links_label=tr.plain("bio.page_links_label"),
    )


def not_found_html(tr: Translator, *, nonce: str) -> str:
    return page_template("bio.html.j2").render(
        lang=tr.locale,
        nonce=nonce,
        title=tr.plain("bio.page_not_found_title"),
        avatar_url="",
        links=(),
        empty=tr.plain("bio.page_not_found"),
        links_label=tr.plain("bio.page_links_label"),
    )
