"""A worker of the app's in a fresh interpreter: the template sandbox's, a rush's digest helpers.

`python -I -c`, with the directory holding the `smmbot` package put on the path by hand (`-I`
ignores PYTHONPATH and the current directory): no re-import of the app's `__main__`, as
multiprocessing's spawn would do, and no copy of a process with threads mid-flight, as a fork
would make. The argv is fixed (no shell); whatever the worker needs arrives on its stdin, never
on its command line, which other users of the host can read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Final

_APP_ROOT: Final = Path(__file__).resolve().parents[1]


def fresh_python_argv(module: str, function: str) -> list[str]:
    """The command running `module.function()`, its return value the exit status."""
    main = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        f"from {module} import {function}; raise SystemExit({function}())"
    )
    return [sys.executable, "-I", "-c", main, str(_APP_ROOT)]


def start_fresh_python(module: str, function: str) -> subprocess.Popen[bytes]:
    """`fresh_python_argv`'s command, started with its stdin and stdout piped."""
    argv = fresh_python_argv(module, function)
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # noqa: S603
