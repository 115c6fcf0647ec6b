"""Replies for the workspace's own templates: the form, confirmations and refusals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from smmbot.domain.platforms import Platform
from smmbot.domain.templates import PostTemplate
from smmbot.rendering import limits
from smmbot.rendering.drafts import USE_TEMPLATE_ACTION, template_usage
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn
from smmbot.rendering.reply import (
    Block,
    Button,
    Context,
    Divider,
    Form,
    FormField,
    Header,
    Reply,
    Section,
)
from smmbot.rendering.sandbox import TemplateRefused

TEMPLATE_FORM_CALLBACK = "template_form"


def template_form(tr: Translator, *, name: str, values: Mapping[str, str], metadata: str) -> Reply:
    fields = (
        FormField(
            "body",
            tr.plain("custom.field_body"),
            tr.plain("custom.field_body_hint"),
            required=True,
            initial=values.get("body", ""),
            multiline=True,
        ),
        FormField(
            "pillar",
            tr.plain("custom.field_pillar"),
            tr.plain("custom.field_pillar_hint"),
            required=True,
            initial=values.get("pillar", "") or "smo",
            choices=("smo", "smm"),
        ),
        FormField(
            "description",
            tr.plain("custom.field_description"),
            initial=values.get("description", ""),
        ),
        FormField(
            "platforms",
            tr.plain("custom.field_platforms"),
            tr.plain("custom.field_platforms_hint"),
            initial=values.get("platforms", "") or "instagram,facebook,x",
        ),
    )
    form = Form(
        TEMPLATE_FORM_CALLBACK,
        tr.plain("custom.form_title"),
        tr.plain("custom.form_submit"),
        fields,
        metadata,
    )
    usage = Mrkdwn("```" + escape_mrkdwn(tr.plain("custom.form_usage", name=name)) + "```")
    return Reply(
        blocks=(Section(tr.mrkdwn("custom.form_intro")), Section(usage)),
        fallback=tr.plain("custom.form_title"),
        form=form,
    )


def saved(
    tr: Translator, prefix: str, *, name: str, pillar: str, variables: Sequence[str]
) -> Reply:
    text = tr.mrkdwn(
        "custom.saved", name=name, pillar=pillar.upper(), variables=list(variables), prefix=prefix
    )
    return Reply(
        blocks=(Section(text),),
        fallback=tr.plain(
            "custom.saved",
            name=name,
            pillar=pillar.upper(),
            variables=list(variables),
            prefix=prefix,
        ),
    )


def shown(tr: Translator, template: PostTemplate) -> Reply:
    details = tr.mrkdwn(
        "custom.show_details",
        pillar=template.pillar.value.upper(),
        description=template.describe(tr.locale) or "—",
        variables=", ".join(template.variable_names()) or "—",
        platforms=", ".join(platform.value for platform in template.platforms),
    )
    return Reply(
        blocks=(
            Header(tr.plain("custom.show_title", name=template.name)),
            Section(details),
            *limits.code_sections(template.body),
        ),
        fallback=tr.plain("custom.show_title", name=template.name),
    )


def builtin_shown(
    tr: Translator, prefix: str, template: PostTemplate, platform: Platform, preview: str
) -> Reply:
    """A built-in template: its variables (what to give `draft`) and the post it writes for
    one platform with the sample values, since its Jinja2 source is no help to a marketer."""
    platforms = ", ".join(tr.plain(f"platform.{p.value}") for p in template.platforms)
    details = tr.mrkdwn(
        "custom.show_builtin_details",
        pillar=template.pillar.value.upper(),
        description=template.describe(tr.locale),
        platforms=platforms,
    )
    heading = tr.mrkdwn("custom.show_preview", platform=tr.plain(f"platform.{platform.value}"))
    others = [p.value for p in template.platforms if p is not platform]
    button = Button(
        tr.plain("templates.use_button", name=template.name), USE_TEMPLATE_ACTION, template.name
    )
    blocks: list[Block] = [
        Header(tr.plain("custom.show_builtin_title", name=template.name)),
        Section(details, accessory=button),
        *template_usage(tr, prefix, template),
        Divider(),
        *limits.code_sections(preview, heading),
    ]
    if others:
        hint = tr.mrkdwn(
            "custom.show_other_versions", prefix=prefix, name=template.name, others=others
        )
        blocks.append(Context(hint))
    return Reply(
        blocks=tuple(blocks), fallback=tr.plain("custom.show_builtin_title", name=template.name)
    )


def deleted(tr: Translator, name: str) -> Reply:
    return Reply(
        blocks=(Context(tr.mrkdwn("custom.deleted", name=name)),),
        fallback=tr.plain("custom.deleted", name=name),
    )


def refusal(tr: Translator, refused: TemplateRefused) -> Mrkdwn:
    return tr.mrkdwn(
        f"custom.refused_{refused.problem.value}", line=refused.line, detail=refused.detail
    )


def refusal_plain(tr: Translator, refused: TemplateRefused) -> str:
    return tr.plain(
        f"custom.refused_{refused.problem.value}", line=refused.line, detail=refused.detail
    )
