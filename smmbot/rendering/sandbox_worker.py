"""The worker process of `sandbox.py`: the sandboxed Jinja environment untrusted templates run in.

Started as `python -I -c` with the app's root on its path (`sandbox._start`), so it imports nothing
of the app but this module and `template_refusal`, which the app imports without Jinja2. RLIMIT_AS
caps memory (MemoryError -> TOO_BIG), `*`/`**` refuse huge results before allocating, output is
streamed with `generate()` and cut at `max_output`, and a timer kills a worker orphaned mid-loop by
a dead parent. Answers are JSON lines, never pickle: this process runs untrusted code.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
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

from smmbot.rendering.template_refusal import TemplateProblem, TemplateRefused

RESERVED = frozenset({"platform", "hashtags", "lang"})
# Address-space limit of a worker, bytes. A worker starts at ~25 MB and a post's render needs a
# few more; a template that grows a value until the limit refuses it writes about twice the limit
# into fresh pages first, so a lower limit is also a cheaper refusal (512 MB cost up to 1.6 s of
# CPU on a busy machine, 128 MB a quarter of that).
WORKER_MEMORY = 128 << 20
_MAX_INT_BITS = 100_000
_ATTR_FILTERS = frozenset({"attr", "selectattr", "rejectattr", "groupby", "sum"})
_IMPORT_TAGS = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
# What Python prints for objects that are not values (`<class '…'>`, `<function …>`,
# `<jinja2.utils.Cycler object at 0x…>`, `<TemplateReference None>`): a post must never show it.
_PYTHON_REPR = re.compile(
    r"<(?:class|function|built-in|bound method|method|module|generator|TemplateReference) "
    r"|<[\w.]+ object at 0x[0-9a-f]+>"
)


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


def serve() -> None:
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
