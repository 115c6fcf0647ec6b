"""The real app (`python app.py` in HTTP mode) against the mock Web API, on each database.

Modules that need other settings (a public URL, a database of their own) define their own `app`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.app_process import AppProcess
from tests.support.slack_mock import SlackApiMock


@pytest.fixture
def app(slack: SlackApiMock, database_url: str, tmp_path: Path) -> Iterator[AppProcess]:
    with AppProcess(
        api_url=slack.base_url, database_url=database_url, log_path=tmp_path / "app.log"
    ) as process:
        yield process
