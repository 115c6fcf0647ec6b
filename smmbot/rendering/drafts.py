"""Replies for `/smm templates` and `/smm draft`: the library, a template's usage, the draft."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from smmbot.domain.commands import subcommand
from smmbot.domain.drafts import DraftResult, Variant
from smmbot.domain.platforms import LengthCheck, Platform
from smmbot.domain.templates import Pillar, PostTemplate
from smmbot.rendering import limits
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, slack_link
from smmbot.rendering.reply import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Context,
    Divider,
    Form,
    FormField,
    Header,
    Reply,
    Section,
)
from smmbot.rendering.usage import usage_lines

DRAFT = subcommand("draft")
DRAFT_FORM_CALLBACK = "draft_form"
USE_TEMPLATE_ACTION = "template_use"
SCHEDULE_ACTION = "draft_schedule"
EDIT_ACTION = "draft_edit"
SHARE_KIT_ACTION = "draft_share_kit"


def _variable_summary(template: PostTemplate) -> str:
    return ", ".join(
        f"{variable.name}{'*' if variable.required else ''}" for variable in template.variables
    )


def variable_label(tr: Translator, name: str) -> str:
    """A built-in variable's label in the member's language; a custom template's own name."""
    key = f"variable_label.{name}"
    return tr.plain(key) if tr.has(key) else name


TEMPLATE_ROWS = limits.MESSAGE_BLOCKS - 3 - 2 * len(Pillar) - 2
"""Templates shown with a Use button; the header, intro, hint, two blocks per pillar and two
for the rest by name take the other blocks of one message."""


