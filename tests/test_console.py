"""The console, in-process with a scripted prompt and as a real `python app.py` fed on stdin."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from smmbot.cli import main
from smmbot.console.delivery import ConsoleMessageSender
from smmbot.console.repl import PROMPT, run_console
from smmbot.rendering.i18n import Translator
from smmbot.scheduling.jobs import OutboxSweep
from smmbot.services.context import ServiceContext
from smmbot.services.digest_sweep import queue_weekly_digests
from smmbot.services.identity import MemberProfile
from tests.conftest import FakeClock
from tests.support.app_process import PROJECT_ROOT


def scripted(lines: list[str]) -> tuple[list[str], Callable[[str], str]]:
    prompts: list[str] = []
    feed: Iterator[str] = iter(lines)

    def read_line(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    return prompts, read_line


def test_console_runs_commands_until_exit(ctx: ServiceContext) -> None:
    prompts, read_line = scripted(["help", "/smm help draft", "", "nope", "exit", "help"])
    out = io.StringIO()
    run_console(ctx=ctx, profile=MemberProfile(None, "en"), read_line=read_line, out=out)
    text = out.getvalue()
    assert prompts == [PROMPT] * 5
    assert "draft <template> [key=value…]" in text  # unescaped for the terminal
    assert "&lt;" not in text
    assert "I don't know the command `nope`" in text
    assert text.rstrip().endswith("Bye!")


def test_console_speaks_indonesian_when_asked(ctx: ServiceContext) -> None:
    _, read_line = scripted(["bantuan"])
    out = io.StringIO()
    run_console(ctx=ctx, profile=MemberProfile(None, "id"), read_line=read_line, out=out)
    assert "meja kerja media sosialmu" in out.getvalue()
    assert "Sampai jumpa!" in out.getvalue()


def test_app_py_without_slack_variables_opens_the_console(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'console.db'}"
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=PROJECT_ROOT,
        env=env,
        input="help\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "smm> " in result.stdout
    for usage in (
        "help [command]",
        "templates",
        "draft <template>",
        "link <url>",
        "campaign new",
        "schedule <when>",
        "calendar week|month",
        "log <metric>",
        "digest now",
    ):
        assert usage in result.stdout
    assert (tmp_path / "console.db").exists()


def test_demo_loads_a_sample_workspace(ctx: ServiceContext) -> None:
    _, read_line = scripted(["demo", "campaign list", "calendar", "demo"])
    out = io.StringIO()
    run_console(ctx=ctx, profile=MemberProfile("Asia/Jakarta", "en"), read_line=read_line, out=out)
    text = out.getvalue()
    assert "Loaded a sample workspace: 1008 metric readings over 8 weeks, 2 campaigns" in text
    assert "Kenalan dengan Kopi Nusantara" in text and "Promo Akhir Tahun" in text
    assert "5 cara menyeduh kopi" in text
    assert text.count("Loaded a sample workspace: 1008") == 2  # loading again replaces, not adds


def test_smmbot_demo_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["demo"]) == 0
    assert "Loaded a sample workspace" in capsys.readouterr().out


def test_console_imports_a_csv_file_by_path(ctx: ServiceContext, tmp_path: Path) -> None:
    csv_file = tmp_path / "metrics export.csv"
    csv_file.write_bytes(
        b"\xef\xbb\xbfdate;metric;value\n2026-11-23;followers;1.200\n2026-11-23;bogus;1\n"
    )
    lines = ["import", f'import "{csv_file}"', f"impor {tmp_path / 'missing.csv'}"]
    _, read_line = scripted(lines)
    out = io.StringIO()
    run_console(ctx=ctx, profile=MemberProfile(None, "en"), read_line=read_line, out=out)
    text = out.getvalue()
    assert "direct message with smmbot" in text
    assert "Imported *1* reading from the file" in text
    assert "Line 3: there is no metric `bogus`." in text
    assert "I can't read the file" in text and "missing.csv" in text


def test_the_console_prints_a_due_reminder_when_the_sweep_runs(
    ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    _, read_line = scripted(['schedule "in 1 minute" Coffee time ☕'])
    out = io.StringIO()
    run_console(ctx=ctx, profile=MemberProfile("Asia/Jakarta", "en"), read_line=read_line, out=out)
    assert "I'll remind" in out.getvalue()
    printed = io.StringIO()
    sender = ConsoleMessageSender(
        out=printed, tr=Translator("en"), files_dir=tmp_path, prompt=PROMPT
    )
    sweep = OutboxSweep(ctx=ctx, sender=sender, worker_id="console-test")
    sweep()
    assert printed.getvalue() == ""  # not due yet
    clock.now += timedelta(minutes=1, seconds=1)
    sweep()
    text = printed.getvalue()
    assert "smmbot posted in #C_CONSOLE" in text
    assert "Coffee time ☕" in text and "time to post" in text
    assert text.endswith(PROMPT)
    sweep()
    assert printed.getvalue().count("Coffee time") == 1  # sent once


def test_the_console_prints_the_weekly_digest_when_it_is_due(
    ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    # The fake clock stands at Tuesday 24 November 2026, 09:00 WIB.
    _, read_line = scripted(["demo", "digest settings day=tuesday time=09:05"])
    out = io.StringIO()
    run_console(ctx=ctx, profile=MemberProfile("Asia/Jakarta", "en"), read_line=read_line, out=out)
    printed = io.StringIO()
    sender = ConsoleMessageSender(
        out=printed, tr=Translator("en"), files_dir=tmp_path, prompt=PROMPT
    )
    sweep = OutboxSweep(ctx=ctx, sender=sender, worker_id="console-test")
    clock.now += timedelta(minutes=6)
    queue_weekly_digests(ctx=ctx)
    sweep()
    text = printed.getvalue()
    assert "smmbot posted in #C_CONSOLE" in text
    assert "Weekly digest · 16 Nov 2026 \u2013 22 Nov 2026" in text
    assert "SMO — brand and site traffic" in text and "SMM — sales" in text


def test_indonesian_input_in_the_console_of_app_py(tmp_path: Path) -> None:
    csv_file = tmp_path / "januari.csv"
    csv_file.write_bytes(
        b"Tanggal;Metrik;Nilai\n05/01/2026;jangkauan;3.400\n01/13/2026;pesanan;3\n"
    )
    lines = [
        "catat pengikut 1800",
        "catat pendapatan 2,5jt",
        "catat follower 10",
        f'impor "{csv_file}"',
        'kampanye new Lebaran objective=smm start=01/03/2030 end=31-03-2030 budget="Rp 2.500.000"',
        "kampanye show Lebaran",
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
        "SMMBOT_CONSOLE_LOCALE": "id",
        "SMMBOT_CONSOLE_TIMEZONE": "Asia/Jakarta",
    }
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=PROJECT_ROOT,
        env=env,
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Tercatat *pengikut* (SMO): *1.800*" in out
    assert "Tercatat *pendapatan* (SMM): *Rp2.500.000*" in out
    assert "Tidak ada metrik `follower`. Maksudmu `followers`?" in out
    assert "Berhasil mengimpor *1* angka" in out
    assert "Baris 3: `tanggal=01/13/2026` bukan tanggal yang valid." in out
    assert "Kampanye *Lebaran* tersimpan" in out and "anggaran Rp2.500.000" in out
    assert "*Anggaran:* Rp0 dari Rp2.500.000 sudah terpakai untuk iklan" in out
