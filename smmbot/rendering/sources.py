"""Replies of `/smm connect`, `/smm disconnect` and `/smm sources`, the account picker, the DM
that a source broke, and the browser page at the end of signing in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from smmbot.rendering import formatting
from smmbot.rendering.i18n import Translator, page_template
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, slack_link
from smmbot.rendering.reply import Actions, Block, Button, Context, Divider, Header, Reply, Section

PICK_ACTION = "connector_pick"
MAX_CHOICES = 25  # one Actions block holds 25 buttons


def provider_label(tr: Translator, provider: str) -> str:
    return tr.plain(f"sources.provider_{provider}")


def text_reply(tr: Translator, key: str, **params: object) -> Reply:
    text = tr.mrkdwn(key, **params)
    return Reply(blocks=(Section(text),), fallback=tr.plain(key, **params)[:300])


def sign_in(tr: Translator, provider: str, url: str) -> Reply:
    label = provider_label(tr, provider)
    link = slack_link(url, tr.plain("sources.sign_in_label", provider=label))
    return Reply(
        blocks=(Section(tr.mrkdwn("sources.sign_in", provider=label, link=link)),),
        fallback=tr.plain("sources.sign_in_fallback", provider=label),
    )


def picker(tr: Translator, provider: str, choices: Sequence[tuple[str, str]]) -> Reply:
    """One button per offered account; `choices` is (value, account name)."""
    label = provider_label(tr, provider)
    buttons = tuple(Button(name[:75], PICK_ACTION, value) for value, name in choices[:MAX_CHOICES])
    return Reply(
        blocks=(Section(tr.mrkdwn("sources.pick", provider=label)), Actions(buttons)),
        fallback=tr.plain("sources.pick_fallback", provider=label),
    )


@dataclass(frozen=True)
class SourceView:
    provider: str
    status: str
    accounts: tuple[str, ...]
    metrics: tuple[str, ...]
    last_sync_at: datetime | None
    last_count: int
    last_start: date | None
    last_end: date | None
    next_sync_at: datetime | None
    problem: str | None
    failed_accounts: tuple[str, ...] = ()


def overview(tr: Translator, prefix: str, views: Sequence[SourceView], zone: str) -> Reply:
    title = tr.plain("sources.title")
    if not views:
        return Reply(
            blocks=(Header(title), Section(tr.mrkdwn("sources.none", prefix=prefix))),
            fallback=title,
        )
    blocks: list[Block] = [Header(title)]
    for view in views:
        blocks += [Section(_describe(tr, prefix, view, zone)), Divider()]
    return Reply(blocks=tuple(blocks[:-1]), fallback=tr.plain("sources.fallback"))


def _describe(tr: Translator, prefix: str, view: SourceView, zone: str) -> Mrkdwn:
    def when(moment: datetime | None) -> str:
        return formatting.moment(moment, zone, tr.locale) if moment else ""

    def day(value: date | None) -> str:
        return formatting.short_date(value, tr.locale) if value else ""

    lines = [
        tr.mrkdwn(
            "sources.source_line",
            provider=provider_label(tr, view.provider),
            status=view.status,
            prefix=prefix,
            name=view.provider,
        ),
        tr.mrkdwn("sources.accounts", accounts=", ".join(view.accounts) or "—"),
        tr.mrkdwn("sources.feeds", metrics=", ".join(view.metrics) or "—"),
        tr.mrkdwn(
            "sources.last_sync",
            when=when(view.last_sync_at),
            count=view.last_count,
            start=day(view.last_start),
            end=day(view.last_end),
        ),
        tr.mrkdwn("sources.next_sync", when=when(view.next_sync_at)),
    ]
    if view.problem:
        accounts = ", ".join(view.failed_accounts)
        lines.append(tr.mrkdwn(f"sources.problem_{view.problem}", accounts=accounts))
    return Mrkdwn("\n".join(lines)[:2900])


def broken_notice(tr: Translator, prefix: str, providers: Sequence[str]) -> Context:
    """The digest's and App Home's line naming sources that stopped updating."""
    names = ", ".join(provider_label(tr, p) for p in providers)
    return Context(tr.mrkdwn("sources.digest_broken", providers=names, prefix=prefix))


_OWN_SOURCES = {
    "manual": "sources.source_manual",
    "api": "sources.source_api",
    "csv": "sources.source_csv",
    "posts": "sources.source_posts",
}
_PROVIDER_SOURCES = {
    "ga4": "Google Analytics 4",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "meta_ads": "Meta Ads",
}


def source_label(tr: Translator, source: str) -> str:
    """Our words for our own ways in, the product's name for a connector's."""
    if source in _OWN_SOURCES:
        return tr.plain(_OWN_SOURCES[source])
    return _PROVIDER_SOURCES.get(source, source)


def sources_footnote(tr: Translator, sources: Sequence[str]) -> Context:
    """Names where the week's numbers came from."""
    shown = ", ".join(source_label(tr, s) for s in sources)
    return Context(tr.mrkdwn("sources.digest_sources", sources=escape_mrkdwn(shown)))


def connect_page(tr: Translator, *, done: bool, reason: str = "") -> str:
    """The browser page after the provider sends the member back, autoescaped."""
    if done:
        title, explanation = "connect_page.done_title", "connect_page.done_explanation"
    else:
        title, explanation = "connect_page.failed_title", f"connect_page.failed_{reason}"
    return page_template("connect_result.html.j2").render(
        lang=tr.locale, title=tr.plain(title), explanation=tr.plain(explanation)
    )
