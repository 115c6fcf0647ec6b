"""A small WSGI router for DESIGN.md's routes; Slack's own endpoint is handed in by bootstrap.

The install flow's GET paths (OAuth mode only; `oauth_paths` is empty otherwise, and they answer
404) go to the same Slack endpoint as `/slack/events`: Bolt's handler serves both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from smmbot.services.operations import ACK_SECONDS
from smmbot.web import bio, links, metrics_api, operations, sharebar, sources_sign_in


def _json(start_response: StartResponse, status: str, payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def build_wsgi_app(
    *,
    slack_events: WSGIApplication,
    database_ok: Callable[[], bool],
    follow_link: links.FollowLink,
    ingest_metrics: metrics_api.IngestMetrics,
    record_share: sharebar.RecordShare,
    find_bio_page: bio.FindPage,
    sign_in: sources_sign_in.SignIn,
    oauth_paths: Collection[str] = (),
    ops: operations.Operations | None = None,
) -> WSGIApplication:
    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/slack/events":
            if environ.get("REQUEST_METHOD") != "POST":
                return _json(start_response, "405 Method Not Allowed", {"error": "use POST"})
            with ACK_SECONDS.time():  # Bolt answers once the listener has acknowledged
                return slack_events(environ, start_response)
        if path in oauth_paths:
            if environ.get("REQUEST_METHOD") != "GET":
                return _json(start_response, "405 Method Not Allowed", {"error": "use GET"})
            return slack_events(environ, start_response)
        if path == "/healthz":
            if database_ok():
                return _json(start_response, "200 OK", {"status": "ok"})
            return _json(start_response, "503 Service Unavailable", {"status": "database down"})
        if ops is not None and path in operations.PATHS:
            return operations.serve(environ, start_response, ops)
        if path.startswith(links.PREFIX):
            return links.redirect(environ, start_response, follow_link)
        if path == sharebar.SCRIPT_PATH:
            return sharebar.script(environ, start_response)
        if path == sharebar.API_PATH:
            return sharebar.beacon(environ, start_response, record_share)
        if path.startswith(bio.PREFIX):
            return bio.page(environ, start_response, find_bio_page)
        if match := sources_sign_in.PATH.fullmatch(path):
            return sources_sign_in.callback(environ, start_response, sign_in, match.group(1))
        if path == metrics_api.PATH:
            return metrics_api.ingest(environ, start_response, ingest_metrics)
        return _json(start_response, "404 Not Found", {"error": "not found"})

    return application
