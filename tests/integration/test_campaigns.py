from __future__ import annotations

from decimal import Decimal

import pytest

from smmbot.persistence.models import Campaign
from smmbot.rendering.reply import Reply
from smmbot.services import campaigns
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.support.interactions import submit
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

AYU = Actor(team_id="T1", user_id="U1", channel_id="C1", locale="en", timezone="Asia/Jakarta")
SARI = Actor(team_id="T1", user_id="U2", channel_id="C1", locale="id", timezone="Asia/Makassar")
OTHER = Actor(team_id="T2", user_id="U9", channel_id="C9", locale="en", timezone="UTC")
NEW = "campaign new {name} objective=smm start=2026-12-01 end=2026-12-31"


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def saved(ctx: ServiceContext) -> list[Campaign]:
    with ctx.db.transaction() as session:
        return list(session.query(Campaign).order_by(Campaign.id))


@pytest.mark.parametrize(
    ("budget", "amount"),
    [
        ("5000000", 5_000_000),
        ("5.000.000", 5_000_000),
        ("5,000,000", 5_000_000),
        ("Rp5.000.000", 5_000_000),
        ("5jt", 5_000_000),
        ("500rb", 500_000),
    ],
)
def test_budget_in_local_forms(ctx: ServiceContext, budget: str, amount: int) -> None:
    text = reply_text(ask(ctx, NEW.format(name="Promo") + f" budget={budget}"))
    assert "Campaign *Promo* saved" in text
    assert saved(ctx)[0].budget == Decimal(amount)


def test_create_list_show_close(ctx: ServiceContext) -> None:
    ask(
        ctx,
        NEW.format(name='"Ramadan Sale"')
        + " budget=5jt target.revenue=50jt target.orders=300 owner=<@U07ABC123|dewi>",
    )
    ask(
        ctx,
        "campaign new Brand objective=smo start=2026-11-01 end=2026-11-30 platforms=instagram,x",
    )
    listing = reply_text(ask(ctx, "campaign list"))
    assert listing.index("*Brand*") < listing.index("*Ramadan Sale*")  # active before planned
    assert "7 days left" in listing  # 24 to 30 November, today counted
    shown = reply_text(ask(ctx, "campaign show ramadan sale"))
    assert "IDR5,000,000" in shown and "revenue IDR50,000,000" in shown and "orders 300" in shown
    assert "<@U07ABC123>" in shown
    assert "closed" in reply_text(ask(ctx, "campaign close Ramadan Sale"))
    assert "already closed" in reply_text(ask(ctx, "campaign close Ramadan Sale"))
    assert saved(ctx)[0].closed_at is not None


def test_indonesian_money_format(ctx: ServiceContext) -> None:
    ask(ctx, NEW.format(name="Promo") + " budget=5jt", SARI)
    assert "Rp5.000.000" in reply_text(ask(ctx, "kampanye show Promo", SARI))


def test_every_bad_field_is_named_and_nothing_is_saved(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(
            ctx,
            "campaign new X objective=sales start=2026-02-30 end=2026-01-01 budget=-5"
            " target.hearts=9",
        )
    )
    for fragment in ("objective=sales", "start=2026-02-30", "budget=-5", "no metric `hearts`"):
        assert fragment in text
    assert saved(ctx) == []


def test_end_before_start(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "campaign new X objective=smo start=2026-12-10 end=2026-12-01"))
    assert "before `start`" in text
    assert saved(ctx) == []


def test_names_are_unique_per_workspace_regardless_of_case(ctx: ServiceContext) -> None:
    ask(ctx, NEW.format(name="Promo"))
    assert "already exists" in reply_text(ask(ctx, NEW.format(name="PROMO")))
    assert "saved" in reply_text(ask(ctx, NEW.format(name="Promo"), OTHER))
    assert len(saved(ctx)) == 2


def test_no_arguments_opens_the_form_and_the_form_validates(ctx: ServiceContext) -> None:
    form = ask(ctx, "campaign new").form
    assert form is not None
    assert [field.name for field in form.fields][:4] == ["name", "objective", "start", "end"]
    bad = submit(
        ctx,
        AYU,
        campaigns.submit_campaign_form,
        form.private_metadata,
        {
            "name": "Q1",
            "objective": "smm",
            "start": "2026-13-01",
            "end": "2026-12-31",
            "budget": "",
            "platforms": "",
        },
    )
    assert set(bad.errors) == {"start"}
    good = submit(
        ctx,
        AYU,
        campaigns.submit_campaign_form,
        form.private_metadata,
        {
            "name": "Q1",
            "objective": "smm",
            "start": "2026-12-01",
            "end": "2026-12-31",
            "budget": "1,5jt",
            "platforms": "",
        },
    )
    assert good.reply is not None and "saved" in reply_text(good.reply)
    assert saved(ctx)[0].budget == Decimal(1_500_000)
