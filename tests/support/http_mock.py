"""What every recording provider mock shares: a threaded server on a free 127.0.0.1 port that
holds the mock's state, a handler that answers JSON quietly, and the `with` lifecycle.

Each provider mock (Google, Meta) keeps only its own routes and documented answer shapes.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

StateT = TypeVar("StateT")


class StateServer(ThreadingHTTPServer, Generic[StateT]):
    """A server whose handlers read and record into `state`."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, state: StateT, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.state = state


class JsonHandler(BaseHTTPRequestHandler):
    """Answers with JSON bodies and logs nothing: tests read the recorded calls, not stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read `calls`, not stderr."""

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


class HttpMock(Generic[StateT]):
    """Serves `handler` over `state` in a daemon thread for the length of a `with` block."""

    def __init__(self, state: StateT, handler: type[BaseHTTPRequestHandler]) -> None:
        self.state = state
        self._server = StateServer(state, handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},  # leaving the `with` waits up to one interval
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
