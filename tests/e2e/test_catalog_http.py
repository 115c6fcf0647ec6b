"""The subcommand catalog over the real app: an Indonesian member types Indonesian actions and
option keys, and is refused once, in Indonesian, for an unknown option or an admin's command."""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e.test_http_app import answer_to, block_text
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import post_signed, slash_command_body

pytestmark = pytest.mark.e2e

MEMBER = "U0BUDI"
ADMIN = "U0SARI"


def ask(app: AppProcess, slack: SlackApiMock, text: str, user_id: str = MEMBER) -> str:
    """The one answer to a command: inside the acknowledgement (help, for a member seen
    before) or posted to response_url; a second answer fails the test."""
    response_url = slack.response_url()
    body = slash_command_body(text, response_url=response_url, user_id=user_id)
    status, acknowledged, _ = post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET)
    assert status == 200
    if acknowledged.strip():
        time.sleep(0.2)
        assert slack.calls_to(response_url) == []
        return block_text(json.loads(acknowledged))
    answer = block_text(answer_to(slack, response_url))
    time.sleep(0.2)
    assert len(slack.calls_to(response_url)) == 1
    return answer


def test_indonesian_command_with_indonesian_options_is_saved_and_shown(
    app: AppProcess, slack: SlackApiMock
) -> None:
    slack.set_user(MEMBER, tz="Asia/Jakarta", locale="id-ID")
    saved = ask(
        app,
        slack,
        "kampanye baru “Lebaran” tujuan=smm mulai=2027-03-01 selesai=2027-03-31 anggaran=5jt",
    )
    assert "Kampanye *Lebaran* tersimpan" in saved and "Rp5.000.000" in saved
    shown = ask(app, slack, "kampanye lihat Lebaran")
    assert "Lebaran" in shown and "Rp5.000.000" in shown

    refused = ask(app, slack, "catat followers 1800 tanggal=2026-11-02 warna=merah")
    assert refused.count("bukan opsi") == 1
    options = "`tanggal=`, `kampanye=`, `platform=`, `pos=`, `pesaing=`"
    assert f"`warna=` bukan opsi untuk `catat` (opsinya: {options})" in refused
    assert "/smm catat &lt;metrik&gt; &lt;nilai&gt; [tanggal=YYYY-MM-DD]" in refused  # usage
    listed = ask(app, slack, "kampanye daftar")
    assert "Lebaran" in listed


def test_help_and_permissions_in_indonesian(app: AppProcess, slack: SlackApiMock) -> None:
    slack.set_user(MEMBER, tz="Asia/Jakarta", locale="id-ID")
    overview = ask(app, slack, "bantuan")
    assert "`/smm kampanye baru|ubah|daftar|lihat|tutup`" in overview
    topic = ask(app, slack, "bantuan kampanye")
    assert "/smm kampanye baru &lt;nama&gt; tujuan=smo|smm mulai=YYYY-MM-DD" in topic
    assert "[anggaran=…]" in topic

    refused = ask(app, slack, "pengaturan token ganti")
    assert "Hanya admin dan pemilik workspace yang bisa memakai `pengaturan token`" in refused
    slack.set_user(ADMIN, tz="Asia/Jakarta", locale="id-ID", is_admin=True)
    rotated = ask(app, slack, "pengaturan token ganti", user_id=ADMIN)
    assert "Hanya admin" not in rotated and "token" in rotated
