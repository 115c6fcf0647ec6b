"""The property every digest pillar must have, checked against the independent oracle: each line
shows this week's number, last week's and the change between, and the best and worst movers are
ones the design allows. The domain-level and the database-level property tests both hold it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from smmbot.domain.digest import Line, MetricLine, PillarSummary
from tests.support import digest_oracle as oracle


def expected_value(line: Line, numbers: Mapping[str, Decimal]) -> Decimal | None:
    """What `line` must show for a week whose numbers are `numbers`."""
    if isinstance(line, MetricLine):
        return numbers.get(line.name)
    return oracle.ratio(numbers, line.name)


def check_pillar_lines(
    pillar: PillarSummary, now: Mapping[str, Decimal], then: Mapping[str, Decimal]
) -> None:
    scores: dict[str, Decimal] = {}
    lines: list[Line] = [*pillar.metrics, *pillar.ratios]
    for line in lines:
        value, previous = expected_value(line, now), expected_value(line, then)
        assert (line.value, line.previous) == (value, previous), line.name
        assert line.change_percent == oracle.change(value, previous), line.name
        score = oracle.improvement(line.name, value, previous)
        if score:
            scores[line.name] = score
    best, worst = oracle.acceptable_movers(scores)
    assert (pillar.best.name if pillar.best else None) in best
    assert (pillar.worst.name if pillar.worst else None) in worst
