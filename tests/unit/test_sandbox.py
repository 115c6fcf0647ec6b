"""Workspace templates are untrusted code: escapes are refused, errors located, work bounded."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from jinja2.filters import FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.tests import TESTS

from smmbot.fresh_python import fresh_python_argv
from smmbot.rendering import sandbox, sandbox_worker
from smmbot.rendering.sandbox import (
    WORKER,
    CheckedTemplate,
    TemplateProblem,
    TemplateRefused,
    check_template,
    render_template,
)

POST = {"product": "Kopi Susu", "platform": "instagram", "hashtags": ["#kopi", "#promo"]}


def refused(action: Callable[[], object]) -> TemplateRefused:
    with pytest.raises(TemplateRefused) as info:
        action()
    return info.value


def refused_check(source: str) -> TemplateRefused:
    return refused(lambda: check_template(source))


def refused_render(
    source: str, variables: Mapping[str, str | Sequence[str]] | None = None, **limits: float
) -> TemplateRefused:
    return refused(lambda: render_template(source, variables or {}, **limits))  # type: ignore[arg-type]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_renders_plain_text_with_the_reserved_variables() -> None:
    source = "{{ product }} <b>&</b> on {{ platform }} ({{ lang }}) {{ hashtags|join(' ') }}"
    text = render_template(check_template(source), {**POST, "lang": "id"})
    assert text == "Kopi Susu <b>&</b> on instagram (id) #kopi #promo"  # no autoescape


def test_variables_are_the_templates_own_in_order_of_first_use() -> None:
    source = (
        "{{ b }}{% for tag in hashtags %}{{ tag }}{{ a }}{{ loop.index }}{% endfor %}{{ b }}"
        "{% set c = 1 %}{{ c }}{{ platform }}{{ lang }}{{ range(2)|list }}"
        "{% macro m(q) %}{{ q }}{{ z }}{% endmacro %}{{ m(y) }}{{ d|default(e) }}"
    )
    assert check_template(source) == CheckedTemplate(source, ("b", "a", "z", "y", "d", "e"))


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ("{{ ''.__class__.__mro__ }}", "__class__"),
        ("{{ cycler.__init__.__globals__ }}", "__init__"),
        ("{{ joiner.__init__.__globals__.os }}", "__init__"),
        ("{{ lipsum.__globals__ }}", "__globals__"),
        ("{{ namespace.__init__ }}", "__init__"),
        ("{{ self._TemplateReference__context }}", "_TemplateReference__context"),
        ("{{ ''['__class__'] }}", "__class__"),
        ("{{ x|attr('__class__') }}", "__class__"),
        ("{{ x|map(attribute='__class__.__name__')|list }}", "__class__.__name__"),
        ("{{ x|selectattr('_private')|list }}", "_private"),
        ("{% set ns = namespace() %}{% set ns.__dict__ = 1 %}", "__dict__"),
    ],
)
def test_ssti_payloads_are_refused_at_save_time(payload: str, detail: str) -> None:
    refusal = refused_check(payload)
    assert refusal.problem is TemplateProblem.UNSAFE
    assert refusal.line == 1
    assert refusal.detail in {detail, "__mro__", "__globals__"}
    assert refused_render(payload, {"x": "v"}).problem is TemplateProblem.UNSAFE


@pytest.mark.parametrize(
    "tag",
    ["{% include 'a' %}", "{% extends 'a' %}", "{% import 'a' as a %}", "{% from 'a' import b %}"],
)
def test_other_templates_cannot_be_loaded(tag: str) -> None:
    assert refused_check("hello\n" + tag).problem is TemplateProblem.UNSAFE
    assert refused_check("hello\n" + tag).line == 2


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ("{{ ''|attr('_'~'_class__') }}", "__class__"),
        ("{{ ''['_'~'_class__'] }}", "__class__"),
        ("{{ '{0.__class__}'.format('') }}", "__class__"),
        ("{{ [1]|map('attr', '__class__')|list }}", "__class__"),
        ("{{ [].append(1) }}", "append"),  # immutable sandbox: no mutating built-in methods
    ],
)
def test_the_sandbox_refuses_what_the_static_check_misses(payload: str, detail: str) -> None:
    checked = check_template(payload)
    refusal = refused(lambda: render_template(checked, {}))
    assert (refusal.problem, refusal.line, refusal.detail) == (TemplateProblem.UNSAFE, 1, detail)


def test_a_hand_made_checked_template_is_checked_again() -> None:
    forged = CheckedTemplate("{{ ''.__class__ }}", ())
    assert refused(lambda: render_template(forged, {})).problem is TemplateProblem.UNSAFE


def test_the_environment_alone_refuses_underscore_access() -> None:
    template = sandbox_worker._ENV.from_string("{{ ''.__class__.__mro__ }}")  # no static check here
    assert refused(template.render).problem is TemplateProblem.UNSAFE


def test_the_environment_is_configured_safely() -> None:
    env = sandbox_worker._ENV
    assert isinstance(env, ImmutableSandboxedEnvironment)
    assert issubclass(env.undefined, StrictUndefined)
    assert env.autoescape is False
    assert env.loader is None
    assert set(env.globals) == {"range", "dict", "cycler", "joiner", "namespace"}
    assert env.filters == FILTERS
    assert env.tests == TESTS


def test_the_harmless_globals_still_work() -> None:
    source = (
        "{% set ns = namespace(n=0) %}{% set c = cycler('a', 'b') %}{% set j = joiner('/') %}"
        "{% for t in hashtags %}{% set ns.n = ns.n + 1 %}{{ j() }}{{ c.next() }}{% endfor %}"
        "{{ ns.n }}{{ dict(k=1)|length }}"
    )
    assert render_template(source, POST) == "a/b2" + "1"
    assert refused_render("{{ lipsum() }}").detail == "lipsum"  # removed: unbounded Python loop


def test_syntax_errors_carry_their_line() -> None:
    refusal = refused_check("Hi\n{% if product %}\n{{ product }}\n")
    assert refusal.problem is TemplateProblem.SYNTAX
    assert refusal.line == 3  # where Jinja noticed the missing endif: the end
    assert "endif" in refusal.detail
    unknown = refused_check("a\nb\n{{ product|shout }}")
    assert (unknown.problem, unknown.line) == (TemplateProblem.SYNTAX, 3)
    assert refused_render("{{ }}").problem is TemplateProblem.SYNTAX


def test_too_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    loops = "{% for a in x %}" * 25 + "{% endfor %}" * 25  # Python allows 20 nested blocks
    parens = "{{ " + "(" * 1500 + "1" + ")" * 1500 + " }}"
    for source in (loops, parens):
        assert refused_check(source).problem is TemplateProblem.SYNTAX


def test_a_missing_variable_is_named() -> None:
    refusal = refused_render("Hi\n{{ product }} {{ price }}", POST)
    assert (refusal.problem, refusal.line, refusal.detail) == (
        TemplateProblem.UNDEFINED,
        2,
        "price",
    )
    assert refused_render("{{ product.nope }}", POST).detail == "nope"


def test_runtime_errors_are_refusals_with_a_line() -> None:
    refusal = refused_render("a\n{{ 1 / 0 }}")
    assert (refusal.problem, refusal.line, refusal.detail) == (TemplateProblem.RUNTIME, 2, "zero")
    assert refused_render("{{ 1 + product }}", POST).detail == "types"


@pytest.mark.parametrize(
    "source",
    [
        "{{ cycler }}",
        "{{ self }}",
        "{{ range }}",
        "{{ range(3) }}",
        "{{ namespace() }}",
        "{{ joiner }}",
        "{{ [1, 2] }}",
        "{{ {'a': 1} }}",
        "{{ dict }}",
        "{{ cycler ~ '' }}",
        "{{ self|string }}",
        "{{ '%s'|format(cycler) }}",
        "{% for x in [1] %}{{ loop }}{% endfor %}",
    ],
)
def test_only_plain_values_reach_a_post(source: str) -> None:
    refusal = refused_render(source)
    assert refusal.problem is TemplateProblem.NOT_PLAIN, (source, refusal)


def test_text_numbers_and_nothing_print_as_themselves() -> None:
    source = "{{ product }} {{ 2 * 3 }} {{ 1.5 }}{{ none }} {{ cycler('a', 'b').next() }}"
    assert render_template(source, POST) == "Kopi Susu 6 1.5 a"


def test_a_range_over_the_sandbox_limit_is_too_big_not_an_overflow() -> None:
    refusal = refused_render("{% for i in range(10**6) %}{% endfor %}")
    assert refusal.problem is TemplateProblem.TOO_BIG


def test_source_length_is_capped() -> None:
    check_template("x" * sandbox.MAX_SOURCE)
    assert refused_check("x" * (sandbox.MAX_SOURCE + 1)).problem is TemplateProblem.TOO_LONG
    assert refused_render("x" * (sandbox.MAX_SOURCE + 1)).problem is TemplateProblem.TOO_LONG


def test_output_size_is_capped() -> None:
    assert render_template("{{ product }}", POST, max_output=9) == "Kopi Susu"
    assert refused_render("{{ product }}", POST, max_output=8).problem is TemplateProblem.TOO_BIG
    many = "{% for i in range(99999) %}{{ i }}{% endfor %}"
    start = time.perf_counter()
    assert refused_render(many).problem is TemplateProblem.TOO_BIG
    assert time.perf_counter() - start < 0.5  # stopped at the limit, not after 99,999 numbers


@pytest.mark.parametrize(
    "blowup",
    [
        "{{ 'x' * 100000000 }}",
        "{{ 100000000 * 'x' }}",
        "{{ [1] * 1000000000 }}",
        "{{ 9 ** (9 ** 9) }}",
        "{{ x|center(10000000000) }}",  # allocation beyond the worker's RLIMIT_AS
        "{{ '%9999999999s' % x }}",
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}",
    ],
)
def test_size_blowups_are_refused_without_eating_memory(blowup: str) -> None:
    """Bounded by the worker's own CPU seconds, not the wall clock: the doubling one takes ~0.3 s
    of CPU to hit RLIMIT_AS, which on a busy machine (or when the kernel is slow to hand out
    pages) can stretch past the default 1 s wall limit and be refused as TOO_SLOW instead. The
    generous `time_limit` keeps the wall clock out of what is checked: the memory cap refuses it,
    quickly, and the worker never holds more than its cap."""
    render_template("warm", {})
    worker = sandbox._IDLE[-1]  # the one the next render takes
    before = worker_cpu_seconds(worker.pid)
    assert refused_render(blowup, {"x": "x"}, time_limit=20.0).problem is TemplateProblem.TOO_BIG
    assert worker_cpu_seconds(worker.pid) - before < 1.5
    assert peak_resident_bytes(worker.pid) < sandbox_worker.WORKER_MEMORY


def worker_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process `pid` (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_resident_bytes(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    [kib] = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(kib) * 1024


def test_endless_work_is_stopped_in_time_and_the_next_render_is_fast() -> None:
    nested = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    start = time.perf_counter()
    refusal = refused_render(nested, time_limit=0.5)
    assert refusal.problem is TemplateProblem.TOO_SLOW
    assert time.perf_counter() - start < 0.5 + 0.5
    assert sandbox._IDLE  # a fresh worker is already warm
    assert timed(lambda: render_template("{{ product }}", POST)) < 0.1


def test_checking_is_time_bounded_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "CHECK_TIME_LIMIT", 0.3)
    # Jinja folds constant filters while compiling: this would spin inside check_template.
    assert refused_check("{{ [1]|slice(100000000)|list }}").problem is TemplateProblem.TOO_SLOW


def test_a_worker_that_died_while_idle_is_replaced() -> None:
    render_template("warm", {})
    for proc in sandbox._IDLE:
        proc.kill()
        proc.wait()
    assert render_template("{{ product }}", POST) == "Kopi Susu"


def test_an_orphaned_worker_kills_itself() -> None:
    proc = sandbox._start()
    assert proc.stdin is not None
    nested = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    request = {"op": "render", "source": nested, "vars": {}, "max": 100, "limit": 0.1}
    proc.stdin.write(json.dumps(request).encode() + b"\n")
    proc.stdin.flush()  # and never read the answer, as a dead parent would not
    try:
        assert proc.wait(timeout=3) == -signal.SIGALRM
    finally:
        sandbox._kill(proc)


def test_a_worker_loads_nothing_of_the_app_but_itself_and_its_refusal_types() -> None:
    """The worker runs untrusted code: what it imports is what a template could reach."""
    python, isolated, command, main, *rest = fresh_python_argv(WORKER, "serve")
    listing = "print(sorted(m for m in sys.modules if m.startswith('smmbot')))"
    probe = main.replace("raise SystemExit(serve())", listing)  # the worker's start, not its loop
    assert probe != main
    result = subprocess.run(
        [python, isolated, command, probe, *rest],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == str(
        ["smmbot", "smmbot.rendering", "smmbot.rendering.sandbox_worker",
         "smmbot.rendering.template_refusal"]
    )  # fmt: skip


def test_renders_from_many_threads() -> None:
    results: dict[int, str] = {}

    def work(n: int) -> None:
        for i in range(20):
            results[n * 100 + i] = render_template("{{ a }}-{{ b }}", {"a": str(n), "b": str(i)})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n * 100 + i: f"{n}-{i}" for n in range(8) for i in range(20)}
    assert len(sandbox._IDLE) <= sandbox._MAX_IDLE


def test_a_normal_render_takes_about_a_millisecond() -> None:
    checked = check_template("{{ product }} on {{ platform }}: {{ hashtags|join(' ') }}")
    render_template(checked, POST)
    median = statistics.median(timed(lambda: render_template(checked, POST)) for _ in range(100))
    print(f"median render: {median * 1000:.3f} ms")
    assert median < 0.005


JINJA_BITS = st.sampled_from(
    ["{{", "}}", "{%", "%}", "{#", "#}", " if ", " for ", " in ", "endfor", "endif", "set ",
     "x", "product", "hashtags", "'_'", "|", "attr", "(", ")", "[", "]", ".", "~", "*", "9",
     "range", "loop", "=", ",", "\n", "__class__", " macro ", "endmacro", "raw", "-"]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.one_of(st.text(max_size=120), st.lists(JINJA_BITS, max_size=30).map("".join)))
def test_arbitrary_text_only_ever_raises_template_refused(source: str) -> None:
    with contextlib.suppress(TemplateRefused):
        check_template(source)
    with contextlib.suppress(TemplateRefused):
        render_template(source, POST, time_limit=1.0, max_output=2_000)
