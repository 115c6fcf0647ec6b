"""CSV files shared in Slack: which are read, what a failed download says, `/smm import`'s form."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.rendering.i18n import Translator
from smmbot.rendering.metrics_import import FILE_FIELD, IMPORT_FORM_CALLBACK
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.metrics_import import MAX_BYTES
from smmbot.services.metrics_import_files import (
    DownloadError,
    DownloadProblem,
    SharedFile,
    import_form_errors,
    import_shared_file,
    is_csv,
    submit_import_form,
)
from tests.support.interactions import form_request, member
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")
EN = Actor("T1", "U1", "D1", "en", "Asia/Jakarta")
ID = Actor("T1", "U1", "D1", "id", "Asia/Jakarta")
CSV = b"date,metric,value\n2026-11-23,followers,347\n2026-11-23,bogus,1\n"
FILE = SharedFile("F1", "metrics.csv", "csv", "text/csv", len(CSV), "https://files.slack.com/f")


class FakeDownload:
    """Slack's file server: the file's bytes, or a failure; counts what was asked for."""

    def __init__(self, content: bytes = CSV, error: DownloadError | None = None) -> None:
        self.content = content
        self.error = error
        self.asked: list[SharedFile] = []

    def __call__(self, file: SharedFile) -> bytes:
        self.asked.append(file)
        if self.error is not None:
            raise self.error
        return self.content


def saved(ctx: ServiceContext) -> int:
    with ctx.db.transaction() as session:
        return len(MetricRepository(session, "T1").list_all())


@pytest.mark.parametrize(
    ("filetype", "name", "mimetype", "csv"),
    [
        ("csv", "export", "application/octet-stream", True),
        ("text", "Export.CSV", "text/plain", True),
        ("", "export", "text/csv; charset=utf-8", True),
        ("xlsx", "metrics.xlsx", "application/vnd.ms-excel", False),
        ("png", "chart.png", "image/png", False),
    ],
)
def test_what_counts_as_a_csv_file(filetype: str, name: str, mimetype: str, csv: bool) -> None:
    assert is_csv(replace(FILE, filetype=filetype, name=name, mimetype=mimetype)) is csv


def test_a_csv_file_is_downloaded_and_imported_under_its_name(ctx: ServiceContext) -> None:
    download = FakeDownload()
    reply = import_shared_file(member(ctx, EN), file=FILE, download=download)
    text = reply_text(reply)
    assert download.asked == [FILE]
    assert "metrics.csv" in text and "Imported *1* reading" in text
    assert "Line 3: there is no metric `bogus`." in text
    assert saved(ctx) == 1


def test_a_file_that_is_not_csv_is_explained_without_downloading(ctx: ServiceContext) -> None:
    download = FakeDownload()
    picture = replace(FILE, name="<!channel>.png", filetype="png", mimetype="image/png")
    text = reply_text(import_shared_file(member(ctx, EN), file=picture, download=download))
    assert download.asked == []
    assert "I only import CSV files" in text and "`date`, `metric`, `value`" in text
    assert "&lt;!channel&gt;.png" in text and "<!channel>" not in text


def test_a_file_over_the_limit_is_refused_without_downloading(ctx: ServiceContext) -> None:
    download = FakeDownload()
    large = replace(FILE, size=MAX_BYTES + 1)
    text = reply_text(import_shared_file(member(ctx, ID), file=large, download=download))
    assert download.asked == []
    assert "lebih besar dari 1 MB" in text


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        (DownloadProblem.NOT_ALLOWED, "`files:read`"),
        (DownloadProblem.FAILED, "couldn't download the file from Slack (HTTP 500)"),
        (DownloadProblem.TIMEOUT, "took too long"),
        (DownloadProblem.UNTRUSTED_HOST, "not on Slack (HTTP 500)"),
    ],
)
def test_a_failed_download_gets_a_reply_and_is_logged(
    ctx: ServiceContext, caplog: pytest.LogCaptureFixture, problem: DownloadProblem, words: str
) -> None:
    download = FakeDownload(error=DownloadError(problem, "HTTP 500"))
    text = reply_text(import_shared_file(member(ctx, EN), file=FILE, download=download))
    assert words in text and "nothing was imported" in text
    assert saved(ctx) == 0
    assert any("F1" in record.getMessage() for record in caplog.records)


def test_an_unexpected_failure_is_a_reply_with_a_reference(ctx: ServiceContext) -> None:
    def broken(_file: SharedFile) -> bytes:
        raise RuntimeError("boom")

    text = reply_text(import_shared_file(member(ctx, EN), file=FILE, download=broken))
    assert "Something went wrong on my side" in text


@pytest.mark.parametrize(
    ("surface", "words"),
    [(Surface.SLACK, "/smm import"), (Surface.CONSOLE, "import path/to/file.csv")],
)
def test_import_command_opens_a_form_with_a_file_input(
    ctx: ServiceContext, surface: Surface, words: str
) -> None:
    reply = run_command(ctx=ctx, actor=EN, text="import", surface=surface)
    assert reply.form is not None and reply.form.callback_id == IMPORT_FORM_CALLBACK
    [field] = reply.form.fields
    assert (field.name, field.file_types, field.required) == (FILE_FIELD, ("csv",), True)
    assert "`date`, `metric`, `value`" in reply.form.intro
    assert json.loads(reply.form.private_metadata) == {"channel": "D1"}
    assert words in reply_text(reply)


def test_the_form_names_a_wrong_file_next_to_the_field() -> None:
    assert import_form_errors(Translator(EN.locale), [FILE]) == {}
    assert import_form_errors(Translator(EN.locale), []) == {
        FILE_FIELD: "Pick a CSV file to import."
    }
    picture = replace(FILE, name="a.png", filetype="png", mimetype="image/png")
    assert "CSV" in import_form_errors(Translator(EN.locale), [picture])[FILE_FIELD]
    large = replace(FILE, size=MAX_BYTES + 1)
    assert "1 MB" in import_form_errors(Translator(ID.locale), [large])[FILE_FIELD]


def test_the_form_answers_where_it_was_opened(ctx: ServiceContext) -> None:
    metadata = json.dumps({"channel": "C9"})
    outcome = submit_import_form(
        form_request(ctx, EN, metadata, {}), file=FILE, download=FakeDownload()
    )
    assert outcome.channel_id == "C9" and not outcome.errors
    assert outcome.reply is not None and "Imported *1* reading" in reply_text(outcome.reply)
    outcome = submit_import_form(form_request(ctx, EN, "", {}), file=FILE, download=FakeDownload())
    assert outcome.channel_id is None
    assert saved(ctx) == 1
