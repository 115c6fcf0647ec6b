"""The local `smm> ` prompt: the same commands and services as Slack, for trying smmbot offline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from smmbot.console.delivery import save_attachment
from smmbot.console.file_import import import_file_command
from smmbot.console.printer import format_reply
from smmbot.rendering.i18n import Translator
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.demo import load_demo
from smmbot.services.identity import MemberProfile, identify_actor

CONSOLE_TEAM_ID = "T_CONSOLE"
CONSOLE_USER_ID = "U_CONSOLE"
CONSOLE_CHANNEL_ID = "C_CONSOLE"
PROMPT = "smm> "
DEFAULT_FILES_DIR = Path("data") / "files"
_EXIT_WORDS = {"exit", "quit", "keluar"}


def run_console(
    *,
    ctx: ServiceContext,
    profile: MemberProfile,
    read_line: Callable[[str], str] = input,
    out: TextIO,
    files_dir: Path = DEFAULT_FILES_DIR,
) -> None:
    """Ctrl-D (EOF) or `exit` leaves; `/smm` in front of a command is accepted out of habit."""
    actor = console_actor(ctx=ctx, profile=profile)
    tr = Translator(actor.locale)
    print(tr.plain("console.welcome"), file=out)
    while True:
        try:
            line = read_line(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            break
        if line.lower() in _EXIT_WORDS:
            break
        if line.startswith("/smm"):
            line = line.removeprefix("/smm").strip()
        if not line:
            continue
        if line.lower() == "demo":
            print(demo_summary(ctx=ctx, actor=actor, tr=tr), file=out, flush=True)
            continue
        imported = import_file_command(line, ctx=ctx, actor=actor, tr=tr)
        if imported is not None:
            print(imported, file=out, flush=True)
            continue
        reply = run_command(ctx=ctx, actor=actor, text=line, surface=Surface.CONSOLE)
        print(format_reply(reply), file=out, flush=True)
        for attachment in reply.files:
            path = save_attachment(attachment, files_dir)
            print(tr.plain("console.file_saved", title=attachment.title, path=str(path)), file=out)
    print(tr.plain("console.goodbye"), file=out)


def demo_summary(*, ctx: ServiceContext, actor: Actor, tr: Translator) -> str:
    """`demo` (console) and `smmbot demo`: load the sample workspace and say what it holds."""
    summary = load_demo(ctx=ctx, actor=actor)
    return tr.plain(
        "console.demo_loaded",
        readings=summary.readings,
        campaigns=summary.campaigns,
        items=summary.calendar_items,
    )


def console_actor(*, ctx: ServiceContext, profile: MemberProfile) -> Actor:
    return identify_actor(
        ctx=ctx,
        team_id=CONSOLE_TEAM_ID,
        user_id=CONSOLE_USER_ID,
        channel_id=CONSOLE_CHANNEL_ID,
        lookup_profile=lambda _user_id: profile,
        max_profile_age=timedelta(0),
    )
