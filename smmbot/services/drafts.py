"""Use cases: list templates, draft a post from one, edit it, and the draft's buttons.

A draft is rendered per platform, its links UTM-tagged and its length checked before anything is
saved; any problem with the input is answered in full and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping

from smmbot.domain.commands import subcommand
from smmbot.domain.drafts import DraftResult, finish_variant, utm_campaign
from smmbot.domain.drafts_listing import DELETE_WORDS
from smmbot.domain.grammar import ParsedCommand
from smmbot.domain.platforms import Platform, UnknownPlatformError, parse_platforms
from smmbot.domain.templates import PostTemplate, VariableCheck, check_variables
from smmbot.persistence.bio_repository import BioRepository
from smmbot.persistence.drafts_repository import DraftRepository
from smmbot.persistence.models import Draft
from smmbot.rendering import drafts as draft_replies
from smmbot.rendering.help import problem
from smmbot.rendering.i18n import SUPPORTED_LOCALES, Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.rendering.sandbox import TemplateRefused
from smmbot.rendering.templates import refusal
from smmbot.services.context import (
    Actor,
    ButtonRequest,
    CommandRequest,
    FormOutcome,
    FormRequest,
    ServiceContext,
    Surface,
)
from smmbot.services.drafts_listing import delete_command
from smmbot.services.links import handle_link
from smmbot.services.templates_catalog import all_templates, find_template, render_post

DRAFT = subcommand("draft")
STEERING_OPTIONS = DRAFT.option_keys()
"""`platform=`, `campaign=`, `lang=`: they steer drafting; every other option is a template
variable (the catalog declares `draft` with free options for them)."""
LINK = subcommand("link")


def handle_templates(request: CommandRequest) -> Reply:
    with request.ctx.db.transaction() as session:
        templates = all_templates(session, request.actor.team_id)
    return draft_replies.templates_list(request.tr, request.prefix, templates)


def handle_draft(request: CommandRequest) -> Reply:
    tr, prefix, options = request.tr, request.prefix, request.command.options
    arguments = request.command.arguments
    if not arguments:
        return handle_templates(request)
    if arguments[0].lower() in DELETE_WORDS and len(arguments) == 2:
        return delete_command(request, arguments[1])
    if len(arguments) > 1:
        message = tr.mrkdwn("error.stray_words", words=" ".join(arguments[1:]))
        return problem(tr, prefix, message, usage_of=request.subcommand)
    name = arguments[0].lower()
    with request.ctx.db.transaction() as session:
        template = find_template(session, request.actor.team_id, name)
        names = [template.name for template in all_templates(session, request.actor.team_id)]
    if template is None:
        message = tr.mrkdwn("draft.unknown_template", name=name, names=", ".join(names))
        raise Refusal(message, usage_of=DRAFT)
    if _asks_for_values(template, options):
        metadata = {"template": template.name, "channel": request.actor.channel_id, **options}
        return draft_replies.draft_form(tr, prefix, template, values={}, metadata=metadata)
    return _draft(request.ctx, request.actor, tr, prefix, template, options)


def _asks_for_values(template: PostTemplate, options: Mapping[str, str]) -> bool:
    """A draft without any variable given opens the form, unless the template needs nothing:
    a template with no required variable is written at once (with its defaults)."""
    given = set(options) - STEERING_OPTIONS
    return not given and any(variable.required for variable in template.variables)


def _draft(
    ctx: ServiceContext,
    actor: Actor,
    tr: Translator,
    prefix: str,
    template: PostTemplate,
    options: Mapping[str, str],
    *,
    draft_id: int | None = None,
) -> Reply:
    language = (options.get("lang") or actor.locale).lower()
    if language not in SUPPORTED_LOCALES:
        raise _refusal(tr, prefix, tr.mrkdwn("draft.bad_lang", value=language), template)
    try:
        platforms = (
            parse_platforms(options["platform"])
            if options.get("platform")
            else list(template.platforms)
        )
    except UnknownPlatformError as error:
        message = tr.mrkdwn(
            "draft.bad_platform", unknown=", ".join(error.unknown), known=", ".join(error.known)
        )
        raise _refusal(tr, prefix, message, template) from error
    variables = {key: value for key, value in options.items() if key not in STEERING_OPTIONS}
    check = check_variables(template, variables)
    _refuse_variables(tr, prefix, template, check)
    campaign = options.get("campaign") or None
    try:
        result = _render_and_save(
            ctx, actor, template, check.values, language, platforms, campaign, draft_id
        )
    except TemplateRefused as refused:
        raise _refusal(tr, prefix, refusal(tr, refused), template) from refused
    return draft_replies.draft_result(tr, result)


def _refusal(tr: Translator, prefix: str, message: Mrkdwn, template: PostTemplate) -> Refusal:
    """A draft refused, shown with the template's own usage and variables."""
    return Refusal(message, usage=tuple(draft_replies.template_usage(tr, prefix, template)))


def _refuse_variables(
    tr: Translator, prefix: str, template: PostTemplate, check: VariableCheck
) -> None:
    """Every unknown or missing variable at once, else the first value that is no link."""
    if check.unknown:
        message = tr.mrkdwn(
            "draft.unknown_variables",
            name=template.name,
            unknown=", ".join(check.unknown),
            known=", ".join(template.variable_names()),
        )
        raise _refusal(tr, prefix, message, template)
    if check.missing:
        message = tr.mrkdwn("draft.missing", name=template.name, missing=", ".join(check.missing))
        raise _refusal(tr, prefix, message, template)
    if check.bad_links:
        name, value = check.bad_links[0]
        raise _refusal(tr, prefix, tr.mrkdwn("draft.bad_link", name=name, value=value), template)


