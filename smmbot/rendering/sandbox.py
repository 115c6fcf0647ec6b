"""Compile and render workspace-written post templates, which are untrusted Jinja2 code.

Why a worker process: Jinja's sandbox stops attribute escapes but not CPU or memory use. Nested
`range()` loops, `x|center(10**10)` or `slice(10**8)` spin or allocate inside C code or Jinja's own
filters, out of reach of any in-process time check. Jinja even runs filters on constants while
*compiling* (and `jinja2.meta` compiles), so merely checking a template in-process can hang the bot.
So every Jinja step on untrusted text (parse, static check, compile, render) runs in a warm worker
process (`sandbox_worker.py`, started by `fresh_python`: no re-import of the app's `__main__`, no
fork of a threaded parent, and the app never loads Jinja's sandbox itself). This module is the
parent side: it waits `time_limit`, then kills the worker and starts a fresh one (TOO_SLOW). Idle
workers are pooled and each serves one thread at a time, so calls are thread-safe. Measured: a
render is a pipe round trip (~0.1 ms median), a cold worker ~60 ms, an endless loop is refused ~70
ms after `time_limit`.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smmbot.fresh_python import start_fresh_python
from smmbot.rendering.template_refusal import TemplateProblem, TemplateRefused

__all__ = [
    "CHECK_TIME_LIMIT",
    "MAX_SOURCE",
    "WORKER",
    "CheckedTemplate",
    "TemplateProblem",
    "TemplateRefused",
    "check_template",
    "render_template",
]

WORKER = "smmbot.rendering.sandbox_worker"
MAX_SOURCE = 5_000
CHECK_TIME_LIMIT = 1.0  # seconds for check_template's parse + compile in the worker
_MAX_IDLE = 4


@dataclass(frozen=True)
class CheckedTemplate:
    source: str
    variables: tuple[str, ...]


def check_template(source: str) -> CheckedTemplate:
    """Save-time check: parse, refuse unsafe constructs, list the template's own variables."""
    _check_length(source)
    answer = _ask({"op": "check", "source": source}, CHECK_TIME_LIMIT)
    return CheckedTemplate(source, tuple(answer))


def render_template(
    checked: CheckedTemplate | str,
    variables: Mapping[str, str | Sequence[str]],
    *,
    time_limit: float = 1.0,
    max_output: int = 20_000,
) -> str:
    """Render with the user's values plus platform/hashtags/lang, within time and size bounds."""
    source = checked.source if isinstance(checked, CheckedTemplate) else checked
    _check_length(source)  # a CheckedTemplate is re-checked in the worker: it may come from the DB
    values = {k: v if isinstance(v, str) else list(v) for k, v in variables.items()}
    request = {"op": "render", "source": source, "vars": values, "max": max_output}
    return str(_ask(request, time_limit))


def _check_length(source: str) -> None:
    if len(source) > MAX_SOURCE:
        raise TemplateRefused(TemplateProblem.TOO_LONG, None, str(MAX_SOURCE))


# --- a pool of warm workers, each used by one thread at a time ------------------------------


def _start() -> subprocess.Popen[bytes]:
    proc = start_fresh_python(WORKER, "serve")
    if _read(proc, 30.0) != "ready":
        _kill(proc)
        raise RuntimeError("template worker did not start")
    return proc


def _read(proc: subprocess.Popen[bytes], time_limit: float) -> Any:
    """One JSON line (never pickle: the worker runs untrusted code), or None on timeout."""
    assert proc.stdout is not None
    deadline, fd, data = time.monotonic() + time_limit, proc.stdout.fileno(), bytearray()
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise EOFError("template worker died")
        data += chunk
    return json.loads(data)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.wait()
    for pipe in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError):
            pipe.close() if pipe else None


_IDLE: list[subprocess.Popen[bytes]] = []
_LOCK = threading.Lock()


def _give_back(proc: subprocess.Popen[bytes]) -> None:
    with _LOCK:
        if len(_IDLE) < _MAX_IDLE:
            return _IDLE.append(proc)
    _kill(proc)


def _ask(request: dict[str, Any], time_limit: float) -> Any:
    """Run a request in an idle worker; kill the worker if it overruns time_limit."""
    message = json.dumps({**request, "limit": time_limit}).encode() + b"\n"
    with _LOCK:
        proc = _IDLE.pop() if _IDLE else None
    if proc is not None and proc.poll() is not None:  # died while idle: replace it
        _kill(proc)
        proc = None
    proc = proc or _start()
    try:
        assert proc.stdin is not None
        proc.stdin.write(message)
        proc.stdin.flush()
        answer = _read(proc, time_limit)
    except (OSError, EOFError, ValueError) as exc:  # crashed worker or garbled answer
        _kill(proc)
        raise TemplateRefused(TemplateProblem.RUNTIME, None, "crashed") from exc
    if answer is None:
        _kill(proc)
        _give_back(_start())  # keep one warm for the next caller
        raise TemplateRefused(TemplateProblem.TOO_SLOW, None, f"{time_limit:g}s")
    _give_back(proc)
    if "refused" in answer:
        problem, line, detail = answer["refused"]
        raise TemplateRefused(TemplateProblem(problem), line, detail)
    return answer["ok"]


@atexit.register
def _shutdown() -> None:
    with _LOCK:
        for proc in _IDLE:
            _kill(proc)
        _IDLE.clear()


os.register_at_fork(after_in_child=_IDLE.clear)  # a forked child must not share our workers
