"""The real HTTP-mode app served from a thread of the test process: no `python app.py` child.

`InProcessApp` wires what `bootstrap` wires for HTTP mode, through the same functions
(`build_context`, `slack_app`, `web_app`): the Bolt app with every listener, its signature check
and payload parsing, the Web API client pointed at the Slack mock, and the web routes. It serves
them with the standard library's threaded WSGI server on a free 127.0.0.1 port, so a test sends
the same signed requests (`tests/support/slack_requests.py`) to `app.base_url` as it would to a
child process, and reads the answers from the mock. Starting it costs milliseconds; a child
process costs seconds of imports and migrations.

What it leaves out is what the child-process tests are about: environment parsing, uvicorn,
signals, the scheduler (nothing is swept: due messages are not sent), restarts and outages.
A test whose subject is one of those keeps `AppProcess`.

In a test, ask for the `inprocess_app` fixture (tests/e2e/conftest.py); `InProcessApp(...)` takes
settings overrides for a module that needs others (a public URL, a metrics token).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any, Self
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from smmbot.bootstrap.context import build_context
from smmbot.bootstrap.slack_mode import slack_app, web_app
from smmbot.config import Settings
from smmbot.services.context import ServiceContext
from smmbot.services.link_clicks import ClickRecorder
from smmbot.services.operations import ContextExecutor
from smmbot.services.outbox import DeliveryOptions, DeliveryReport, deliver_due
from smmbot.slack.app import oauth_paths, wsgi_endpoint
from tests.support.app_process import BOT_TOKEN, SIGNING_SECRET

_FAST = DeliveryOptions(spacing=0.01, poll_interval=0.01)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """A thread per request; closing waits for the ones in flight, as uvicorn drains them."""


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the mock's calls, not an access log."""


class InProcessApp:
    def __init__(self, *, api_url: str, database_url: str, **settings: Any) -> None:
        """`settings` override `Settings` fields (e.g. `smmbot_public_url=...`)."""
        self.settings = Settings(
            _env_file=None,  # no .env of the developer's: only what the test says
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=api_url,
            database_url=database_url,
            host="127.0.0.1",
            port=0,
            smmbot_http_threads=8,
            **settings,
        )
        self.ctx: ServiceContext = build_context(self.settings)
        self._executor = ContextExecutor(max_workers=8, thread_name_prefix="bolt")
        self._clicks = ClickRecorder(self.ctx)
        bolt_app, self.sender = slack_app(self.settings, self.ctx, self._executor)
        web = web_app(
            self.settings,
            self.ctx,
            wsgi_endpoint(bolt_app),
            oauth_paths(bolt_app),
            self._clicks,
            lambda: False,  # no scheduler runs in-process
        )
        self._server = make_server(
            "127.0.0.1", 0, web, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="inprocess-app",
            daemon=True,
        )

    def deliver(self, at: datetime | None = None) -> DeliveryReport:
        """One outbox sweep, as the scheduler would run it (no scheduler runs in-process), on
        the clock moved to `at` if given: what falls due by then is sent to the mock."""
        ctx = self.ctx if at is None else replace(self.ctx, clock=lambda: at)
        return deliver_due(ctx=ctx, sender=self.sender, worker_id="inprocess", options=_FAST)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """In the order `bootstrap` stops: requests, then the listeners Bolt runs after the
        acknowledgement, then queued clicks, then the database."""
        self._server.shutdown()
        self._server.server_close()
        self._executor.shutdown(wait=True)
        self._clicks.close()
        self.ctx.db.engine.dispose()
