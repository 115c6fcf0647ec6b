from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from smmbot.domain.campaigns import (
    CampaignDraft,
    CampaignInputError,
    CampaignProblem,
    FieldProblem,
)
from smmbot.domain.campaigns_edit import edit_campaign
from smmbot.domain.platforms import Platform
from smmbot.domain.templates import Pillar

CURRENT = CampaignDraft(
    name="Promo",
    objective=Pillar.SMM,
    start=date(2026, 12, 1),
    end=date(2026, 12, 31),
    budget=Decimal(5_000_000),
    platforms=(Platform.INSTAGRAM,),
    targets={"orders": Decimal(300), "reach": Decimal(9000)},
    owner_id="U07DEWI99",
)


def test_untouched_fields_keep_their_stored_values() -> None:
    edited = edit_campaign(CURRENT, {"end": "2027-01-15"}, currency="IDR")
    assert edited == CampaignDraft(**{**CURRENT.__dict__, "end": date(2027, 1, 15)})


def test_typed_fields_replace_and_empty_ones_remove() -> None:
    edited = edit_campaign(
        CURRENT,
        {"budget": "", "target.reach": "", "target.orders": "400", "platforms": "x,tiktok"},
        currency="IDR",
    )
    assert edited.budget is None
    assert edited.targets == {"orders": Decimal(400)}
    assert edited.platforms == (Platform.X, Platform.TIKTOK)
    assert edited.owner_id == "U07DEWI99"


def test_every_problem_is_named_including_the_stored_dates() -> None:
    with pytest.raises(CampaignInputError) as caught:
        edit_campaign(
            CURRENT, {"start": "2027-02-01", "target.hearts": "", "end": ""}, currency="IDR"
        )
    assert caught.value.problems == (
        FieldProblem("end", CampaignProblem.BAD_DATE, ""),
        FieldProblem("target.hearts", CampaignProblem.UNKNOWN_METRIC, "hearts"),
    )
    with pytest.raises(CampaignInputError) as caught:
        edit_campaign(CURRENT, {"start": "2027-02-01"}, currency="IDR")
    assert caught.value.problems == (
        FieldProblem("end", CampaignProblem.END_BEFORE_START, "2026-12-31"),
    )
