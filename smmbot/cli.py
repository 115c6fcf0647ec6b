"""The `smmbot` console script: the same start-up as `python app.py`."""

from __future__ import annotations

from smmbot.bootstrap import run
from smmbot.config import Settings


def main() -> int:
    return run(Settings())
