"""The `smmbot` console script: `smmbot` starts like `python app.py`; `smmbot demo` loads the
sample workspace into the console's database so `make run` then shows a full digest."""

from __future__ import annotations

import argparse
import sys

from smmbot.bootstrap import run
from smmbot.bootstrap.context import build_context, console_profile
from smmbot.config import Settings
from smmbot.console.repl import console_actor, demo_summary
from smmbot.rendering.i18n import Translator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smmbot", description=__doc__)
    parser.add_argument("action", nargs="?", choices=("run", "demo"), default="run")
    arguments = parser.parse_args(argv)
    settings = Settings()
    if arguments.action == "run":
        return run(settings)
    ctx = build_context(settings)
    actor = console_actor(ctx=ctx, profile=console_profile(settings))
    print(demo_summary(ctx=ctx, actor=actor, tr=Translator(actor.locale)), file=sys.stdout)
    return 0
