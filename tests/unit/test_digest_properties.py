"""The digest's arithmetic on random weeks against `tests.support.digest_oracle`, written from
DESIGN.md's rules: ratios (unknown when a side was never logged or the denominator is zero),
week-over-week changes, which way is good, and the best and worst movers of each pillar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from smmbot.domain.digest import PillarSummary, summarize
from smmbot.domain.metrics import METRICS
from tests.support import digest_oracle as oracle
from tests.support.digest_checks import check_pillar_lines

values = st.one_of(
    st.just(Decimal(0)),
    st.integers(min_value=1, max_value=10_000).map(Decimal),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
)
weeks = st.dictionaries(st.sampled_from(sorted(METRICS)), values, max_size=len(METRICS))


def check_pillar(
    summary: PillarSummary,
    names: tuple[str, ...],
    now: dict[str, Decimal],
    then: dict[str, Decimal],
) -> None:
    assert [line.name for line in summary.metrics] == [m for m in METRICS if m in names]
    for ratio in summary.ratios:
        top, bottom = oracle.RATIOS[ratio.name]
        assert top in names and bottom in names  # a ratio never mixes the pillars
    check_pillar_lines(summary, now, then)


@settings(max_examples=300, deadline=None)
@given(now=weeks, then=weeks)
def test_summaries_follow_the_design_rules(
    now: dict[str, Decimal], then: dict[str, Decimal]
) -> None:
    week = summarize(date(2026, 11, 23), now, then)
    assert week.has_data == bool(now)
    check_pillar(week.smo, oracle.SMO, now, then)
    check_pillar(week.smm, oracle.SMM, now, then)
    for pillar in (week.smo, week.smm):
        for mover in (pillar.best, pillar.worst):
            assert mover is None or mover.name not in oracle.NEUTRAL
        assert (
            pillar.worst is None
            or pillar.worst.name not in oracle.FALLING_IS_BETTER
            or (pillar.worst.change_percent is not None and pillar.worst.change_percent > 0)
        )  # a cost per click is a setback only when it rises
