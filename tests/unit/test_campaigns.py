"""Campaign input validation (every problem at once), status, days left and list order."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.campaigns import (
    CampaignDraft,
    CampaignInputError,
    CampaignProblem,
    CampaignStatus,
    FieldProblem,
    campaign_status,
    days_left,
    sort_for_listing,
    validate_campaign,
)
from smmbot.domain.platforms import Platform
from smmbot.domain.templates import Pillar

TODAY = date(2026, 11, 24)
VALID = {"objective": "smm", "start": "2026-12-01", "end": "2026-12-31"}


def problems_of(name: str, options: dict[str, str], currency: str = "IDR") -> list[FieldProblem]:
    with pytest.raises(CampaignInputError) as caught:
        validate_campaign(name, options, currency=currency)
    return list(caught.value.problems)


def test_minimal_campaign() -> None:
    draft = validate_campaign(" Harbolnas 12.12 ", VALID, currency="IDR")
    assert draft == CampaignDraft(
        name="Harbolnas 12.12",
        objective=Pillar.SMM,
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
        budget=None,
        platforms=(),
        targets={},
        owner_id=None,
    )


def test_full_campaign() -> None:
    options = {
        **VALID,
        "objective": "SMO",
        "budget": "Rp5.000.000",
        "platforms": "ig, x,instagram",
        "target.reach": "1,5jt",
        "target.Followers": "12.000",
        "target.revenue": "25jt",
        "target.ad_spend": "Rp 2.500.000,50",
        "owner": "<@U123ABC|ayu>",
    }
    draft = validate_campaign("Ramadan", options, currency="IDR")
    assert draft.objective is Pillar.SMO
    assert draft.budget == Decimal(5_000_000)
    assert draft.platforms == (Platform.INSTAGRAM, Platform.X)
    assert draft.targets == {
        "reach": Decimal(1_500_000),
        "followers": Decimal(12_000),
        "revenue": Decimal(25_000_000),
        "ad_spend": Decimal("2500000.50"),
    }
    assert draft.owner_id == "U123ABC"


def test_usd_workspace() -> None:
    """`platform=` as an alias of `platforms=` is the catalog's (tests/unit/test_catalog.py)."""
    options = {**VALID, "budget": "$1,200.50", "platforms": "tiktok", "owner": "<@W0ABC>"}
    draft = validate_campaign("Q4", options, currency="USD")
    assert draft.budget == Decimal("1200.50")
    assert draft.platforms == (Platform.TIKTOK,)
    assert draft.owner_id == "W0ABC"


def test_one_day_campaign_on_its_day_and_started_campaigns_are_fine() -> None:
    same_day = {**VALID, "start": "2026-11-24", "end": "2026-11-24"}
    assert validate_campaign("Flash", same_day, currency="IDR").end == TODAY
    running = {**VALID, "start": "2026-11-01"}
    assert validate_campaign("Running", running, currency="IDR").start.month == 11


def test_a_period_that_is_over_is_accepted_and_reads_as_ended() -> None:
    past = {**VALID, "start": "2026-10-01", "end": "2026-10-31"}
    draft = validate_campaign("Oktober", past, currency="IDR")
    assert (draft.start, draft.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert campaign_status(draft.start, draft.end, False, TODAY) is CampaignStatus.ENDED


def test_every_problem_is_reported_at_once() -> None:
    options = {
        "objective": "sales",
        "start": "2026-02-30",
        "end": "12/31/2026",  # month first: refused, not re-read
        "budget": "-5jt",
        "platforms": "instagram,myspace",
        "target.hearts": "100",
        "target.reach": "banyak",
        "owner": "@ayu",
    }
    assert problems_of("-launch", options) == [
        FieldProblem("name", CampaignProblem.BAD_NAME, "-launch"),
        FieldProblem("objective", CampaignProblem.UNKNOWN_OBJECTIVE, "sales"),
        FieldProblem("start", CampaignProblem.BAD_DATE, "2026-02-30"),
        FieldProblem("end", CampaignProblem.BAD_DATE, "12/31/2026"),
        FieldProblem("budget", CampaignProblem.NEGATIVE_BUDGET, "-5jt"),
        FieldProblem("platforms", CampaignProblem.UNKNOWN_PLATFORM, "instagram,myspace"),
        FieldProblem("target.hearts", CampaignProblem.UNKNOWN_METRIC, "hearts"),
        FieldProblem("target.reach", CampaignProblem.BAD_TARGET, "banyak"),
        FieldProblem("owner", CampaignProblem.BAD_OWNER, "@ayu"),
    ]


def test_missing_required_fields() -> None:
    assert problems_of("", {}) == [
        FieldProblem("name", CampaignProblem.MISSING, ""),
        FieldProblem("objective", CampaignProblem.MISSING, ""),
        FieldProblem("start", CampaignProblem.MISSING, ""),
        FieldProblem("end", CampaignProblem.MISSING, ""),
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {"end": "2026-11-30"},
            FieldProblem("end", CampaignProblem.END_BEFORE_START, "2026-11-30"),
        ),
        ({"start": "2026-12-1"}, FieldProblem("start", CampaignProblem.BAD_DATE, "2026-12-1")),
        ({"start": "besok"}, FieldProblem("start", CampaignProblem.BAD_DATE, "besok")),
        ({"budget": "lima juta"}, FieldProblem("budget", CampaignProblem.BAD_BUDGET, "lima juta")),
        ({"budget": "$500"}, FieldProblem("budget", CampaignProblem.BAD_BUDGET, "$500")),
        ({"budget": "5M"}, FieldProblem("budget", CampaignProblem.BAD_BUDGET, "5M")),
        ({"target.reach": "-3"}, FieldProblem("target.reach", CampaignProblem.BAD_TARGET, "-3")),
        (
            {"target.orders": "2,5"},
            FieldProblem("target.orders", CampaignProblem.BAD_TARGET, "2,5"),
        ),
        (
            {"target.revenue": "$9"},
            FieldProblem("target.revenue", CampaignProblem.BAD_TARGET, "$9"),
        ),
        ({"target.": "5"}, FieldProblem("target.", CampaignProblem.UNKNOWN_METRIC, "")),
        ({"owner": "ayu"}, FieldProblem("owner", CampaignProblem.BAD_OWNER, "ayu")),
        (
            {"owner": "<#C123|general>"},
            FieldProblem("owner", CampaignProblem.BAD_OWNER, "<#C123|general>"),
        ),
        (
            {"objective": "both"},
            FieldProblem("objective", CampaignProblem.UNKNOWN_OBJECTIVE, "both"),
        ),
    ],
)
def test_single_problems(options: dict[str, str], expected: FieldProblem) -> None:
    assert problems_of("Promo", {**VALID, **options}) == [expected]


