"""`GET /metrics` (Prometheus text format, optionally behind `SMMBOT_METRICS_TOKEN`) and
`GET /readyz`: 200 only while the database answers, its migrations are at head and the
scheduler runs, so a load balancer stops sending work to a replica that cannot do it
(`/healthz` stays the liveness check: the process answers and so does the database)."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from wsgiref.types import StartResponse, WSGIEnvironment

from smmbot.services.operations import CONTENT_TYPE

PATHS = frozenset({"/metrics", "/readyz"})


@dataclass(frozen=True)
class Operations:
    metrics: Callable[[], bytes]
    checks: Callable[[], dict[str, bool]]
    token: str | None = None


def serve(
    environ: WSGIEnvironment, start_response: StartResponse, ops: Operations
) -> Iterable[bytes]:
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return _answer(start_response, "405 Method Not Allowed", b'{"error": "use GET"}')
    if environ.get("PATH_INFO") == "/readyz":
        checks = ops.checks()
        status = "200 OK" if all(checks.values()) else "503 Service Unavailable"
        return _answer(start_response, status, json.dumps(checks).encode())
    if ops.token and not _bearer_matches(environ, ops.token):
        return _answer(start_response, "401 Unauthorized", b'{"error": "bearer token needed"}')
    return _answer(start_response, "200 OK", ops.metrics(), CONTENT_TYPE)


def _bearer_matches(environ: WSGIEnvironment, token: str) -> bool:
    header = str(environ.get("HTTP_AUTHORIZATION", ""))
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


def _answer(
    start_response: StartResponse, status: str, body: bytes, kind: str = "application/json"
) -> list[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]