def templates_list(tr: Translator, prefix: str, templates: Sequence[PostTemplate]) -> Reply:
    """Every template: the first `TEMPLATE_ROWS` with details and a Use button, any more (a
    workspace with dozens of its own) by name, since a message holds 50 blocks."""
    blocks: list[Block] = [
        Header(tr.plain("templates.title")),
        Context(tr.mrkdwn("templates.intro", usage=prefix + usage_lines(tr, DRAFT)[0])),
    ]
    by_pillar = [[t for t in templates if t.pillar is pillar] for pillar in Pillar]
    rows = TEMPLATE_ROWS
    rest: list[PostTemplate] = []
    for pillar, members in zip(Pillar, by_pillar, strict=True):
        blocks += [Divider(), Section(tr.mrkdwn(f"pillar.{pillar.value}"))]
        blocks += [_template_row(tr, template) for template in members[:rows]]
        rest += members[rows:]
        rows = max(rows - len(members), 0)
    if rest:
        names = [
            tr.mrkdwn(
                "templates.more",
                count=len(rest),
                prefix=prefix,
            )
        ]
        names += [Mrkdwn(f"`{escape_mrkdwn(template.name)}`") for template in rest]
        blocks += [Section(text) for text in limits.chunk_lines(names)][:2]
    blocks.append(Context(tr.mrkdwn("templates.custom_hint", prefix=prefix)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("templates.fallback"))


def _template_row(tr: Translator, template: PostTemplate) -> Section:
    line = tr.mrkdwn(
        "templates.line",
        name=template.name,
        description=template.describe(tr.locale),
        custom=not template.builtin,
    )
    platforms = ", ".join(tr.plain(f"platform.{p.value}") for p in template.platforms)
    details = tr.mrkdwn(
        "templates.variables", names=_variable_summary(template), platforms=platforms
    )
    button = Button(
        tr.plain("templates.use_button", name=template.name), USE_TEMPLATE_ACTION, template.name
    )
    return Section(Mrkdwn(f"{line}\n{details}"), accessory=button)


def template_usage(tr: Translator, prefix: str, template: PostTemplate) -> list[Block]:
    options = " ".join(
        f"{variable.name}=…" if variable.required else f"[{variable.name}=…]"
        for variable in template.variables
    )
    usage = f"{prefix}draft {template.name} {options} [platform=…] [campaign=…] [lang=en|id]"
    lines = [
        tr.mrkdwn(
            "draft.variable_line",
            name=variable.name,
            required=variable.required,
            description=variable.description.get(tr.locale, variable.description.get("en", "")),
            example=variable.sample.get(tr.locale, ""),
        )
        for variable in template.variables
    ]
    return [
        Section(
            Mrkdwn(
                tr.mrkdwn("draft.usage_title", name=template.name)
                + "\n"
                + tr.mrkdwn("draft.usage_line", usage=usage)
            )
        ),
        Section(Mrkdwn("\n".join(lines))),
    ]


def draft_form(
    tr: Translator,
    prefix: str,
    template: PostTemplate,
    *,
    values: Mapping[str, str],
    metadata: Mapping[str, object],
) -> Reply:
    """The modal for Slack; the same fields as text for the console."""
    fields = tuple(
        FormField(
            name=variable.name,
            label=variable_label(tr, variable.name),
            hint=variable.description.get(tr.locale, variable.description.get("en", "")),
            required=variable.required,
            initial=values.get(variable.name, ""),
            multiline=variable.name in {"story", "summary", "message", "detail", "quote", "terms"},
        )
        for variable in template.variables
    )
    form = Form(
        callback_id=DRAFT_FORM_CALLBACK,
        title=tr.plain("draft.form_title"),
        submit=tr.plain("draft.form_submit"),
        fields=fields,
        private_metadata=json.dumps(dict(metadata)),
        intro=tr.mrkdwn("draft.form_modal_intro", name=template.name),
    )
    blocks = (
        Section(tr.mrkdwn("draft.form_intro", name=template.name)),
        *template_usage(tr, prefix, template),
    )
    return Reply(blocks=blocks, fallback=tr.plain("draft.form_title"), form=form)


def over_limit_note(tr: Translator, check: LengthCheck, platform: Platform) -> Mrkdwn | None:
    """The warning for a post too long for its platform: on a draft, and when it is scheduled."""
    if not check.over_by:
        return None
    return tr.mrkdwn(
        "draft.over_limit",
        length=check.length,
        limit=check.limit,
        over=check.over_by,
        platform=tr.plain(f"platform.{platform.value}"),
    )


def _limit_note(tr: Translator, variant: Variant) -> Mrkdwn:
    check = variant.check
    platform = tr.plain(f"platform.{variant.platform.value}")
    over = over_limit_note(tr, check, variant.platform)
    notes = [] if over is None else [over]
    if check.hashtag_cap is not None and check.hashtags > check.hashtag_cap:
        notes.append(
            tr.mrkdwn(
                "draft.too_many_hashtags",
                hashtags=check.hashtags,
                cap=check.hashtag_cap,
                platform=platform,
            )
        )
    if not notes:
        notes.append(
            tr.mrkdwn(
                "draft.within_limit",
                length=check.length,
                limit=check.limit,
                hashtags=check.hashtags,
                cap=check.hashtag_cap,
            )
        )
    return Mrkdwn("\n".join(notes))


def _bio_note(tr: Translator, variant: Variant, *, has_bio_page: bool) -> list[Block]:
    """Where the link an Instagram or TikTok caption left out goes: onto the bio page when the
    workspace has one, else into the profile's bio."""
    if not variant.bio_links:
        return []
    key = "draft.bio_link_page" if has_bio_page else "draft.bio_link_profile"
    links = Mrkdwn(" ".join(slack_link(link) for link in variant.bio_links))
    platform = tr.plain(f"platform.{variant.platform.value}")
    first = variant.bio_links[0]
    return [Context(tr.mrkdwn(key, platform=platform, links=links, link=first))]


def draft_result(tr: Translator, draft: DraftResult) -> Reply:
    language_key = (
        "draft.language_indonesian" if draft.language == "id" else "draft.language_english"
    )
    blocks: list[Block] = [
        Header(tr.plain("draft.result_title", id=draft.id, template=draft.template_name)),
        Context(
            tr.mrkdwn(
                "draft.result_intro",
                count=len(draft.variants),
                language=tr.plain(language_key),
                campaign=draft.campaign_slug,
            )
        ),
    ]
    for variant in draft.variants:
        heading = tr.mrkdwn(
            "draft.variant_heading", platform=tr.plain(f"platform.{variant.platform.value}")
        )
        blocks += [
            Divider(),
            *limits.code_sections(variant.text, heading),
            Context(_limit_note(tr, variant)),
            *_bio_note(tr, variant, has_bio_page=draft.has_bio_page),
        ]
    value = str(draft.id)
    blocks.append(
        Actions(
            (
                Button(
                    tr.plain("draft.button_schedule"), SCHEDULE_ACTION, value, ButtonStyle.PRIMARY
                ),
                Button(tr.plain("draft.button_edit"), EDIT_ACTION, value),
                Button(tr.plain("draft.button_share_kit"), SHARE_KIT_ACTION, value),
            )
        )
    )
    return Reply(blocks=tuple(blocks), fallback=tr.plain("draft.fallback"))
