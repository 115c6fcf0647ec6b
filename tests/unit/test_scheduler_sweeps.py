"""A sweep that cannot reach the database is skipped with a warning, not logged as a crash:
its rows stay pending and the next sweep delivers them."""

from __future__ import annotations

import logging

import pytest

from smmbot.persistence.database import DatabaseUnavailableError
from smmbot.scheduling.scheduler import _run_sweeps


def test_an_unreachable_database_skips_the_sweep_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    def outbox() -> None:
        raise DatabaseUnavailableError("connection refused")

    def digest() -> None:
        ran.append("digest")

    with caplog.at_level(logging.WARNING):
        _run_sweeps((outbox, digest))
    assert ran == ["digest"]
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    assert caplog.records[0].exc_info is None
    assert "unreachable" in caplog.records[0].getMessage()
