"""Replies for the workspace's own templates: the form, confirmations and refusals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from smmbot.domain.templates import PostTemplate
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn
from smmbot.rendering.reply import Context, Form, FormField, Header, Reply, Section
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
            Section(Mrkdwn("```" + escape_mrkdwn(template.body) + "```")),
        ),
        fallback=tr.plain("custom.show_title", name=template.name),
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
