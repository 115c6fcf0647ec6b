"""`/smm template add|show|delete`: the workspace's own post templates.

A template is checked by the sandbox before it is saved (syntax, reaching for Python internals,
size), so a bad template is refused with its line number instead of failing later in a draft.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from smmbot.domain.drafts import LINKLESS_PLATFORMS, point_to_bio
from smmbot.domain.drafts_listing import DELETE_WORDS
from smmbot.domain.platforms import UnknownPlatformError, parse_platforms
from smmbot.domain.templates import Pillar, sample_values
from smmbot.persistence.models import CustomTemplate
from smmbot.persistence.templates_repository import CustomTemplateRepository
from smmbot.rendering import templates as replies
from smmbot.rendering.help import problem
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.post_library import builtin_templates
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.rendering.sandbox import TemplateRefused, check_template
from smmbot.services.context import (
    Actor,
    CommandRequest,
    FormOutcome,
    FormRequest,
    ServiceContext,
    Surface,
)
from smmbot.services.templates_catalog import find_template, render_post

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")
DEFAULT_PLATFORMS = "instagram,facebook,x"


def handle_template(request: CommandRequest) -> Reply:
    tr, prefix, arguments = request.tr, request.prefix, request.command.arguments
    if len(arguments) < 2:
        actions = ", ".join(action.shown(tr.locale) for action in request.subcommand.actions)
        message = tr.mrkdwn("error.which_action", name="template", actions=actions)
        raise Refusal(message, usage_of=request.subcommand)
    action, name = arguments[0], arguments[1].lower()
    if action == "show":
        return _show(request, name)
    if action == "delete":
        return _delete(request, name)
    fields = {
        key: request.command.options.get(key, "")
        for key in ("body", "pillar", "description", "platforms")
    }
    if not fields["body"]:
        metadata = {"name": name, "channel": request.actor.channel_id}
        return replies.template_form(tr, name=name, values=fields, metadata=json.dumps(metadata))
    return save_template(
        ctx=request.ctx, actor=request.actor, tr=tr, name=name, fields=fields, prefix=prefix
    )


def save_template(
    *,
    ctx: ServiceContext,
    actor: Actor,
    tr: Translator,
    name: str,
    fields: Mapping[str, str],
    prefix: str,
) -> Reply:
    error = _invalid(tr, name, fields)
    if error is not None:
        return problem(tr, prefix, error)
    checked = check_template(fields["body"])
    platforms = parse_platforms(fields.get("platforms") or DEFAULT_PLATFORMS)
    with ctx.db.transaction() as session:
        templates = CustomTemplateRepository(session, actor.team_id)
        if templates.get(name) is not None:
            return problem(tr, prefix, tr.mrkdwn("custom.exists", name=name))
        templates.add(
            CustomTemplate(
                name=name,
                pillar=fields["pillar"].lower(),
                description=fields.get("description", "")[:300],
                body=checked.source,
                platforms=[platform.value for platform in platforms],
                created_by=actor.user_id,
                created_at=ctx.clock(),
            )
        )
    return replies.saved(
        tr, prefix, name=name, pillar=fields["pillar"].lower(), variables=checked.variables
    )


def _invalid(tr: Translator, name: str, fields: Mapping[str, str]) -> Mrkdwn | None:
    """The first problem with a new template, or None; checked before anything is written."""
    if not NAME_PATTERN.fullmatch(name):
        return tr.mrkdwn("custom.bad_name", name=name)
    if name in builtin_templates():
        return tr.mrkdwn("custom.builtin_name", name=name)
    if name in DELETE_WORDS:
        return tr.mrkdwn("custom.reserved_name", name=name)
    if fields.get("pillar", "").lower() not in {pillar.value for pillar in Pillar}:
        return tr.mrkdwn("custom.bad_pillar", value=fields.get("pillar", ""))
    try:
        parse_platforms(fields.get("platforms") or DEFAULT_PLATFORMS)
    except UnknownPlatformError as error:
        return tr.mrkdwn(
            "draft.bad_platform", unknown=", ".join(error.unknown), known=", ".join(error.known)
        )
    try:
        check_template(fields["body"])
    except TemplateRefused as refused:
        return replies.refusal(tr, refused)
    return None


def submit_template_form(request: FormRequest) -> FormOutcome:
    tr, values = request.tr, request.values
    if values.get("pillar", "").lower() not in {pillar.value for pillar in Pillar}:
        return FormOutcome(
            errors={"pillar": tr.plain("custom.bad_pillar", value=values.get("pillar", ""))}
        )
    try:
        check_template(values.get("body", ""))
    except TemplateRefused as refused:
        return FormOutcome(errors={"body": replies.refusal_plain(tr, refused)})
    reply = save_template(
        ctx=request.ctx,
        actor=request.actor,
        tr=tr,
        name=request.metadata.text("name"),
        fields=values,
        prefix=Surface.SLACK.command_prefix,
    )
    return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)


def _show(request: CommandRequest, name: str) -> Reply:
    tr, prefix = request.tr, request.prefix
    with request.ctx.db.transaction() as session:
        template = find_template(session, request.actor.team_id, name)
    if template is None:
        raise Refusal(tr.mrkdwn("custom.not_found", name=name, prefix=prefix))
    if not template.builtin:
        return replies.shown(tr, template)
    wanted = request.command.options.get("platform", "")
    try:
        platform = parse_platforms(wanted)[0] if wanted else template.platforms[0]
    except (UnknownPlatformError, IndexError):
        platform = None
    if platform not in template.platforms:
        platforms = ", ".join(p.value for p in template.platforms)
        message = tr.mrkdwn("custom.no_version", name=name, value=wanted, platforms=platforms)
        raise Refusal(message)
    preview = render_post(
        template, sample_values(template, tr.locale), platform=platform, language=tr.locale
    )
    if platform in LINKLESS_PLATFORMS:
        preview = point_to_bio(preview, tr.plain("bio.caption_line"))
    return replies.builtin_shown(tr, prefix, template, platform, preview)


def _delete(request: CommandRequest, name: str) -> Reply:
    tr, prefix = request.tr, request.prefix
    if name in builtin_templates():
        raise Refusal(tr.mrkdwn("custom.builtin_readonly", name=name))
    with request.ctx.db.transaction() as session:
        templates = CustomTemplateRepository(session, request.actor.team_id)
        template = templates.get(name)
        if template is None:
            raise Refusal(tr.mrkdwn("custom.not_found", name=name, prefix=prefix))
        templates.remove(template)
    return replies.deleted(tr, name)
