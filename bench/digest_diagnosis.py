"""Where `build_digest` spends its time, for `bench/digest_build.py` when a goal is missed (or
``--profile``): the statements it issues per digest with their median time, and cProfile's top
functions."""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, event

from bench.digest_data import NOW, TEAM
from smmbot.services.context import ServiceContext
from smmbot.services.digest import build_digest


@contextlib.contextmanager
def statement_log(engine: Engine) -> Iterator[dict[str, list[float]]]:
    """Each statement the engine runs (by its first 110 characters) -> its durations in ms."""
    log: dict[str, list[float]] = defaultdict(list)

    def before(conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: Any) -> None:
        context._bench_started = time.perf_counter()

    def after(conn: Any, _cursor: Any, sql: str, _params: Any, context: Any, _many: Any) -> None:
        key = " ".join(sql.split())[:110]
        log[key].append((time.perf_counter() - context._bench_started) * 1000)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def diagnose(ctx: ServiceContext, runs: int) -> dict[str, Any]:
    """Statements per digest with their median time, and cProfile's top functions."""
    with statement_log(ctx.db.engine) as log:
        for _ in range(runs):
            build_digest(ctx=ctx, team_id=TEAM, now=NOW)
    statements: list[dict[str, Any]] = [
        {
            "sql": sql,
            "per_digest": len(times) / runs,
            "median_ms": round(statistics.median(times), 2),
        }
        for sql, times in log.items()
    ]
    statements.sort(key=lambda s: -s["per_digest"] * s["median_ms"])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        build_digest(ctx=ctx, team_id=TEAM, now=NOW)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
    return {
        "queries_per_digest": round(sum(s["per_digest"] for s in statements), 2),
        "statements": statements,
        "profile": out.getvalue(),
    }
