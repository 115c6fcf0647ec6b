"""CSV import of metric readings and `/smm import`, on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.rendering.i18n import Translator
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.metrics_import import MAX_BYTES, MAX_ROWS, FileProblem, import_csv
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")
EN = Actor("T1", "U1", "C1", "en", "Asia/Jakarta")
ID = Actor("T1", "U1", "C1", "id", "Asia/Jakarta")


def values(ctx: ServiceContext, team_id: str = "T1") -> list[tuple[str, str, Decimal, str, str]]:
    with ctx.db.transaction() as session:
        return [
            (str(r.day), r.metric, r.value, r.platform, r.source)
            for r in MetricRepository(session, team_id).list_all()
        ]


GOOD = b"""date,metric,value,campaign,platform
2026-11-23,followers,347,,instagram
2026-11-23,revenue,"Rp5.000.000",,
2026-11-24,reach,1200,,
"""


def test_good_file_is_imported_and_importing_it_again_does_not_double_count(
    ctx: ServiceContext,
) -> None:
    for _ in range(2):
        result = import_csv(ctx=ctx, actor=EN, tr=Translator(EN.locale), content=GOOD)
        assert (result.imported, result.rejected, result.problem) == (3, (), None)
        assert "Imported *3* readings" in reply_text(result.reply)
    assert values(ctx) == [
        ("2026-11-23", "followers", Decimal(347), "instagram", "csv"),
        ("2026-11-23", "revenue", Decimal(5_000_000), "", "csv"),
        ("2026-11-24", "reach", Decimal(1200), "", "csv"),
    ]
    assert values(ctx, "T2") == []


def test_a_later_row_or_file_replaces_the_reading_of_its_key(ctx: ServiceContext) -> None:
    twice = b"date,metric,value\n2026-11-23,followers,300\n2026-11-23,followers,310\n"
    assert import_csv(ctx=ctx, actor=EN, tr=Translator(EN.locale), content=twice).imported == 2
    assert values(ctx) == [("2026-11-23", "followers", Decimal(310), "", "csv")]
    fixed = b"date,metric,value\n2026-11-23,followers,320\n"
    other = Actor("T1", "U2", "C1", "en", "Asia/Jakarta")
    assert (
        import_csv(ctx=ctx, actor=other, tr=Translator(other.locale), content=fixed).imported == 1
    )
    assert values(ctx) == [("2026-11-23", "followers", Decimal(320), "", "csv")]
    with ctx.db.transaction() as session:
        assert [r.recorded_by for r in MetricRepository(session, "T1").list_all()] == ["U2"]


def test_semicolons_decimal_commas_bom_and_messy_header(ctx: ServiceContext) -> None:
    content = (
        "\ufeff Date ; METRIC;Value ;Platform\r\n"
        "2026-11-23;revenue;1.250.000,50;ig\r\n"
        "2026-11-23;ad_spend;Rp 300.000,00;\r\n"
        "\r\n"
        "2026-11-22;followers;1.200;\r\n"
    ).encode()
    result = import_csv(ctx=ctx, actor=ID, tr=Translator(ID.locale), content=content)
    assert (result.imported, result.rejected) == (3, ())
    assert "Berhasil mengimpor *3* angka" in reply_text(result.reply)
    assert values(ctx) == [
        ("2026-11-22", "followers", Decimal(1200), "", "csv"),
        ("2026-11-23", "ad_spend", Decimal(300_000), "", "csv"),
        ("2026-11-23", "revenue", Decimal("1250000.5"), "instagram", "csv"),
    ]


def test_bad_rows_are_rejected_with_their_line_and_reason(ctx: ServiceContext) -> None:
    content = b"""date,metric,value,campaign,platform
2026-11-23,followers,347,,

