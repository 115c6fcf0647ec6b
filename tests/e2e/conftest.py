"""The real app against the mock Web API, on each database: `app` is `python app.py` in HTTP
mode (for what is about the process), `inprocess_app` the same Bolt app and routes served from a
thread of the test (for what a listener does; a module of such tests overrides `app` with it).

Modules that need other settings (a public URL, a database of their own) define their own `app`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.app_process import AppProcess
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import SlackApiMock


@pytest.fixture
def app(slack: SlackApiMock, database_url: str, tmp_path: Path) -> Iterator[AppProcess]:
    with AppProcess(
        api_url=slack.base_url, database_url=database_url, log_path=tmp_path / "app.log"
    ) as process:
        yield process


@pytest.fixture
def inprocess_app(slack: SlackApiMock, database_url: str) -> Iterator[InProcessApp]:
    with InProcessApp(api_url=slack.base_url, database_url=database_url) as app:
        yield app
