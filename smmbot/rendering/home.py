"""The App Home tab: this week's SMO and SMM at a glance, and what is coming up next."""

from __future__ import annotations

from collections.abc import Sequence

from smmbot.domain.digest import Digest, PillarSummary
from smmbot.rendering import formatting
from smmbot.rendering.calendar import ItemView
from smmbot.rendering.digest import metric_line, ratio_line
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Block, Context, Divider, Header, Reply, Section
from smmbot.rendering.sources import broken_notice

SMO_TILES = ("followers", "reach", "social_sessions", "share_rate")
SMM_TILES = ("ad_spend", "revenue", "orders", "roas")


def _tiles(
    tr: Translator, digest: Digest, pillar: PillarSummary, names: Sequence[str]
) -> tuple[str, ...]:
    metrics = {line.name: metric_line(tr, digest, line) for line in pillar.metrics}
    ratios = {line.name: ratio_line(tr, digest, line) for line in pillar.ratios}
    found = {**metrics, **ratios}
    return tuple(found[name] for name in names if name in found)


def home(
    tr: Translator,
    prefix: str,
    digest: Digest,
    upcoming: Sequence[ItemView],
    review: Sequence[Block] = (),
) -> Reply:
    """`review`: an approver's queue of posts waiting for a decision, shown first."""
    week = digest.summary
    title = tr.plain("home.title", start=formatting.short_date(week.monday, tr.locale))
    blocks: list[Block] = [Header(title), *review]
    if review:
        blocks.append(Divider())
    if not week.has_data:
        blocks.append(
            Section(tr.mrkdwn("digest.no_data", example=prefix + tr.plain("digest.example_log")))
        )
    else:
        blocks += [
            Section(tr.mrkdwn("digest.smo_title"), fields=_tiles(tr, digest, week.smo, SMO_TILES)),
            Section(tr.mrkdwn("digest.smm_title"), fields=_tiles(tr, digest, week.smm, SMM_TILES)),
            Context(tr.mrkdwn("digest.compared")),
        ]
    if digest.broken_sources:
        blocks.append(broken_notice(tr, prefix, digest.broken_sources))
    blocks += [Divider(), Section(tr.mrkdwn("home.upcoming_title"))]
    if not upcoming:
        blocks.append(Context(tr.mrkdwn("home.nothing_upcoming", prefix=prefix)))
    for item in upcoming:
        when = formatting.moment(item.due_at, item.timezone, tr.locale)
        platform = tr.plain(f"platform.{item.platform}") if item.platform else "—"
        blocks.append(
            Section(
                tr.mrkdwn("home.upcoming_line", when=when, platform=platform, text=item.text[:120])
            )
        )
    blocks.append(Context(tr.mrkdwn("home.hint", prefix=prefix)))
    return Reply(blocks=tuple(blocks), fallback=title)