def _render_and_save(
    ctx: ServiceContext,
    actor: Actor,
    template: PostTemplate,
    values: Mapping[str, str],
    language: str,
    platforms: list[Platform],
    campaign: str | None,
    draft_id: int | None,
) -> DraftResult:
    slug = utm_campaign(campaign, template.name)
    with ctx.db.transaction() as session:
        has_bio = BioRepository(session, actor.team_id).get() is not None
    bio_line = Translator(language).plain("bio.caption_line")
    variants = tuple(
        finish_variant(
            render_post(template, values, platform=platform, language=language),
            platform,
            campaign_slug=slug,
            instagram_hashtag_cap=ctx.instagram_hashtag_cap,
            bio_line=bio_line,
        )
        for platform in platforms
    )
    with ctx.db.transaction() as session:
        saved = DraftRepository(session, actor.team_id).upsert(
            draft_id=draft_id,
            author_id=actor.user_id,
            template_name=template.name,
            language=language,
            variables=values,
            campaign=campaign,
            variants=[(variant.platform.value, variant.text) for variant in variants],
            now=ctx.clock(),
        )
        draft_id = saved.id
    return DraftResult(
        id=draft_id,
        template_name=template.name,
        language=language,
        campaign_slug=slug,
        variants=variants,
        has_bio_page=has_bio,
    )


def open_template_form(request: ButtonRequest[str]) -> Reply:
    """The "Use" button next to a template in the library."""
    ctx, actor, tr, template_name = request.ctx, request.actor, request.tr, request.value
    prefix = Surface.SLACK.command_prefix
    with ctx.db.transaction() as session:
        template = find_template(session, actor.team_id, template_name)
    if template is None:
        return problem(
            tr, prefix, tr.mrkdwn("draft.unknown_template", name=template_name, names="")
        )
    metadata = {"template": template.name, "channel": actor.channel_id}
    return draft_replies.draft_form(tr, prefix, template, values={}, metadata=metadata)


def edit_draft_form(request: ButtonRequest[int]) -> Reply:
    ctx, actor, tr, draft_id = request.ctx, request.actor, request.tr, request.value
    prefix = Surface.SLACK.command_prefix
    with ctx.db.transaction() as session:
        draft = DraftRepository(session, actor.team_id).get(draft_id)
        template = find_template(session, actor.team_id, draft.template_name) if draft else None
        metadata = _edit_metadata(draft, actor) if draft else {}
    if draft is None or template is None:
        return problem(tr, prefix, tr.mrkdwn("draft.not_found", id=draft_id))
    return draft_replies.draft_form(tr, prefix, template, values=draft.variables, metadata=metadata)


def _edit_metadata(draft: Draft, actor: Actor) -> dict[str, object]:
    return {
        "template": draft.template_name,
        "channel": actor.channel_id,
        "draft_id": draft.id,
        "lang": draft.language,
        "campaign": draft.campaign or "",
        "platform": ",".join(variant.platform for variant in draft.variants),
    }


def submit_draft_form(request: FormRequest) -> FormOutcome:
    ctx, actor, tr, metadata = request.ctx, request.actor, request.tr, request.metadata
    prefix = Surface.SLACK.command_prefix
    with ctx.db.transaction() as session:
        template = find_template(session, actor.team_id, metadata.text("template"))
    if template is None:
        return FormOutcome(
            errors={}, reply=problem(tr, prefix, tr.mrkdwn("draft.not_found", id=""))
        )
    check = check_variables(template, request.values)
    if check.missing or check.bad_links:
        required = tr.plain("draft.field_required")
        errors = dict.fromkeys(check.missing, required)
        errors |= {name: tr.plain("draft.bad_link_field") for name, _ in check.bad_links}
        return FormOutcome(errors=errors)
    options = {key: value for key, value in metadata.texts.items() if key in STEERING_OPTIONS}
    draft_id = metadata.ids.get("draft_id")
    reply = _draft(ctx, actor, tr, prefix, template, {**options, **check.values}, draft_id=draft_id)
    return FormOutcome(errors={}, reply=reply, channel_id=metadata.channel)


def share_kit_for_draft(request: ButtonRequest[int]) -> Reply:
    """The draft's link, tagged for its campaign, with share links per network (`/smm link`)."""
    ctx, actor, tr, draft_id = request.ctx, request.actor, request.tr, request.value
    prefix = Surface.SLACK.command_prefix
    with ctx.db.transaction() as session:
        draft = DraftRepository(session, actor.team_id).get(draft_id)
        if draft is None:
            return problem(tr, prefix, tr.mrkdwn("draft.not_found", id=draft_id))
        values, campaign = dict(draft.variables), utm_campaign(draft.campaign, draft.template_name)
    url = next(
        (value for value in values.values() if value.startswith(("http://", "https://"))), None
    )
    if url is None:
        return problem(tr, prefix, tr.mrkdwn("draft.no_link", id=draft_id))
    command = ParsedCommand(words=("link", url), options={"campaign": campaign})
    return handle_link(CommandRequest(ctx, actor, command, LINK, tr, prefix))
