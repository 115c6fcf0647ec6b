"""What the fan-out benches' entry points share (`reminder_fanout`, `digest_fanout`): a SIGTERM
that still stops every child process they started, a quiet scheduler log (a sweep outlasting
its interval is these benches' normal case, not worth a line a second), a scratch folder, and
the figures printed as text or JSON with an exit status saying whether the run completed."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

Measure = Callable[[argparse.Namespace, Path], dict[str, Any]]


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_measurement(
    args: argparse.Namespace,
    measure: Measure,
    render: Callable[[dict[str, Any]], str],
    *,
    prefix: str,
    progress: Callable[[str], None],
    out: TextIO,
) -> int:
    """0 when the run completed (whether or not its goals were met: it is a measurement), 1
    when it did not, 130 when it was interrupted."""
    signal.signal(signal.SIGTERM, _interrupt)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        try:
            result = measure(args, Path(tmp))
        except KeyboardInterrupt:
            progress("interrupted; everything started was stopped")
            return 130
    out.write((json.dumps(result, indent=2) if args.json else render(result)) + "\n")
    return 0 if result["complete"] else 1
