"""A `bench.sync` provider mock in a spawned child process of its own, driven over a pipe.

In the bench's own process the mock's threads (parsing requests, building and encoding the
JSON answers) took the GIL from the sync being timed, so the backfill's time included the
provider's work; in a child they run beside it, as a real provider does. The child runs one
provider module of the bench (`bench.sync_google`, `bench.sync_meta`): its `mock(delay)`, and
its `seed_rows` and `mint_token` applied to that mock when the bench asks.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

_ACTIONS = frozenset({"seed_rows", "mint_token", "report_calls"})


def _serve(module_name: str, delay: float, pipe: Connection) -> None:
    """Runs in the child: serves the mock until the pipe closes or says None."""
    module = importlib.import_module(module_name)
    with module.mock(delay) as mock:
        pipe.send(mock.base_url)
        while (request := _receive(pipe)) is not None:
            action, args = request
            if action == "report_calls":
                pipe.send(len(mock.report_calls()))
            else:
                pipe.send(getattr(module, action)(mock, *args))


def _receive(pipe: Connection) -> tuple[str, tuple[Any, ...]] | None:
    try:
        request: tuple[str, tuple[Any, ...]] | None = pipe.recv()
    except EOFError:  # the bench went away
        return None
    return request


class SyncMock:
    """The parent's handle on the child's mock: its URL, and the state changes the bench makes."""

    def __init__(self, pipe: Connection) -> None:
        self._pipe = pipe
        self.base_url: str = self._answer()

    def seed_rows(self, account_id: str, campaigns: int) -> None:
        """What the mock answers for the backfill of `account_id`."""
        self._call("seed_rows", account_id, campaigns)

    def mint_token(self) -> str:
        """A new access token the mock accepts."""
        token: str = self._call("mint_token")
        return token

    def report_calls(self) -> int:
        """How many report calls (the provider's requests a sync makes) the mock has answered."""
        count: int = self._call("report_calls")
        return count

    def _call(self, action: str, *args: Any) -> Any:
        assert action in _ACTIONS, action
        self._pipe.send((action, args))
        return self._answer()

    def _answer(self) -> Any:
        try:
            return self._pipe.recv()
        except EOFError:
            raise RuntimeError("the provider mock's process died") from None


@contextlib.contextmanager
def child_mock(module_name: str, delay: float) -> Iterator[SyncMock]:
    """`module_name`'s mock answering after `delay` seconds, in a spawned child process."""
    context = multiprocessing.get_context("spawn")
    pipe, child_end = context.Pipe()
    process = context.Process(target=_serve, args=(module_name, delay, child_end), daemon=True)
    process.start()
    child_end.close()
    try:
        yield SyncMock(pipe)
    finally:
        with contextlib.suppress(OSError):
            pipe.send(None)
        pipe.close()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
