"""Indonesian input over the real app, from a member whose Slack locale is `id-ID`: metric
names, near misses, day-first dates, money with a space, a CSV with Indonesian headers."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.e2e.test_import_http import posted_text, readings, share_in_dm
from tests.e2e.test_metrics_http import post_metrics
from tests.support.app_process import BOT_TOKEN, AppProcess
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.e2e

MEMBER = "U0001"  # the member share_in_dm drops files as


def ask(app: AppProcess, slack: SlackApiMock, text: str) -> str:
    status, response_url = command(app, slack, text, user_id=MEMBER)
    assert status == 200
    return block_text(answer_to(slack, response_url))


@pytest.fixture
def indonesian(slack: SlackApiMock) -> None:
    slack.set_user(MEMBER, tz="Asia/Jakarta", locale="id-ID", is_admin=True)


@pytest.mark.usefixtures("indonesian")
def test_metric_names_near_misses_and_money_in_indonesian(
    app: AppProcess, slack: SlackApiMock, database_url: str
) -> None:
    assert "Tercatat *pengikut* (SMO): *1.800*" in ask(app, slack, "catat pengikut 1800")
    assert "Tercatat *pendapatan* (SMM): *Rp2.500.000*" in ask(
        app, slack, "catat pendapatan 2,5jt date=05/01/2026"
    )
    near_miss = ask(app, slack, "catat follower 10")
    assert "Tidak ada metrik `follower`. Maksudmu `followers`?" in near_miss
    assert "pengikut, jangkauan" in near_miss
    refused = ask(app, slack, "catat pesanan 3 date=01/13/2026")
    assert "hari dulu (HH/BB/TTTT)" in refused and "`13/01/2026`" in refused
    assert sorted(readings(database_url)) == [
        ("followers", Decimal(1800)),
        ("revenue", Decimal(2_500_000)),
    ]


@pytest.mark.usefixtures("indonesian")
def test_campaign_with_day_first_dates_and_a_budget_with_a_space(
    app: AppProcess, slack: SlackApiMock
) -> None:
    saved = ask(
        app,
        slack,
        "kampanye new Lebaran objective=smm start=01/03/2027 end=31-03-2027 "
        "budget=\u201cRp 2.500.000\u201d target.pendapatan=10jt",  # Slack's curly quotes
    )
    assert "Kampanye *Lebaran* tersimpan" in saved
    assert "1 Mar 2027 \u2013 31 Mar 2027" in saved and "anggaran Rp2.500.000" in saved
    shown = ask(app, slack, "kampanye show Lebaran")
    assert "Rp10.000.000" in shown


@pytest.mark.usefixtures("indonesian")
def test_a_csv_with_indonesian_headers_and_day_first_dates(
    app: AppProcess, slack: SlackApiMock, database_url: str
) -> None:
    content = (
        b"Tanggal;Metrik;Nilai;Kampanye;Platform\r\n"
        b"05/01/2026;pengikut;1.200;;instagram\r\n"
        b"05-01-2026;biaya_iklan;Rp 300.000;;\r\n"
        b"01/13/2026;jangkauan;500;;\r\n"
        b"05/01/2026;omzet;5jt;;\r\n"
    )
    share_in_dm(app, [slack.add_file("januari.csv", content, token=BOT_TOKEN)])
    text = posted_text(slack.wait_for("chat.postMessage", timeout=15)[-1])
    assert "Berhasil mengimpor *2* angka" in text
    assert "Baris 4: `tanggal=01/13/2026` bukan tanggal yang valid." in text
    assert "Baris 5: tidak ada metrik `omzet`. Maksudmu `pendapatan`?" in text
    assert sorted(readings(database_url)) == [
        ("ad_spend", Decimal(300_000)),
        ("followers", Decimal(1200)),
    ]


@pytest.mark.usefixtures("indonesian")
def test_metrics_api_takes_indonesian_names_and_suggests_for_near_misses(
    app: AppProcess, slack: SlackApiMock
) -> None:
    rotated = ask(app, slack, "pengaturan token rotate")
    token = re.search(r"```([^`]+)```", rotated)
    assert token is not None
    good = [{"date": "05/01/2026", "metric": "pesanan", "value": 3}]
    status, payload, _ = post_metrics(app, json.dumps(good).encode(), token[1])
    assert (status, payload) == (200, {"saved": 1})
    missed = [{"date": "2026-01-05", "metric": "ad spend", "value": "Rp 5 jt"}]
    status, payload, _ = post_metrics(app, json.dumps(missed).encode(), token[1])
    assert status == 422
    assert payload == {
        "errors": [
            {"row": 1, "field": "metric", "problem": "unknown_metric", "did_you_mean": "ad_spend"}
        ]
    }
