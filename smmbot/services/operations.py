"""What operators see: Prometheus metrics, the request context of every log line, readiness.

The counters live in their own registry (not prometheus-client's global one), so a test or a
second app in one process starts from a clean slate. Labels are closed sets (subcommand names
from the catalog, outcomes, outbox kinds, source names), so the series stay few.

`record_sync` is what a connector calls after each sync; `bind_request` is what the Slack
adapter calls when a request arrives, so every log line of that request carries its workspace
and a request id (contextvars follow the request through threads started with a copied context).
"""

from __future__ import annotations

import contextvars
import itertools
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import cache
from typing import Final, Literal, ParamSpec, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from smmbot.persistence.outbox_queue import outbox_backlog
from smmbot.services.context import ServiceContext

P = ParamSpec("P")
T = TypeVar("T")
Outcome = Literal["answered", "refused", "error"]
SyncOutcome = Literal["ok", "failed", "rate_limited", "broken"]
CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"

REGISTRY: Final = CollectorRegistry(auto_describe=True)
COMMANDS: Final = Counter(
    "smmbot_commands", "/smm commands by subcommand and outcome",
    ["subcommand", "outcome"], registry=REGISTRY,
)  # fmt: skip
INTERACTIONS: Final = Counter(
    "smmbot_interactions", "Buttons, forms and events by kind and outcome",
    ["kind", "outcome"], registry=REGISTRY,
)  # fmt: skip
ACK_SECONDS: Final = Histogram(
    "smmbot_slack_ack_seconds", "Time from receiving a Slack request to its HTTP answer",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0), registry=REGISTRY,
)  # fmt: skip
DELIVERIES: Final = Counter(
    "smmbot_outbox_deliveries", "Outbox messages handled, by kind and outcome "
    "(sent, late, retried, failed, dropped)", ["kind", "outcome"], registry=REGISTRY,
)  # fmt: skip
DIGEST_BUILD_CPU: Final = Histogram(
    "smmbot_digest_build_cpu_seconds", "CPU time of one weekly digest's build (its queries, "
    "chart and payload) on the thread that built it",
    buckets=(0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0), registry=REGISTRY,
)  # fmt: skip
SYNCS: Final = Counter(
    "smmbot_syncs", "Metric source syncs by source and outcome",
    ["source", "outcome"], registry=REGISTRY,
)  # fmt: skip

_TEAM: contextvars.ContextVar[str] = contextvars.ContextVar("smmbot_team", default="-")
_REQUEST: contextvars.ContextVar[str] = contextvars.ContextVar("smmbot_request", default="-")


def record_command(subcommand: str, outcome: Outcome) -> None:
    _command_counter(subcommand, outcome).inc()


@cache
def _command_counter(subcommand: str, outcome: Outcome) -> Counter:
    """Every command counts, on the acknowledgement's path for help: each labelled series is
    looked up once (subcommands and outcomes are closed sets, so the cache stays small)."""
    return COMMANDS.labels(subcommand=subcommand, outcome=outcome)


def record_sync(source: str, outcome: SyncOutcome) -> None:
    """For the connectors: one finished sync of `source` (google, meta, …) for one workspace."""
    SYNCS.labels(source=source, outcome=outcome).inc()


def record_delivery(kind: str, outcome: str) -> None:
    DELIVERIES.labels(kind=kind, outcome=outcome).inc()


def record_digest_build(cpu_seconds: float) -> None:
    """What a Monday's digests cost the bot, and how a build's cost moves as data grows; in
    CPU rather than wall time, which waits on the database and on the other threads."""
    DIGEST_BUILD_CPU.observe(cpu_seconds)


class _OutboxCollector(Collector):
    """Backlog and oldest due age, read from the database at scrape time (one query), so
    every replica reports the shared queue as it is, not what it saw last."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def collect(self) -> Iterator[Metric]:
        with self._ctx.db.transaction() as session:
            count, age = outbox_backlog(session, self._ctx.clock())
        yield GaugeMetricFamily(
            "smmbot_outbox_backlog", "Outbox messages due and not yet sent", value=count
        )
        yield GaugeMetricFamily(
            "smmbot_outbox_oldest_due_age_seconds",
            "How long the oldest unsent due message has been due",
            value=age,
        )


def metrics_text(ctx: ServiceContext) -> bytes:
    """The Prometheus exposition: the counters above plus the outbox gauges."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_OutboxCollector(ctx))
    return generate_latest(REGISTRY) + generate_latest(registry)


_PROCESS: Final = uuid.uuid4().hex[:6]
_SEQUENCE: Final = itertools.count(1)


def bind_request(team_id: str | None) -> str:
    """Marks the current context as serving `team_id`; returns the new request id (this
    process's random prefix and a sequence number: unique across replicas, and cheap)."""
    request_id = f"{_PROCESS}-{next(_SEQUENCE):x}"
    _TEAM.set(team_id or "-")
    _REQUEST.set(request_id)
    return request_id


class JsonLogFormatter(logging.Formatter):
    """`SMMBOT_LOG_FORMAT=json`: one JSON object a line, with the request's workspace and id."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "team_id": _TEAM.get(),
            "request_id": _REQUEST.get(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class ContextExecutor(ThreadPoolExecutor):
    """Runs each task in a copy of the submitter's context, so a listener that Bolt runs after
    the acknowledgement logs with the workspace and request id its request bound."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = contextvars.copy_context()
        return super().submit(lambda: context.run(fn, *args, **kwargs))
