"""`/smm log <metric> <value>`: record one number the team watches.

A reading is what happened on one day, so the day defaults to today where the member is and a
future day is refused. Logging the same metric, day, campaign and platform again replaces the
value (people correct typos by typing again) and the reply says which value it replaced.
Nothing is saved unless every part of the command is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from smmbot.domain.metrics import (
    CONNECTOR_SOURCES,
    Metric,
    Unit,
    metrics_by_pillar,
    suggest_metric,
)
from smmbot.domain.readings import (
    ReadingError,
    ReadingProblem,
    read_day,
    read_metric,
    read_platform,
    read_value,
)
from smmbot.domain.templates import Pillar
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import formatting
from smmbot.rendering.dates import date_hint
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply, Section
from smmbot.rendering.sources import source_label
from smmbot.services.competitors_log import log_competitor
from smmbot.services.context import CommandRequest
from smmbot.services.metrics_rows import campaign_name

MANUAL_SOURCE = "manual"


@dataclass(frozen=True)
class _Saved:
    metric: Metric
    value: Decimal
    previous: Decimal | None
    day: date
    campaign: str
    platform: str
    currency: str
    shown_name: str
    """The metric as the member named it (``pengikut`` or ``followers``): the reply echoes it."""
    replaced_sources: tuple[str, ...] = ()


def handle_log(request: CommandRequest) -> Reply:
    if not request.command.arguments:
        message = request.tr.mrkdwn("metrics_problem.missing", prefix=request.prefix)
        raise Refusal(message, usage_of=request.subcommand)
    if "competitor" in request.command.options:
        return log_competitor(request)
    return _saved_reply(request.tr, _save(request))


def problem_message(
    tr: Translator,
    error: ReadingError,
    *,
    metric: Metric | None,
    currency: str,
    prefix: str,
    typed: str = "",
) -> Mrkdwn:
    """A reading problem in the member's language; the CSV import words its rows with it too.

    An unknown metric comes with a "did you mean" read from ``typed`` (the metric word and
    the word after it when that is no number, so ``log ad spend 5000`` suggests ``ad_spend``
    and quotes "ad spend"), else from its text.
    """
    grouped = metrics_by_pillar()
    unknown = error.problem is ReadingProblem.UNKNOWN_METRIC
    from_typed = suggest_metric(typed) if unknown else None
    suggestion = from_typed or (suggest_metric(error.text) if unknown else None)
    return tr.mrkdwn(
        f"metrics_problem.{error.problem.value}",
        text=typed if from_typed else error.text,
        field=error.field,
        metric=metric.local_name(tr.locale) if metric else "",
        money=metric is not None and metric.unit is Unit.MONEY,
        currency=currency,
        prefix=prefix,
        smo=", ".join(m.local_name(tr.locale) for m in grouped[Pillar.SMO]),
        smm=", ".join(m.local_name(tr.locale) for m in grouped[Pillar.SMM]),
        suggestion=suggestion or "",
        hint=date_hint(tr, error.text) if error.problem is ReadingProblem.BAD_DATE else "",
    )


def _save(request: CommandRequest) -> _Saved:
    ctx, actor, tr = request.ctx, request.actor, request.tr
    name, *rest = request.command.arguments
    options = request.command.options
    now = ctx.clock()
    metric: Metric | None = None
    with ctx.db.transaction() as session:
        currency = WorkspaceRepository(session, actor.team_id).get_or_create(now=now).currency
        try:
            metric = read_metric(name)
            if not rest:
                message = tr.mrkdwn(
                    "metrics_problem.missing_value",
                    metric=name.strip().casefold(),
                    prefix=request.prefix,
                )
                raise Refusal(message, usage_of=request.subcommand)
            value = read_value(metric, " ".join(rest), currency=currency)
            today = now.astimezone(ZoneInfo(actor.timezone)).date()
            day = read_day(options["date"], today=today) if "date" in options else today
            platform = read_platform(options.get("platform", ""))
            campaigns = CampaignRepository(session, actor.team_id)
            campaign = campaign_name(campaigns, options.get("campaign", ""))
        except ReadingError as error:
            raise _reading_refusal(request, error, metric, currency) from error
        upserted = MetricRepository(session, actor.team_id).upsert(
            day=day,
            metric=metric.name,
            value=value,
            campaign=campaign,
            platform=platform,
            source=MANUAL_SOURCE,
            recorded_by=actor.user_id,
            now=now,
        )
        replaced = MetricRepository(session, actor.team_id).remove_sources_of(
            day=day,
            metric=metric.name,
            campaign=campaign,
            platform=platform,
            sources=CONNECTOR_SOURCES,
        )
    shown = name.strip().casefold()
    previous = upserted.previous
    return _Saved(
        metric, value, previous, day, campaign, platform, currency, shown, tuple(replaced)
    )


def _reading_refusal(
    request: CommandRequest, error: ReadingError, metric: Metric | None, currency: str
) -> Refusal:
    """`log ad spend 5000`: a metric name typed as two words is offered back as one."""
    name, *rest = request.command.arguments
    two_words = bool(rest) and not any(char.isdigit() for char in rest[0])
    typed = f"{name} {rest[0]}" if two_words else ""
    message = problem_message(
        request.tr, error, metric=metric, currency=currency, prefix=request.prefix, typed=typed
    )
    return Refusal(message, usage_of=request.subcommand)


def format_value(value: Decimal, metric: Metric, currency: str, locale: str) -> str:
    if metric.unit is Unit.MONEY:
        return formatting.money(value, currency, locale)
    return formatting.number(value, locale)


def _saved_reply(tr: Translator, saved: _Saved) -> Reply:
    value = format_value(saved.value, saved.metric, saved.currency, tr.locale)
    lines = [
        tr.mrkdwn(
            "metrics.saved",
            metric=saved.shown_name,
            pillar=tr.plain(f"metrics.pillar_{saved.metric.pillar.value}"),
            value=value,
            day=formatting.short_date(saved.day, tr.locale),
            campaign=saved.campaign,
            platform=saved.platform,
        )
    ]
    if saved.previous is not None:
        previous = format_value(saved.previous, saved.metric, saved.currency, tr.locale)
        lines.append(tr.mrkdwn("metrics.replaced", previous=previous))
    if saved.replaced_sources:
        names = ", ".join(source_label(tr, source) for source in saved.replaced_sources)
        lines.append(tr.mrkdwn("metrics.replaced_connector", sources=names))
    return Reply(
        blocks=(Section(Mrkdwn("\n".join(lines))),),
        fallback=tr.plain("metrics.saved_fallback", metric=saved.shown_name, value=value),
    )
