"""`bench/digest_build.py` on a small workspace: it must still run, and the digest it times must
show exactly the numbers of its hand-written SQL bound (the bench refuses to time otherwise), so
the roll-up the digest reads is checked against raw readings on realistic, many-campaign data."""

from __future__ import annotations

import io
import json

import pytest

from bench import digest_build, digest_data
from smmbot.domain.metrics import METRICS
from tests.support.databases import postgres_base_url

pytestmark = pytest.mark.postgres


def test_the_digest_bench_runs_and_agrees_with_its_raw_bound() -> None:
    base_url = postgres_base_url()
    if base_url is None:
        pytest.skip("needs SMMBOT_TEST_POSTGRES_URL")
    out = io.StringIO()
    readings = digest_data.DAYS * len(METRICS) * 20  # 4 campaigns x 6 platforms, 3 active
    argv = ["--database-url", base_url, "--readings", str(readings), "--runs", "3", "--warmup", "1"]
    assert digest_build.main([*argv, "--json"], out=out) == 0
    result = json.loads(out.getvalue())
    assert result["config"]["readings"] == readings
    assert result["digest_targets"] == 3 * 3  # three active campaigns, three targets each
    assert result["digest_ms"]["median"] > 0 and result["bound_ms"]["median"] > 0
