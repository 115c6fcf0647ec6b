"""`POST /api/metrics`: the HTTP side of metric ingestion (headers, body limits, JSON).

What a reading may be and whether the token is good is the service's business (handed in by
bootstrap); this module turns its result into status codes a script can act on: 401 (with
`WWW-Authenticate: Bearer`, as RFC 6750 asks), 413, 400 for a body that is not JSON, 422 with
per-row errors (an unknown metric with `did_you_mean` when one is near), 200 with the count
saved.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Final, Protocol
from wsgiref.types import StartResponse, WSGIEnvironment

from smmbot.services.metrics_api import IngestResult, IngestStatus

PATH: Final = "/api/metrics"
MAX_BODY_BYTES: Final = 1_000_000


class IngestMetrics(Protocol):
    def __call__(self, *, token: str, rows: object) -> IngestResult: ...


def _json(
    start_response: StartResponse,
    status: str,
    payload: dict[str, Any],
    extra: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    body = json.dumps(payload).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    start_response(status, [*headers, *extra])
    return [body]


def _unauthorized(start_response: StartResponse) -> list[bytes]:
    return _json(
        start_response,
        "401 Unauthorized",
        {"error": "a valid bearer token is required"},
        (("WWW-Authenticate", 'Bearer realm="smmbot"'),),
    )


def ingest(
    environ: WSGIEnvironment, start_response: StartResponse, ingest_metrics: IngestMetrics
) -> Iterable[bytes]:
    if environ.get("REQUEST_METHOD") != "POST":
        return _json(start_response, "405 Method Not Allowed", {"error": "use POST"})
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorized(start_response)
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _json(start_response, "413 Content Too Large", {"error": "body over 1 MB"})
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    try:
        rows = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _json(start_response, "400 Bad Request", {"error": "body is not JSON"})
    result = ingest_metrics(token=token.strip(), rows=rows)
    if result.status is IngestStatus.UNAUTHORIZED:
        return _unauthorized(start_response)
    if result.status is IngestStatus.INVALID:
        errors = [
            {"row": error.row, "field": error.field, "problem": error.problem.value}
            | ({"did_you_mean": error.suggestion} if error.suggestion else {})
            for error in result.errors
        ]
        return _json(start_response, "422 Unprocessable Content", {"errors": errors})
    return _json(start_response, "200 OK", {"saved": result.saved})
