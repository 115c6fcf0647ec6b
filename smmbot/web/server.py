"""The production HTTP server: uvicorn (httptools, uvloop) in front of our WSGI app.

Bolt's handlers are synchronous, so a2wsgi runs them in a thread pool; uvicorn drains in-flight
requests on SIGTERM before `serve_http` returns. uvicorn's own log lines go through the root
logger bootstrap configured (`log_config=None`), so they follow `SMMBOT_LOG_FORMAT` too.
"""

from __future__ import annotations

from typing import Any, cast
from wsgiref.types import WSGIApplication

import uvicorn
from a2wsgi import WSGIMiddleware

GRACEFUL_SHUTDOWN_SECONDS = 25


def serve_http(app: WSGIApplication, *, host: str, port: int, threads: int) -> None:
    config = uvicorn.Config(
        WSGIMiddleware(cast(Any, app), workers=threads),  # a2wsgi types WSGI its own way
        host=host,
        port=port,
        lifespan="off",
        ws="none",  # Slack posts events over plain HTTP; no websocket stack loaded at start
        access_log=False,
        log_level="info",
        log_config=None,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    uvicorn.Server(config).run()
