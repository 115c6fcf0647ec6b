"""What `/smm import` and a CSV file shared in Slack show, apart from the import's own result."""

from __future__ import annotations

from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.reply import Block, Context, Form, FormField, Reply, Section

IMPORT_FORM_CALLBACK = "metrics_import_form"
FILE_FIELD = "file"


def import_how(tr: Translator, prefix: str, *, max_size: str, metadata: str) -> Reply:
    """Slack opens the form, with the format above the file input; the console, and Slack when
    the modal cannot open, show the same explanation as text."""
    field = FormField(
        FILE_FIELD,
        tr.plain("import.form_field"),
        tr.plain("import.form_hint", max_size=max_size),
        required=True,
        file_types=("csv",),
    )
    form = Form(
        IMPORT_FORM_CALLBACK,
        tr.plain("import.form_title"),
        tr.plain("import.form_submit"),
        (field,),
        metadata,
        intro=tr.mrkdwn("import.form_intro", max_size=max_size),
    )
    text = tr.mrkdwn("import.how", prefix=prefix)
    return Reply(blocks=(Section(text),), fallback=tr.plain("import.how_fallback"), form=form)


def named(tr: Translator, file_name: str, reply: Reply) -> Reply:
    """Several files can arrive in one message; each answer says which file it is about."""
    heading = Context(tr.mrkdwn("import.file_heading", name=file_name))
    return Reply(blocks=(heading, *reply.blocks), fallback=reply.fallback)


def file_refused(
    tr: Translator, file_name: str, reason: Mrkdwn, *, with_format: bool = False
) -> Reply:
    """A file that was not imported at all; `with_format` adds the expected columns, for a file
    that was the wrong kind rather than one that could not be fetched."""
    blocks: list[Block] = [Section(reason)]
    if with_format:
        blocks.append(Section(tr.mrkdwn("import.format")))
    return named(tr, file_name, Reply(tuple(blocks), tr.plain("import.refused_fallback")))
