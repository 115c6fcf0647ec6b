"""Replies for `/smm campaign`: the form, confirmations, problems, the list and one campaign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from smmbot.domain.digest import TargetProgress
from smmbot.domain.metrics import METRICS, suggest_metric
from smmbot.rendering import formatting, limits
from smmbot.rendering.dates import date_hint
from smmbot.rendering.digest import target_line
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, mention
from smmbot.rendering.reply import Block, Context, Divider, Form, FormField, Header, Reply, Section

CAMPAIGN_FORM_CALLBACK = "campaign_form"


@dataclass(frozen=True)
class CampaignView:
    """A campaign as the reader needs it, with status and days left already worked out."""

    name: str
    objective: str
    start: date
    end: date
    status: str
    days_left: int | None
    budget: Decimal | None
    currency: str
    owner_id: str | None
    platforms: Sequence[str]


@dataclass(frozen=True)
class ItemLine:
    when: datetime
    timezone: str
    platform: str | None
    text: str


def problem_text(tr: Translator, field: str, code: str, value: str) -> str:
    key = (
        f"campaign_problem.{code}"
        if tr.has(f"campaign_problem.{code}")
        else "campaign_problem.other"
    )
    return tr.plain(
        key,
        field=field,
        value=value,
        metrics=", ".join(metric.local_name(tr.locale) for metric in METRICS.values()),
        suggestion=(code == "unknown_metric" and suggest_metric(value)) or "",
        hint=date_hint(tr, value) if code == "bad_date" else "",
    )


def not_saved(
    tr: Translator, problems: Sequence[tuple[str, str, str]], key: str = "campaign.not_saved"
) -> Reply:
    """Every problem at once; `key` heads them (not saved, or not changed for an edit)."""
    lines = [
        tr.mrkdwn("campaign.problem_line", text=problem_text(tr, *problem)) for problem in problems
    ]
    text = Mrkdwn(tr.mrkdwn(key) + "\n" + "\n".join(lines))
    return Reply(blocks=(Section(text),), fallback=tr.plain(key))


def _common(tr: Translator, view: CampaignView) -> dict[str, object]:
    return {
        "name": view.name,
        "objective": tr.plain(f"campaign.objective_{view.objective}"),
        "start": formatting.short_date(view.start, tr.locale),
        "end": formatting.short_date(view.end, tr.locale),
        "status": tr.plain(f"campaign.status_{view.status}"),
        "days_left": view.days_left,
        "budget": formatting.money(view.budget, view.currency, tr.locale)
        if view.budget is not None
        else "",
    }


def created(tr: Translator, prefix: str, view: CampaignView) -> Reply:
    """A campaign entered after its period says so (it is saved as ended, for logging its
    results), which also catches a wrong year at once."""
    blocks: list[Block] = [Section(tr.mrkdwn("campaign.created", **_common(tr, view)))]
    if view.status == "ended":
        blocks.append(Context(tr.mrkdwn("campaign.created_ended", name=view.name, prefix=prefix)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("campaign.created", **_common(tr, view)))


def listing(tr: Translator, prefix: str, views: Sequence[CampaignView], example: str) -> Reply:
    if not views:
        text = tr.mrkdwn("campaign.list_empty", prefix=prefix, example=prefix + example)
        return Reply(blocks=(Section(text),), fallback=tr.plain("campaign.list_title"))
    lines = [tr.mrkdwn("campaign.list_line", **_common(tr, view)) for view in views]
    sections: list[Block] = [Section(text) for text in limits.chunk_lines(lines)]
    blocks = (Header(tr.plain("campaign.list_title")), *sections[: limits.MESSAGE_BLOCKS - 1])
    return Reply(blocks=blocks, fallback=tr.plain("campaign.list_title"))


@dataclass(frozen=True)
class Progress:
    """Where a campaign stands in its period (start to today, or to its end once over):
    each target against what its readings add up to, and the budget against its ad spend."""

    targets: Sequence[TargetProgress]
    budget: TargetProgress | None
    spent: Decimal


def _standing(tr: Translator, view: CampaignView, progress: Progress) -> list[Mrkdwn]:
    common = _common(tr, view)
    lines: list[Mrkdwn] = [tr.mrkdwn("campaign.show_dates", **common)]
    if progress.budget is not None:
        lines.append(target_line(tr, progress.budget, view.currency, "campaign.show_budget_used"))
    else:
        spent = formatting.money(progress.spent, view.currency, tr.locale)
        lines.append(tr.mrkdwn("campaign.show_no_budget", spent=spent if progress.spent else ""))
    if view.owner_id:
        lines.append(tr.mrkdwn("campaign.show_owner", owner=mention(view.owner_id)))
    if view.platforms:
        platforms = ", ".join(tr.plain(f"platform.{platform}") for platform in view.platforms)
        lines.append(tr.mrkdwn("campaign.show_platforms", platforms=platforms))
    if progress.targets:
        lines.append(tr.mrkdwn("campaign.show_targets"))
        lines += [
            target_line(tr, target, view.currency, "campaign.show_target")
            for target in progress.targets
        ]
    else:
        lines.append(tr.mrkdwn("campaign.show_no_targets", name=view.name))
    return lines


def shown(
    tr: Translator,
    view: CampaignView,
    progress: Progress,
    upcoming: int,
    items: Sequence[ItemLine],
) -> Reply:
    blocks: list[Block] = [
        Header(f"{view.name} · {tr.plain(f'campaign.objective_{view.objective}')}"),
        *(Section(text) for text in limits.chunk_lines(_standing(tr, view, progress))),
        Divider(),
        Section(tr.mrkdwn("campaign.show_items", count=upcoming)),
    ]
    if items:
        item_lines = [
            tr.mrkdwn(
                "campaign.show_item_line",
                when=formatting.moment(item.when, item.timezone, tr.locale),
                platform=tr.plain(f"platform.{item.platform}") if item.platform else "—",
                text=item.text[:80],
            )
            for item in items
        ]
        blocks += [Context(text) for text in limits.chunk_lines(item_lines, limits.CONTEXT_TEXT)]
    return Reply(blocks=tuple(blocks), fallback=view.name)


def edited(tr: Translator, name: str, fields: Sequence[str], campaign: Reply) -> Reply:
    """The confirmation of `campaign edit`, above the campaign as it now stands."""
    params = {"name": name, "fields": ", ".join(fields)}
    return Reply(
        blocks=(Section(tr.mrkdwn("campaign.edited", **params)), *campaign.blocks),
        fallback=tr.plain("campaign.edited", **params),
    )


def campaign_form(tr: Translator, metadata: str, prefix: str, usage: str) -> Reply:
    fields = (
        FormField("name", tr.plain("campaign.field_name"), required=True),
        FormField(
            "objective",
            tr.plain("campaign.field_objective"),
            tr.plain("campaign.field_objective_hint"),
            required=True,
            initial="smo",
            choices=("smo", "smm"),
        ),
        FormField("start", tr.plain("campaign.field_start"), required=True),
        FormField("end", tr.plain("campaign.field_end"), required=True),
        FormField(
            "budget", tr.plain("campaign.field_budget"), tr.plain("campaign.field_budget_hint")
        ),
        FormField("platforms", tr.plain("campaign.field_platforms")),
    )
    form = Form(
        CAMPAIGN_FORM_CALLBACK,
        tr.plain("campaign.form_title"),
        tr.plain("campaign.form_submit"),
        fields,
        metadata,
    )
    code = Mrkdwn(
        "```"
        + "\n".join(escape_mrkdwn(prefix + line) for line in usage.splitlines() if line)
        + "```"
    )
    return Reply(
        blocks=(Section(tr.mrkdwn("campaign.form_intro")), Section(code)),
        fallback=tr.plain("campaign.form_title"),
        form=form,
    )


def closed(tr: Translator, name: str) -> Reply:
    return Reply(
        blocks=(Section(tr.mrkdwn("campaign.closed", name=name)),),
        fallback=tr.plain("campaign.closed", name=name),
    )
