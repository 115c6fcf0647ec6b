"""Compile and render workspace-written post templates, which are untrusted Jinja2 code.

Why a worker process: Jinja's sandbox stops attribute escapes but not CPU or memory use. Nested
`range()` loops, `x|center(10**10)` or `slice(10**8)` spin or allocate inside C code or Jinja's
own filters, out of reach of any in-process time check. Jinja even runs filters on constants
while *compiling* (and `jinja2.meta` compiles), so merely checking a template in-process can hang
the bot. So every Jinja step on untrusted text (parse, static check, compile, render) runs in a
warm worker process (`python -I` on this file: no re-import of the app's `__main__`, no fork of a
threaded parent). The parent waits `time_limit`, then kills the worker and starts a fresh one
(TOO_SLOW). In the worker, RLIMIT_AS caps memory (MemoryError -> TOO_BIG), `*`/`**` refuse huge
results before allocating, output is streamed with `generate()` and cut at `max_output`, and a
timer kills a worker orphaned mid-loop by a dead parent. Idle workers are pooled and each serves
one thread at a time, so calls are thread-safe. Measured: a render is a pipe round trip (~0.1 ms
median), a cold worker ~60 ms, an endless loop is refused ~70 ms after `time_limit`.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, NoReturn

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    Undefined,
    UndefinedError,
    meta,
    nodes,
)
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SOURCE = 5_000
RESERVED = frozenset({"platform", "hashtags", "lang"})
CHECK_TIME_LIMIT = 1.0  # seconds for check_template's parse + compile in the worker
WORKER_MEMORY = 512 << 20  # address-space limit of a worker, bytes
_MAX_INT_BITS = 100_000
_MAX_IDLE = 4
_ATTR_FILTERS = frozenset({"attr", "selectattr", "rejectattr", "groupby", "sum"})
_IMPORT_TAGS = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
# What Python prints for objects that are not values (`<class '…'>`, `<function …>`,
# `<jinja2.utils.Cycler object at 0x…>`, `<TemplateReference None>`): a post must never show it.
_PYTHON_REPR = re.compile(
    r"<(?:class|function|built-in|bound method|method|module|generator|TemplateReference) "
    r"|<[\w.]+ object at 0x[0-9a-f]+>"
)


class TemplateProblem(StrEnum):
    SYNTAX = "syntax"
    UNSAFE = "unsafe"
    UNDEFINED = "undefined"
    TOO_SLOW = "too_slow"
    TOO_LONG = "too_long"
    TOO_BIG = "too_big"
    NOT_PLAIN = "not_plain"
    RUNTIME = "runtime"


class TemplateRefused(Exception):  # noqa: N818 - the name is the agreed API
    """A refused template, as data: the caller words the message in the user's language."""

    def __init__(self, problem: TemplateProblem, line: int | None = None, detail: str = "") -> None:
        super().__init__(problem.value, line, detail)
        self.problem, self.line, self.detail = problem, line, detail


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


# --- parent side: a pool of warm workers, each used by one thread at a time -----------------


def _start() -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-I", os.path.abspath(__file__)]  # fixed argv, no shell
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # noqa: S603
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


# --- worker side: the sandboxed Jinja environment -----------------------------------------


class _Strict(StrictUndefined):
    """Fails loudly; the message is just the missing name, which becomes the refusal detail."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        name = self._undefined_name
        return str(super()._undefined_message if name is None else name)


def _plain_value(value: Any) -> Any:
    """What `{{ … }}` may print: text and numbers (None prints nothing). Anything else, such as
    `{{ cycler }}`, `{{ self }}`, `{{ range(3) }}` or a list, would put Python's notation into a
    post, so it is refused with its kind."""
    if value is None:
        return ""
    if isinstance(value, str | int | float | Undefined):  # printing an Undefined names it
        return value
    raise TemplateRefused(TemplateProblem.NOT_PLAIN, None, type(value).__name__)


class _Env(ImmutableSandboxedEnvironment):
    """No loader, no autoescape, strict undefined, plain values only, bounded `*`/`**`, no
    `lipsum`."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(autoescape=False, undefined=_Strict, loader=None, finalize=_plain_value)
        del self.globals["lipsum"]  # its loops run in Python with no bound on `n`
        self.max_output = 20_000

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if _too_big(operator, left, right, self.max_output):
            raise TemplateRefused(TemplateProblem.TOO_BIG, None, operator)
        return super().call_binop(context, operator, left, right)

    def unsafe_undefined(self, obj: Any, attribute: str) -> NoReturn:
        raise TemplateRefused(TemplateProblem.UNSAFE, None, attribute)


def _too_big(operator: str, left: Any, right: Any, max_output: int) -> bool:
    """Refuse before C code allocates: long repeats and huge integers."""
    if operator == "*" and isinstance(left, int) and isinstance(right, str | list | tuple):
        left, right = right, left
    if isinstance(left, str | list | tuple) and isinstance(right, int):
        return operator == "*" and len(left) * right > max_output
    if not (isinstance(left, int) and isinstance(right, int)):
        return False
    if operator == "*":
        return left.bit_length() + right.bit_length() > _MAX_INT_BITS
    return abs(left) > 1 and right * left.bit_length() > _MAX_INT_BITS


