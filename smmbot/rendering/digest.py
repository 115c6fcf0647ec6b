"""The weekly digest as Block Kit, and the replies of `/smm digest settings|on|off`.

Each pillar is rendered from its own `PillarSummary` into its own section, so SMO numbers can
only appear under SMO and SMM numbers only under SMM. Every number goes through `formatting`
in the reader's language (`Rp5.000.000` in Indonesian); a missing value, a ratio over zero and
a ratio whose numerator was never logged show as "—".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time
from decimal import Decimal

from babel.dates import get_day_names

from smmbot.domain.digest import (
    Digest,
    Line,
    MetricLine,
    PillarSummary,
    RatioKind,
    RatioLine,
    TargetProgress,
)
from smmbot.domain.metrics import Unit
from smmbot.rendering import formatting, limits
from smmbot.rendering.i18n import Translator
from smmbot.rendering.insights import what_worked
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn
from smmbot.rendering.reply import Block, Context, Divider, Header, Reply, Section
from smmbot.rendering.sources import broken_notice, sources_footnote

MISSING = "—"
BAR_WIDTH = 10
_PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class SettingsView:
    enabled: bool
    weekday: int
    at: time
    zone: str
    channel_id: str | None


def digest_message(tr: Translator, prefix: str, digest: Digest, *, public: bool) -> Reply:
    week = digest.summary
    title = tr.plain(
        "digest.title",
        start=formatting.short_date(week.monday, tr.locale),
        end=formatting.short_date(week.sunday, tr.locale),
    )
    blocks: list[Block] = [Header(title)]
    if not week.has_data:
        example = prefix + tr.plain("digest.example_log")
        blocks.append(Section(tr.mrkdwn("digest.no_data", example=example)))
    else:
        blocks += [
            Section(_pillar(tr, digest, week.smo, "digest.smo_title")),
            *what_worked(tr, digest.top_posts, digest.timezone),
            Section(_pillar(tr, digest, week.smm, "digest.smm_title")),
            Context(tr.mrkdwn("digest.compared")),
        ]
        if digest.sources:
            blocks.append(sources_footnote(tr, digest.sources))
    if digest.broken_sources:
        blocks.append(broken_notice(tr, prefix, digest.broken_sources))
    if digest.targets:
        lines = [
            tr.mrkdwn("digest.targets_title"),
            *(target_line(tr, t, digest.currency) for t in digest.targets),
        ]
        blocks += [Section(text) for text in limits.chunk_lines(lines)]
    blocks += [Divider(), Section(_execution(tr, digest))]
    if digest.campaigns:
        blocks += [Section(text) for text in limits.chunk_lines(_campaigns(tr, digest))]
    return Reply(blocks=tuple(blocks), fallback=title, public=public)


def without_chart(tr: Translator, message: Reply) -> Reply:
    """The digest when fewer than two weeks have numbers: a line saying why no chart comes,
    instead of a picture of one point and empty axes."""
    note = Context(tr.mrkdwn("chart.not_enough_weeks"))
    return replace(message, blocks=(*message.blocks, note))


def _pillar(tr: Translator, digest: Digest, pillar: PillarSummary, title_key: str) -> Mrkdwn:
    lines = [tr.mrkdwn(title_key)]
    lines += [metric_line(tr, digest, line) for line in pillar.metrics]
    lines += [ratio_line(tr, digest, ratio) for ratio in pillar.ratios]
    if title_key == "digest.smo_title" and digest.website_shares:
        lines.append(_website_shares(tr, digest))
    for key, mover in (("digest.best", pillar.best), ("digest.worst", pillar.worst)):
        if mover is not None:
            lines.append(_mover(tr, key, mover))
    return Mrkdwn("\n".join(lines))


def _website_shares(tr: Translator, digest: Digest) -> Mrkdwn:
    """`From your website's share bar: *3* shares (WhatsApp 2 · Facebook 1)`."""
    per_network = " · ".join(
        f"{tr.plain(f'sharebar.button.{network}')} {formatting.number(Decimal(count), tr.locale)}"
        for network, count in digest.website_shares
    )
    total = sum(count for _, count in digest.website_shares)
    return tr.mrkdwn(
        "digest.website_shares",
        total=formatting.number(Decimal(total), tr.locale),
        count=total,
        per_network=per_network,
    )


def metric_line(tr: Translator, digest: Digest, line: MetricLine) -> Mrkdwn:
    """`Followers: *1,641* (+53) ↑ 3.3%` — also the App Home's tiles."""
    growth = line.growth if line.name == "followers" else None
    return tr.mrkdwn(
        "digest.line",
        label=tr.plain(f"digest.metric.{line.name}"),
        value=_value(tr, digest, line.value, line.unit),
        growth=_signed(tr, growth) if growth is not None else "",
        change=_change(tr, line.change_percent),
    )


def _value(tr: Translator, digest: Digest, value: Decimal | None, unit: Unit) -> str:
    return _amount(tr, value, unit, digest.currency)


