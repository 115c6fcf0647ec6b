"""CSV import of metric readings, and `/smm import`, which opens a form to upload the file.

A spreadsheet is fixed by hand, so unlike the API a bad row does not stop the file: good rows
are saved and bad ones are listed with their line in the file, to be fixed and imported again.
Saving is an upsert on (day, metric, campaign, platform, source "csv"), so importing the same
file twice, or again after fixing some rows, does not double count.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from smmbot.domain.metrics import find_metric, suggest_metric
from smmbot.domain.readings import ReadingError, ReadingProblem
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.i18n import Translator
from smmbot.rendering.metrics_import import import_how
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.reply import Reply, Section
from smmbot.services.context import Actor, CommandRequest, ServiceContext
from smmbot.services.metrics import problem_message
from smmbot.services.metrics_rows import Row, RowError, check_row, save_rows

CSV_SOURCE: Final = "csv"
MAX_BYTES: Final = 1_000_000
MAX_SIZE_TEXT: Final = "1 MB"
MAX_ROWS: Final = 10_000
MAX_SHOWN: Final = 20
REQUIRED_COLUMNS: Final = ("date", "metric", "value")
OPTIONAL_COLUMNS: Final = ("campaign", "platform")
COLUMN_ALIASES: Final = {
    "tanggal": "date",
    "tgl": "date",
    "metrik": "metric",
    "nilai": "value",
    "jumlah": "value",
    "kampanye": "campaign",
}
"""Indonesian headers, as a sheet kept in Indonesian names its columns."""


class FileProblem(StrEnum):
    """Why a whole file was refused; nothing of it is saved."""

    TOO_LARGE = "too_large"
    NOT_UTF8 = "not_utf8"
    EMPTY = "empty"
    MISSING_COLUMNS = "missing_columns"
    TOO_MANY_ROWS = "too_many_rows"


@dataclass(frozen=True, slots=True)
class Rejected:
    """One bad row: its line in the file and every problem it has."""

    line: int
    errors: tuple[RowError, ...]
    metric: str = ""


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: int
    rejected: tuple[Rejected, ...]
    problem: FileProblem | None
    reply: Reply


@dataclass(frozen=True, slots=True)
class _Table:
    rows: list[tuple[int, dict[str, str]]]
    missing: tuple[str, ...] = ()


def import_csv(
    *, ctx: ServiceContext, actor: Actor, tr: Translator, content: bytes
) -> ImportResult:
    """Save every good row of ``content`` (a CSV file) and report the rest by line."""
    table = _parse(content)
    if isinstance(table, FileProblem):
        return _refused(tr, table)
    if table.missing:
        return _refused(tr, FileProblem.MISSING_COLUMNS, missing=table.missing)
    now = ctx.clock()
    today = now.astimezone(ZoneInfo(actor.timezone)).date()
    rejected: list[Rejected] = []
    good: list[Row] = []
    with ctx.db.transaction() as session:
        currency = WorkspaceRepository(session, actor.team_id).get_or_create(now=now).currency
        campaigns = CampaignRepository(session, actor.team_id)
        for line, raw in table.rows:
            checked = check_row(raw, line, today=today, currency=currency, campaigns=campaigns)
            if isinstance(checked, Row):
                good.append(checked)
            else:
                rejected.append(Rejected(line, tuple(checked), raw.get("metric", "")))
        readings = MetricRepository(session, actor.team_id)
        save_rows(readings, good, source=CSV_SOURCE, recorded_by=actor.user_id, now=now)
    reply = _done_reply(tr, len(good), rejected, currency=currency)
    return ImportResult(len(good), tuple(rejected), None, reply)


def handle_import(request: CommandRequest) -> Reply:
    """`/smm import`: a form to upload the file (whose bytes only the Slack adapter can fetch),
    remembering the channel to answer in; elsewhere, how to send a file."""
    metadata = json.dumps({"channel": request.actor.channel_id})
    return import_how(request.tr, request.prefix, max_size=MAX_SIZE_TEXT, metadata=metadata)


def _parse(content: bytes) -> _Table | FileProblem:
    if len(content) > MAX_BYTES:
        return FileProblem.TOO_LARGE
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return FileProblem.NOT_UTF8
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), None)
    if header_line is None:
        return FileProblem.EMPTY
    delimiter = _sniff(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    last_line = 0
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            columns = [_column(cell) for cell in cells]
            missing = tuple(name for name in REQUIRED_COLUMNS if name not in columns)
            if missing and not _wide(columns):
                return _Table([], missing)
            continue
        readings = _readings(columns, cells)
        if len(rows) + len(readings) > MAX_ROWS:
            return FileProblem.TOO_MANY_ROWS
        rows += [(line, raw) for raw in readings]
    return _Table(rows)


def _column(header: str) -> str:
    """A header as a column name: English or Indonesian, any case, or a metric as typed."""
    name = header.strip().casefold()
    return COLUMN_ALIASES.get(name, name)


def _wide(columns: list[str]) -> bool:
    """A sheet with a date column and one column per metric (``tanggal;pengikut;pendapatan``),
    the shape people keep by hand, rather than one reading per row."""
    long_form = "metric" in columns or "value" in columns
    return "date" in columns and not long_form and any(find_metric(name) for name in columns)


def _readings(columns: list[str], cells: list[str]) -> list[dict[str, str]]:
    """The readings on one line: the line itself, or one per filled metric cell (wide)."""
    named = dict(zip(columns, cells, strict=False))
    known: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    shared = {name: named[name] for name in known if name in named}
    if "metric" in columns:
        return [shared]
    return [
        {**shared, "metric": name, "value": cell}
        for name, cell in named.items()
        if find_metric(name) and cell.strip()
    ]


def _sniff(header: str) -> str:
    """Comma or semicolon, whichever splits the header (Excel in Indonesian writes `;`)."""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def _refused(
    tr: Translator, problem: FileProblem, *, missing: tuple[str, ...] = ()
) -> ImportResult:
    text = tr.mrkdwn(
        f"import.file_{problem.value}",
        missing=", ".join(missing),
        max_bytes=MAX_SIZE_TEXT,
        max_rows=MAX_ROWS,
    )
    example = tr.mrkdwn("import.format")
    reply = Reply(
        blocks=(Section(text), Section(example)), fallback=tr.plain("import.refused_fallback")
    )
    return ImportResult(0, (), problem, reply)


def _done_reply(tr: Translator, imported: int, rejected: list[Rejected], *, currency: str) -> Reply:
    blocks = [
        Section(tr.mrkdwn("import.imported", imported=imported, rejected=len(rejected))),
    ]
    if rejected:
        lines = [tr.mrkdwn("import.rejected_title")]
        lines += [_rejected_line(tr, row, currency) for row in rejected[:MAX_SHOWN]]
        if len(rejected) > MAX_SHOWN:
            lines.append(tr.mrkdwn("import.more_rejected", count=len(rejected) - MAX_SHOWN))
        blocks.append(Section(Mrkdwn("\n".join(lines))))
    fallback = tr.plain("import.fallback", imported=imported, rejected=len(rejected))
    return Reply(blocks=tuple(blocks), fallback=fallback)


def _rejected_line(tr: Translator, row: Rejected, currency: str) -> Mrkdwn:
    metric = find_metric(row.metric) if row.metric else None
    reasons = [
        tr.mrkdwn(
            "import.unknown_metric", text=error.text, suggestion=suggest_metric(error.text) or ""
        )
        if error.problem is ReadingProblem.UNKNOWN_METRIC
        else problem_message(
            tr,
            ReadingError(error.field, error.problem, error.text),
            metric=metric,
            currency=currency,
            prefix="",
        )
        for error in row.errors
    ]
    return Mrkdwn(" ".join([tr.mrkdwn("import.rejected_line", line=row.line), *reasons]))