_ENV = _Env()  # cheap; only the worker renders with it


def _underscore_name(node: nodes.Node) -> str | None:
    """The `_`-name a node reads by attribute, item or attr-like filter, if any."""
    names: list[Any] = []
    if isinstance(node, nodes.Getattr | nodes.NSRef):
        names = [node.attr]
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        names = [node.arg.value]
    elif isinstance(node, nodes.Filter):
        if node.name in _ATTR_FILTERS:
            names = [arg.value for arg in node.args[:1] if isinstance(arg, nodes.Const)]
        for kw in node.kwargs:
            if isinstance(kw, nodes.Keyword) and kw.key == "attribute":
                names += [kw.value.value] if isinstance(kw.value, nodes.Const) else []
    for name in names:
        if isinstance(name, str) and any(part.startswith("_") for part in name.split(".")):
            return name
    return None


@lru_cache(maxsize=64)
def _compile(source: str) -> tuple[Template, tuple[str, ...]]:
    """Parse, statically refuse escapes and imports, compile; also list the variables."""
    try:
        ast = _ENV.parse(source)
        for node in ast.find_all(nodes.Node):
            if isinstance(node, _IMPORT_TAGS):
                raise TemplateRefused(TemplateProblem.UNSAFE, node.lineno, type(node).__name__)
            if (name := _underscore_name(node)) is not None:
                raise TemplateRefused(TemplateProblem.UNSAFE, node.lineno, name)
        undeclared = meta.find_undeclared_variables(ast) - RESERVED - _ENV.globals.keys()
        template = _ENV.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(TemplateProblem.SYNTAX, exc.lineno, exc.message or "") from exc
    except (SyntaxError, RecursionError) as exc:  # Python's nesting limits, on deep templates
        raise TemplateRefused(TemplateProblem.SYNTAX, None, "nested too deeply") from exc
    names = (n.name for n in ast.find_all(nodes.Name) if n.name in undeclared)
    return template, tuple(dict.fromkeys(names))


def _render(source: str, variables: dict[str, Any], max_output: int) -> str:
    template, _ = _compile(source)
    _ENV.max_output = max_output
    parts, size = [], 0
    for chunk in template.generate(variables):
        size += len(chunk)
        if size > max_output:
            raise TemplateRefused(TemplateProblem.TOO_BIG, None, str(max_output))
        parts.append(chunk)
    text = "".join(parts)
    if _PYTHON_REPR.search(text):  # an object turned to text some other way (`~`, |string, …)
        raise TemplateRefused(TemplateProblem.NOT_PLAIN, None, "object")
    return text


_KINDS = (
    (SecurityError, TemplateProblem.UNSAFE),
    (UndefinedError, TemplateProblem.UNDEFINED),
    (MemoryError, TemplateProblem.TOO_BIG),
    (OverflowError, TemplateProblem.TOO_BIG),  # the sandbox's MAX_RANGE, huge float maths
)


def _refusal(exc: Exception) -> TemplateRefused:
    """Map any failure to a refusal; the line comes from Jinja's rewritten traceback."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, TemplateRefused):
        return TemplateRefused(exc.problem, exc.line or line, exc.detail)
    for kind, problem in _KINDS:
        if isinstance(exc, kind):
            return TemplateRefused(problem, line, str(exc)[:300] or kind.__name__)
    return TemplateRefused(TemplateProblem.RUNTIME, line, _runtime_kind(exc))


def _runtime_kind(exc: Exception) -> str:
    """A word for what went wrong (the message explains it); Python's own text stays out."""
    if isinstance(exc, ZeroDivisionError):
        return "zero"
    if isinstance(exc, TypeError):
        return "types"
    return "value"


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    try:
        if request["op"] == "check":
            return {"ok": _compile(request["source"])[1]}
        return {"ok": _render(request["source"], request["vars"], request["max"])}
    except Exception as exc:
        refused = _refusal(exc)
        return {"refused": [refused.problem.value, refused.line, refused.detail]}


def _serve() -> None:
    """Worker main loop: one JSON request per line in, one JSON answer per line out."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which cleans up
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints must not corrupt the protocol
    out.write(b'"ready"\n')
    out.flush()
    for line in sys.stdin.buffer:
        request = json.loads(line)
        # Default SIGALRM kills us if a parent that died mid-render can no longer do it.
        signal.setitimer(signal.ITIMER_REAL, 2 * request["limit"] + 1.0)
        answer = json.dumps(_answer(request)).encode() + b"\n"
        signal.setitimer(signal.ITIMER_REAL, 0)
        out.write(answer)
        out.flush()


if __name__ == "__main__":
    _serve()