2026-11-30,reach,12%,,
,bogus,1,nope,
2026-11-20,orders,"1,5",,myspace
2026-11-21,reach,500,,
"""
    result = import_csv(ctx=ctx, actor=EN, tr=Translator(EN.locale), content=content)
    assert result.imported == 2
    assert [(r.line, [(e.field, e.problem.value) for e in r.errors]) for r in result.rejected] == [
        (4, [("date", "future_date"), ("value", "percent_not_allowed")]),
        (
            5,
            [
                ("metric", "unknown_metric"),
                ("date", "missing_field"),
                ("campaign", "unknown_campaign"),
            ],
        ),
        (6, [("value", "not_a_whole_number"), ("platform", "unknown_platform")]),
    ]
    text = reply_text(result.reply)
    assert "*3* rows were not imported" in text
    assert "Line 4: `date=2026-11-30` is in the future" in text
    assert "Line 5: there is no metric `bogus`." in text
    assert "Line 6:" in text and "`platform=myspace`" in text
    assert [(v[0], v[1]) for v in values(ctx)] == [
        ("2026-11-21", "reach"),
        ("2026-11-23", "followers"),
    ]


def test_at_most_twenty_rejected_rows_are_listed(ctx: ServiceContext) -> None:
    content = b"date,metric,value\n" + b"2026-11-23,bogus,1\n" * 25
    result = import_csv(ctx=ctx, actor=EN, tr=Translator(EN.locale), content=content)
    assert len(result.rejected) == 25
    text = reply_text(result.reply)
    assert "Line 21:" in text and "Line 22:" not in text
    assert "…and 5 more." in text


@pytest.mark.parametrize(
    ("content", "problem", "words"),
    [
        (b"date,metric,value\n" + b"x" * MAX_BYTES, FileProblem.TOO_LARGE, "larger than 1 MB"),
        (
            b"date,metric,value\n" + b"2026-11-23,followers,1\n" * (MAX_ROWS + 1),
            FileProblem.TOO_MANY_ROWS,
            "more than 10000 rows",
        ),
        (b"date;metric\n2026-11-23;followers\n", FileProblem.MISSING_COLUMNS, "no column value"),
        (
            "date,metric,value\n2026-11-23,followers,1\n".encode("utf-16"),
            FileProblem.NOT_UTF8,
            "UTF-8",
        ),
        (b"\n \n", FileProblem.EMPTY, "empty"),
    ],
)
def test_files_over_the_limits_or_unreadable_save_nothing(
    ctx: ServiceContext, content: bytes, problem: FileProblem, words: str
) -> None:
    result = import_csv(ctx=ctx, actor=EN, tr=Translator(EN.locale), content=content)
    assert (result.problem, result.imported) == (problem, 0)
    assert words in reply_text(result.reply)
    assert values(ctx) == []


def test_exactly_the_row_limit_is_accepted(ctx: ServiceContext) -> None:
    content = b"date,metric,value\n" + b"2026-11-23,followers,1\n" * MAX_ROWS
    result = import_csv(ctx=ctx, actor=EN, tr=Translator(EN.locale), content=content)
    assert (result.problem, result.imported) == (None, MAX_ROWS)
    assert len(values(ctx)) == 1


@pytest.mark.parametrize(
    ("text", "actor", "words"), [("import", EN, "direct message"), ("impor", ID, "pesan langsung")]
)
def test_import_command_explains_how_to_send_a_file(
    ctx: ServiceContext, text: str, actor: Actor, words: str
) -> None:
    reply = reply_text(run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK))
    assert words in reply and "date" in reply and "metric" in reply and "value" in reply


def test_indonesian_headers_names_and_day_first_dates(ctx: ServiceContext) -> None:
    content = (
        b"Tanggal;Metrik;Nilai;Kampanye;Platform\r\n"
        b"23/11/2026;pengikut;1.800;;instagram\r\n"
        b"23/11/2026;pendapatan;2,5jt;;\r\n"
        b"22-11-2026;biaya_iklan;Rp 300.000;;\r\n"
        b"11/23/2026;pesanan;3;;\r\n"
        b"23/11/2026;omzet;5jt;;\r\n"
    )
    result = import_csv(ctx=ctx, actor=ID, tr=Translator(ID.locale), content=content)
    assert result.imported == 3
    assert values(ctx) == [
        ("2026-11-22", "ad_spend", Decimal(300_000), "", "csv"),
        ("2026-11-23", "followers", Decimal(1800), "instagram", "csv"),
        ("2026-11-23", "revenue", Decimal(2_500_000), "", "csv"),
    ]
    text = reply_text(result.reply)
    assert "Baris 5: `tanggal=11/23/2026` bukan tanggal yang valid." in text  # not 23 November
    assert "Baris 6: tidak ada metrik `omzet`. Maksudmu `pendapatan`?" in text


def test_a_sheet_with_one_column_per_metric(ctx: ServiceContext) -> None:
    content = (
        b"tanggal,pengikut,pendapatan,platform\n"
        b'23/11/2026,1800,"Rp 2.500.000",instagram\n'
        b"24/11/2026,1810,,instagram\n"
    )
    result = import_csv(ctx=ctx, actor=ID, tr=Translator(ID.locale), content=content)
    assert (result.imported, result.rejected) == (3, ())
    assert values(ctx) == [
        ("2026-11-23", "followers", Decimal(1800), "instagram", "csv"),
        ("2026-11-23", "revenue", Decimal(2_500_000), "instagram", "csv"),
        ("2026-11-24", "followers", Decimal(1810), "instagram", "csv"),
    ]
