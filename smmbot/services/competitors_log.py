"""`/smm log followers 5200 competitor=<name>`: a competitor's number typed by hand.

Without Meta connected this is how a competitor's followers, posts and engagements arrive. The
reading goes to the competitor's own readings, never to the workspace's metric readings, so
our totals, digest and targets cannot count it; `campaign=` and `platform=` describe our own
readings and are refused beside `competitor=`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from smmbot.domain.competitors import name_key, read_competitor_metric
from smmbot.domain.metrics import METRICS
from smmbot.domain.readings import ReadingError, ReadingProblem, read_day, read_value
from smmbot.persistence.competitors_repository import MANUAL, CompetitorRepository
from smmbot.rendering import competitors as replies
from smmbot.rendering.dates import date_hint
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.context import CommandRequest


def log_competitor(request: CommandRequest) -> Reply:
    tr, ctx, actor, options = request.tr, request.ctx, request.actor, request.command.options
    name, *rest = request.command.arguments
    typed = options["competitor"]
    metric = read_competitor_metric(name)
    if metric is None:
        raise Refusal(tr.mrkdwn("competitors.log_metric", metric=name), usage_of=request.subcommand)
    if "campaign" in options or "platform" in options:
        raise Refusal(tr.mrkdwn("competitors.log_ours_only"), usage_of=request.subcommand)
    now = ctx.clock()
    today = now.astimezone(ZoneInfo(actor.timezone)).date()
    try:
        value = read_value(METRICS["followers"], " ".join(rest), currency="")
        day = read_day(options["date"], today=today) if "date" in options else today
    except ReadingError as error:
        hint = date_hint(tr, error.text) if error.problem is ReadingProblem.BAD_DATE else ""
        message = tr.mrkdwn(
            f"metrics_problem.{error.problem.value}",
            text=error.text,
            metric=name,
            money=False,
            currency="",
            hint=hint,
        )
        raise Refusal(message, usage_of=request.subcommand) from error
    with ctx.db.transaction() as session:
        repository = CompetitorRepository(session, actor.team_id)
        competitor = repository.find_by_name(name_key(typed))
        if competitor is None:
            names = ", ".join(c.name for c in repository.list_all())
            message = tr.mrkdwn("competitors.unknown", name=typed, names=names)
            raise Refusal(message, usage_of=request.subcommand)
        repository.upsert_readings({(competitor.id, day, metric): value}, source=MANUAL, now=now)
        shown = competitor.name
    return replies.logged(tr, shown, name.strip().casefold(), value, day)
