"""CSV files shared with the bot in Slack (dropped into a DM, or picked in the `/smm import` form).

Slack describes a file first and hands over its bytes only on request, so a file of the wrong
kind or size is refused from its description, before anything is downloaded. The download is a
port filled in by the Slack adapter, which alone holds the bot token; this module sees bytes or
a `DownloadError`, and every outcome, failures included, becomes a reply to the member.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from smmbot.rendering import metrics_import as replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.commands import internal_error
from smmbot.services.context import (
    Actor,
    FormOutcome,
    FormRequest,
    InteractionRequest,
    ServiceContext,
)
from smmbot.services.metrics_import import MAX_BYTES, MAX_SIZE_TEXT, import_csv

log = logging.getLogger(__name__)

CSV_MIMETYPES = frozenset({"text/csv", "application/csv"})


@dataclass(frozen=True)
class SharedFile:
    """What Slack says about a file; `size` is None when Slack did not say."""

    file_id: str
    name: str
    filetype: str
    mimetype: str
    size: int | None
    url: str


class DownloadProblem(StrEnum):
    FAILED = "failed"
    TIMEOUT = "timeout"
    NOT_ALLOWED = "not_allowed"  # refused, or its sign-in page instead: files:read is missing
    UNTRUSTED_HOST = "untrusted_host"


class DownloadError(Exception):
    def __init__(self, problem: DownloadProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


Download = Callable[[SharedFile], bytes]
"""A file's bytes, at most MAX_BYTES + 1 of them (enough to tell that it is too large)."""


class FileCheck(StrEnum):
    """Why a file is refused from Slack's description alone, before any download."""

    NOT_CSV = "not_csv"
    TOO_LARGE = "too_large"


def check_file(file: SharedFile) -> FileCheck | None:
    """The one rule for both ways in (a DM and the form): a CSV within the import's size."""
    if not is_csv(file):
        return FileCheck.NOT_CSV
    if file.size is not None and file.size > MAX_BYTES:
        return FileCheck.TOO_LARGE
    return None


def is_csv(file: SharedFile) -> bool:
    """Slack's own file type, the name or the MIME type: exports name them inconsistently."""
    mimetype = file.mimetype.split(";")[0].strip().lower()
    return (
        file.filetype.lower() == "csv"
        or file.name.lower().endswith(".csv")
        or mimetype in CSV_MIMETYPES
    )


def import_shared_file(
    request: InteractionRequest, *, file: SharedFile, download: Download
) -> Reply:
    """Import one shared file and say how it went; nothing that goes wrong stays silent."""
    ctx, actor, tr = request.ctx, request.actor, request.tr
    try:
        return _import(ctx, actor, tr, file, download)
    except Exception:
        return internal_error(tr, f"import of file {file.file_id} for {actor.team_id}")


def _import(
    ctx: ServiceContext, actor: Actor, tr: Translator, file: SharedFile, download: Download
) -> Reply:
    problem = check_file(file)
    if problem is FileCheck.NOT_CSV:
        reason = tr.mrkdwn("import.not_csv")
        return replies.file_refused(tr, file.name, reason, with_format=True)
    if problem is FileCheck.TOO_LARGE:
        reason = tr.mrkdwn("import.file_too_large", max_bytes=MAX_SIZE_TEXT)
        return replies.file_refused(tr, file.name, reason)
    try:
        content = download(file)
    except DownloadError as error:
        log.warning(
            "download of file %s for %s/%s failed: %s",
            file.file_id,
            actor.team_id,
            actor.user_id,
            error,
        )
        reason = tr.mrkdwn(f"import.download_{error.problem.value}", detail=error.detail)
        return replies.file_refused(tr, file.name, reason)
    result = import_csv(ctx=ctx, actor=actor, tr=tr, content=content)
    return replies.named(tr, file.name, result.reply)


def import_form_errors(tr: Translator, files: Sequence[SharedFile]) -> Mapping[str, str]:
    """Checked before Slack's acknowledgement closes the form, so that a wrong file is named
    next to the field and the member picks another one without starting over."""
    if not files:
        return {replies.FILE_FIELD: tr.plain("import.field_missing")}
    problem = check_file(files[0])
    if problem is FileCheck.NOT_CSV:
        return {replies.FILE_FIELD: tr.plain("import.field_not_csv")}
    if problem is FileCheck.TOO_LARGE:
        return {replies.FILE_FIELD: tr.plain("import.field_too_large", max_size=MAX_SIZE_TEXT)}
    return {}


def submit_import_form(
    request: FormRequest, *, file: SharedFile, download: Download
) -> FormOutcome:
    """The form's file, imported after the acknowledgement (a download may take longer than
    Slack waits); the result goes to the channel where `/smm import` was typed."""
    reply = import_shared_file(request, file=file, download=download)
    return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)
