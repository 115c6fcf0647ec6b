"""What a start loads: the heavy modules wait until something needs them (bench/startup.py
measures the time; this guards the behaviour)."""

from __future__ import annotations

import json
import subprocess
import sys

LOADED_WHEN_NEEDED = (
    "matplotlib",
    "numpy",
    "dateparser",
    "alembic",
    "yaml",
    "smmbot.console",
    "httpx",
    "cryptography",
    "jinja2",
    "sqlalchemy.dialects.postgresql",
)


def test_importing_bootstrap_loads_no_heavy_module() -> None:
    probe = (
        "import json, sys, smmbot.bootstrap; "
        f"print(json.dumps([m for m in {LOADED_WHEN_NEEDED!r} if m in sys.modules]))"
    )
    result = subprocess.run(  # a fresh interpreter: this one has imported them all already
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []
