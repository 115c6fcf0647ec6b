"""httpx clients for tests, all on one TLS context per test session.

Every `httpx.Client()` (and every `httpx.get`) builds a TLS context and loads the CA bundle into
it: 50 ms of CPU on a quiet machine, 250 ms on a busy one, and the provider tests made dozens. The
context is never changed after it is built, so sharing it shares no state between tests; each
test still gets a client (and connection pool) of its own.
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx


@functools.cache
def session_tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def http_client(**options: Any) -> httpx.Client:
    """An `httpx.Client(**options)` that verifies certificates exactly as the default one does."""
    return httpx.Client(verify=session_tls_context(), **options)
