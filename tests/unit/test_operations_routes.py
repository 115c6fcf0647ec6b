"""/readyz names the check that failed; /metrics refuses other methods and wrong tokens."""

from __future__ import annotations

import json
from io import BytesIO
from typing import Any

from smmbot.web.operations import Operations, serve


def call(ops: Operations, path: str, method: str = "GET", **headers: str) -> tuple[str, bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, _headers: list[tuple[str, str]], *_: object) -> Any:
        seen["status"] = status
        return lambda _data: None

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": BytesIO(), **headers}
    body = b"".join(serve(environ, start_response, ops))
    return seen["status"], body


def ops(*, scheduler: bool = True, token: str | None = None) -> Operations:
    checks = {"database": True, "migrations_at_head": True, "scheduler": scheduler}
    return Operations(metrics=lambda: b"smmbot_up 1\n", checks=lambda: checks, token=token)


def test_readyz_is_503_naming_what_is_not_ready() -> None:
    status, body = call(ops(scheduler=False), "/readyz")
    assert status.startswith("503")
    assert json.loads(body)["scheduler"] is False
    assert call(ops(), "/readyz")[0].startswith("200")


def test_metrics_without_a_token_configured_is_open() -> None:
    assert call(ops(), "/metrics") == ("200 OK", b"smmbot_up 1\n")


def test_metrics_with_a_token_needs_that_bearer() -> None:
    guarded = ops(token="s3cret")
    assert call(guarded, "/metrics")[0].startswith("401")
    assert call(guarded, "/metrics", HTTP_AUTHORIZATION="Basic s3cret")[0].startswith("401")
    assert call(guarded, "/metrics", HTTP_AUTHORIZATION="Bearer s3cret")[0] == "200 OK"


def test_other_methods_are_refused() -> None:
    assert call(ops(), "/metrics", "POST")[0].startswith("405")
