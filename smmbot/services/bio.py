"""`/smm bio`: keep the workspace's link-in-bio page; and the page's content for a visitor.

Every link is saved with a tracked short link tagged `utm_source=bio`, so a visitor's tap on
the page goes through `/r/<code>` and is counted as `link_clicks` with source `bio`.
"""

from __future__ import annotations

from smmbot.domain.bio import (
    MAX_LINKS,
    MAX_TITLE,
    SHORT_LINK_CAMPAIGN,
    SHORT_LINK_SOURCE,
    is_web_url,
    moved,
)
from smmbot.domain.commands import subcommand
from smmbot.domain.utm import tag_url
from smmbot.persistence.bio_repository import BioRepository, page_by_slug
from smmbot.persistence.links_repository import ShortLinkRepository
from smmbot.persistence.models import BioLink
from smmbot.rendering import bio as replies
from smmbot.rendering.mrkdwn import Mrkdwn, unescape_mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.context import CommandRequest, ServiceContext

BIO = subcommand("bio")


def handle_bio(request: CommandRequest) -> Reply:
    """The catalog has made the action word canonical (`tambah` → `add`) and refused any other
    word; none lists."""
    words = request.command.arguments
    action = words[0] if words else "list"
    handler = {
        "add": _add,
        "list": _list,
        "remove": _remove,
        "move": _move,
        "settings": _settings,
    }[action]
    return handler(request, list(words[1:]))


def _refusal(message: Mrkdwn) -> Refusal:
    return Refusal(message, usage_of=BIO)


def _typed_url(word: str) -> str:
    if word.startswith("<") and word.endswith(">"):
        word = word[1:-1].partition("|")[0]
    return unescape_mrkdwn(word)


def _add(request: CommandRequest, words: list[str]) -> Reply:
    tr, ctx, actor = request.tr, request.ctx, request.actor
    if len(words) != 1:
        raise _refusal(tr.mrkdwn("bio.add_usage"))
    url = _typed_url(words[0])
    if not is_web_url(url):
        raise _refusal(tr.mrkdwn("bio.bad_url", url=url))
    title = (request.command.options.get("title") or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise _refusal(tr.mrkdwn("bio.bad_title", limit=MAX_TITLE))
    target = tag_url(url, source=SHORT_LINK_SOURCE, medium="social", campaign=SHORT_LINK_CAMPAIGN)
    with ctx.db.transaction() as session:
        bio = BioRepository(session, actor.team_id)
        page = bio.get_or_create(now=ctx.clock())
        if len(bio.list_links()) >= MAX_LINKS:
            raise _refusal(tr.mrkdwn("bio.full", limit=MAX_LINKS))
        short = ShortLinkRepository(session, actor.team_id)
        tags = {"campaign": SHORT_LINK_CAMPAIGN, "source": SHORT_LINK_SOURCE, "medium": "social"}
        link = short.find(target_url=target, **tags) or short.add(
            target_url=target, created_by=actor.user_id, now=ctx.clock(), **tags
        )
        bio.add(title=title, url=url, code=link.code, created_by=actor.user_id, now=ctx.clock())
        return replies.bio_list(
            tr, _page_url(ctx, page.slug), page.slug, _entries(bio.list_links()), added=title
        )


def _list(request: CommandRequest, words: list[str]) -> Reply:
    if words:
        raise _refusal(request.tr.mrkdwn("bio.extra_words", words=" ".join(words)))
    with request.ctx.db.transaction() as session:
        bio = BioRepository(session, request.actor.team_id)
        page = bio.get()
        if page is None:
            return replies.no_page(request.tr, request.prefix)
        url = _page_url(request.ctx, page.slug)
        return replies.bio_list(request.tr, url, page.slug, _entries(bio.list_links()))


def _position(text: str, count: int) -> int | None:
    return int(text) if text.isdigit() and 1 <= int(text) <= count else None


def _remove(request: CommandRequest, words: list[str]) -> Reply:
    tr = request.tr
    with request.ctx.db.transaction() as session:
        bio = BioRepository(session, request.actor.team_id)
        links = bio.list_links()
        number = _position(words[0], len(links)) if len(words) == 1 else None
        if number is None:
            raise _refusal(tr.mrkdwn("bio.bad_number", count=len(links), action="remove"))
        bio.remove(links.pop(number - 1))
        bio.renumber(links)
        page = bio.get_or_create(now=request.ctx.clock())
        return replies.bio_list(tr, _page_url(request.ctx, page.slug), page.slug, _entries(links))


def _move(request: CommandRequest, words: list[str]) -> Reply:
    tr = request.tr
    with request.ctx.db.transaction() as session:
        bio = BioRepository(session, request.actor.team_id)
        links = bio.list_links()
        source = _position(words[0], len(links)) if len(words) == 2 else None
        target = _position(words[1], len(links)) if len(words) == 2 else None
        if source is None or target is None:
            raise _refusal(tr.mrkdwn("bio.bad_number", count=len(links), action="move"))
        links = moved(links, source, target)
        bio.renumber(links)
        page = bio.get_or_create(now=request.ctx.clock())
        return replies.bio_list(tr, _page_url(request.ctx, page.slug), page.slug, _entries(links))


def _settings(request: CommandRequest, words: list[str]) -> Reply:
    tr, options = request.tr, request.command.options
    if words or not options:
        raise _refusal(tr.mrkdwn("bio.settings_usage"))
    title = options.get("title")
    avatar = _typed_url(options["avatar"]) if "avatar" in options else None
    if title is not None and len(title.strip()) > MAX_TITLE:
        raise _refusal(tr.mrkdwn("bio.bad_title", limit=MAX_TITLE))
    if avatar and not is_web_url(avatar):
        raise _refusal(tr.mrkdwn("bio.bad_url", url=avatar))
    with request.ctx.db.transaction() as session:
        bio = BioRepository(session, request.actor.team_id)
        page = bio.get_or_create(now=request.ctx.clock())
        if title is not None:
            page.title = title.strip()
        if avatar is not None:
            page.avatar_url = avatar
        page.updated_at = request.ctx.clock()
        return replies.bio_list(
            tr, _page_url(request.ctx, page.slug), page.slug, _entries(bio.list_links())
        )


def _entries(links: list[BioLink]) -> list[tuple[str, str]]:
    return [(link.title, link.url) for link in links]


def _page_url(ctx: ServiceContext, slug: str) -> str | None:
    return f"{ctx.public_url}/b/{slug}" if ctx.public_url else None


def bio_page(*, ctx: ServiceContext, slug: str) -> replies.PublicPage | None:
    """What a visitor of `/b/<slug>` sees, or None for an unknown slug."""
    with ctx.db.transaction() as session:
        found = page_by_slug(session, slug)
        if found is None:
            return None
        page, links = found
        return replies.PublicPage(
            title=page.title,
            avatar_url=page.avatar_url,
            links=tuple((link.title, f"/r/{link.code}") for link in links),
        )