def _amount(tr: Translator, value: Decimal | None, unit: Unit, currency: str) -> str:
    if value is None:
        return MISSING
    if unit is Unit.MONEY:
        return formatting.money(value, currency, tr.locale)
    return formatting.number(value, tr.locale)


def _signed(tr: Translator, value: Decimal) -> str:
    return ("+" if value >= 0 else "-") + formatting.number(abs(value), tr.locale)


def _percent(tr: Translator, fraction_times_100: Decimal) -> str:
    return formatting.number(fraction_times_100.quantize(_PERCENT), tr.locale) + "%"


def _change(tr: Translator, change: Decimal | None) -> str:
    """`↑ 20%`, `↓ 12,5%` or `→ 0%` against last week; nothing when there is no comparison."""
    if change is None:
        return ""
    arrow = "↑" if change > 0 else "↓" if change < 0 else "→"
    return f"{arrow} {_percent(tr, abs(change))}"


def ratio_line(tr: Translator, digest: Digest, line: RatioLine) -> Mrkdwn:
    if line.value is None:
        shown = MISSING
    elif line.kind is RatioKind.PERCENT:
        shown = _percent(tr, line.value * 100)
    elif line.kind is RatioKind.MONEY:
        shown = formatting.money(line.value, digest.currency, tr.locale)
    else:
        shown = formatting.number(line.value.quantize(Decimal("0.01")), tr.locale) + "\u00d7"
    return tr.mrkdwn(
        "digest.line",
        label=tr.plain(f"digest.ratio.{line.name}"),
        value=shown,
        growth="",
        change=_change(tr, line.change_percent),
    )


def _mover(tr: Translator, key: str, line: Line) -> Mrkdwn:
    """`Best mover: CPC ↓ 20%`: the arrow is the number's own direction, whichever way is good."""
    kind = "metric" if isinstance(line, MetricLine) else "ratio"
    return tr.mrkdwn(
        key, label=tr.plain(f"digest.{kind}.{line.name}"), change=_change(tr, line.change_percent)
    )


def progress_bar(fraction: Decimal | None) -> str:
    """`▓▓▓▓▓░░░░░` for one half; full past the target, empty when there is no target."""
    share = min(max(fraction or Decimal(0), Decimal(0)), Decimal(1))
    filled = int((share * BAR_WIDTH).to_integral_value())
    return "▓" * filled + "░" * (BAR_WIDTH - filled)


def target_line(
    tr: Translator, target: TargetProgress, currency: str, key: str = "digest.target"
) -> Mrkdwn:
    """A target against what was achieved, with its bar: the digest's and `campaign show`'s."""
    percent = _percent(tr, target.fraction * 100) if target.fraction is not None else MISSING
    return tr.mrkdwn(
        key,
        campaign=target.campaign,
        label=tr.plain(f"digest.metric.{target.metric}"),
        achieved=_amount(tr, target.achieved, target.unit, currency),
        target=_amount(tr, target.target, target.unit, currency),
        bar=progress_bar(target.fraction),
        percent=percent,
    )


def _execution(tr: Translator, digest: Digest) -> Mrkdwn:
    done = digest.execution
    lines = [
        tr.mrkdwn(
            "digest.execution",
            scheduled=done.scheduled,
            published=done.published,
            missed=done.missed,
        ),
        tr.mrkdwn("digest.next_week_title"),
    ]
    for post in digest.upcoming:
        first_line = post.text.strip().splitlines()[0] if post.text.strip() else ""
        lines.append(
            tr.mrkdwn(
                "digest.upcoming",
                when=formatting.moment(post.due_at, digest.timezone, tr.locale),
                platform=tr.plain(f"platform.{post.platform}") if post.platform else MISSING,
                text=first_line[:80],
            )
        )
    if not digest.upcoming:
        lines.append(tr.mrkdwn("digest.no_upcoming"))
    return Mrkdwn("\n".join(lines))


def _campaigns(tr: Translator, digest: Digest) -> list[Mrkdwn]:
    lines = [tr.mrkdwn("digest.campaigns_title")]
    for campaign in digest.campaigns:
        lines.append(
            tr.mrkdwn(
                "digest.campaign",
                name=campaign.name,
                days=campaign.days_left,
                used=formatting.money(campaign.budget_used, digest.currency, tr.locale),
                budget=formatting.money(campaign.budget, digest.currency, tr.locale)
                if campaign.budget is not None
                else "",
            )
        )
    return lines


def settings(tr: Translator, view: SettingsView, *, changed: bool) -> Reply:
    """When and where the weekly digest goes (and whether it goes at all)."""
    weekday = get_day_names("wide", locale=formatting.babel_locale(tr.locale))[view.weekday]
    channel = Mrkdwn(f"<#{escape_mrkdwn(view.channel_id)}>") if view.channel_id else ""
    params: dict[str, object] = {
        "enabled": view.enabled,
        "day": weekday,
        "time": view.at.strftime("%H:%M"),
        "zone": view.zone,
        "channel": channel,
        "changed": changed,
    }
    return Reply(
        blocks=(Section(tr.mrkdwn("digest.settings", **params)),),
        fallback=tr.plain("digest.settings", **params),
    )