@pytest.mark.parametrize("name", ["x" * 81, "two\nlines", "-", "--help"])
def test_bad_names(name: str) -> None:
    assert [p.problem for p in problems_of(name, VALID)] == [CampaignProblem.BAD_NAME]


def test_name_of_80_characters_is_fine() -> None:
    assert validate_campaign("x" * 80, VALID, currency="IDR").name == "x" * 80


def test_error_is_a_value_error_naming_the_fields() -> None:
    with pytest.raises(ValueError, match="objective: missing"):
        validate_campaign("A", {"start": "2026-12-01", "end": "2026-12-02"}, currency="IDR")


_TEXT = st.text(max_size=15)


@given(
    st.text(max_size=90),
    st.dictionaries(
        st.sampled_from(
            [
                "objective",
                "start",
                "end",
                "budget",
                "platforms",
                "owner",
                "x",
                "target.reach",
                "target.revenue",
            ]
        ),
        _TEXT,
    ),
)
def test_any_input_gives_a_draft_or_field_problems(name: str, options: dict[str, str]) -> None:
    try:
        draft = validate_campaign(name, options, currency="IDR")
    except CampaignInputError as error:
        problems = error.problems
    else:
        assert draft.start <= draft.end
        assert draft.budget is None or draft.budget >= 0
        return
    assert problems
    assert all(isinstance(problem.problem, CampaignProblem) for problem in problems)


@pytest.mark.parametrize(
    ("today", "closed", "expected"),
    [
        (date(2026, 11, 30), False, CampaignStatus.PLANNED),
        (date(2026, 12, 1), False, CampaignStatus.ACTIVE),
        (date(2026, 12, 31), False, CampaignStatus.ACTIVE),
        (date(2027, 1, 1), False, CampaignStatus.ENDED),
        (date(2026, 12, 15), True, CampaignStatus.CLOSED),
        (date(2026, 11, 1), True, CampaignStatus.CLOSED),
    ],
)
def test_campaign_status(today: date, closed: bool, expected: CampaignStatus) -> None:
    assert campaign_status(date(2026, 12, 1), date(2026, 12, 31), closed, today) is expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 1), 31),
        (date(2026, 12, 30), 2),
        (date(2026, 12, 31), 1),
        (date(2027, 1, 5), 0),
    ],
)
def test_days_left_counts_today(today: date, expected: int) -> None:
    assert days_left(date(2026, 12, 31), today) == expected


@dataclass(frozen=True)
class Row:
    name: str
    start: date
    end: date
    status: str


def test_sort_for_listing() -> None:
    rows = [
        Row("old", date(2026, 1, 1), date(2026, 1, 31), "ended"),
        Row("later", date(2027, 2, 1), date(2027, 2, 28), "planned"),
        Row("long", date(2026, 11, 1), date(2027, 3, 1), "active"),
        Row("stopped", date(2026, 10, 1), date(2026, 12, 31), "closed"),
        Row("soon", date(2026, 12, 1), date(2026, 12, 31), "planned"),
        Row("ending", date(2026, 11, 1), date(2026, 11, 30), "active"),
        Row("recent", date(2026, 10, 1), date(2026, 11, 20), CampaignStatus.ENDED),
    ]
    assert [row.name for row in sort_for_listing(rows)] == [
        "ending",
        "long",
        "soon",
        "later",
        "stopped",
        "recent",
        "old",
    ]
