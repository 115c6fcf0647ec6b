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
    assert "Rp0 of Rp5,000,000 spent on ads" in shown
    assert "Revenue: Rp0 of Rp50,000,000" in shown and "Orders: 0 of 300" in shown
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


def test_a_campaign_whose_period_is_over_is_saved_as_ended(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(ctx, "campaign new Oktober objective=smm start=2026-10-01 end=2026-10-31 budget=2jt")
    )
    assert "Campaign *Oktober* saved" in text and "saved as *ended*" in text
    assert 'log &lt;metric&gt; &lt;value&gt; date=YYYY-MM-DD campaign="Oktober"' in text
    assert "· ended" in reply_text(ask(ctx, "campaign list"))
    assert "(ended)" in reply_text(ask(ctx, "campaign show Oktober"))
    indonesian = reply_text(
        ask(ctx, "kampanye new Lebaran objective=smo start=2026-03-01 end=2026-03-31", SARI)
    )
    assert "sebagai kampanye yang *selesai*" in indonesian and "kampanye ubah" in indonesian


def test_show_counts_progress_and_ad_spend_within_the_period(ctx: ServiceContext) -> None:
    ask(
        ctx,
        "campaign new Oktober objective=smm start=2026-10-01 end=2026-10-31 budget=2jt"
        " target.orders=10 target.followers=2000",
    )
    for line in (
        "log orders 4 date=2026-10-15 campaign=Oktober",
        "log ad_spend 500rb date=2026-10-10 campaign=Oktober",
        "log orders 90 date=2026-11-02 campaign=Oktober",  # after its end: not counted
        "log orders 7 date=2026-10-20",  # not tagged with the campaign
        "log followers 1500 date=2026-10-30",
    ):
        ask(ctx, line)
    shown = reply_text(ask(ctx, "campaign show Oktober"))
    assert "Orders: 4 of 10" in shown and "40%" in shown
    assert "Followers: 1,500 of 2,000" in shown and "75%" in shown
    assert "Rp500,000 of Rp2,000,000 spent on ads" in shown and "25%" in shown
    indonesian = reply_text(ask(ctx, "kampanye show Oktober", SARI))
    assert "Pesanan: 4 dari 10" in indonesian and "Pengikut: 1.500 dari 2.000" in indonesian
    assert "Rp500.000 dari Rp2.000.000 sudah terpakai untuk iklan" in indonesian


def test_edit_changes_fields_with_the_validation_of_new(ctx: ServiceContext) -> None:
    ask(ctx, NEW.format(name="Promo") + " budget=5jt target.orders=300 target.reach=9000")
    text = reply_text(
        ask(
            ctx,
            "campaign edit Promo end=2027-01-15 budget=7,5jt target.orders=400 owner=<@U07DEWI99>",
        )
    )
    assert "Campaign *Promo* updated (end, budget, target.orders, owner)" in text
    assert "15 Jan 2027" in text and "Orders: 0 of 400" in text and "<@U07DEWI99>" in text
    campaign = saved(ctx)[0]
    assert campaign.budget == Decimal(7_500_000) and campaign.owner_id == "U07DEWI99"
    assert campaign.targets == {"orders": "400", "reach": "9000"}

    refused = reply_text(ask(ctx, "campaign edit Promo start=2027-02-01 budget=lots"))
    assert "Campaign not changed" in refused and "`end=2027-01-15` is before `start`" in refused
    assert "budget=lots" in refused
    assert saved(ctx)[0].start_date.isoformat() == "2026-12-01"

    cleared = reply_text(ask(ctx, "campaign edit Promo budget= target.reach= owner="))
    assert "*Budget:* none set" in cleared and "Reach" not in cleared
    campaign = saved(ctx)[0]
    assert (campaign.budget, campaign.owner_id, campaign.targets) == (None, None, {"orders": "400"})


def test_edit_refusals_in_both_languages(ctx: ServiceContext) -> None:
    ask(ctx, NEW.format(name="Promo"))
    assert "Say what to change" in reply_text(ask(ctx, "campaign edit Promo"))
    assert "no campaign *Nope*" in reply_text(ask(ctx, "campaign edit Nope end=2026-12-30"))
    unknown = reply_text(ask(ctx, "campaign edit Promo colour=red"))
    assert "`colour=` is not an option of `campaign edit`" in unknown
    assert "no metric `hearts`" in reply_text(ask(ctx, "campaign edit Promo target.hearts="))
    text = reply_text(ask(ctx, "kampanye ubah Promo end=2026-11-30", SARI))
    assert "Kampanye belum diubah" in text and "lebih awal dari `mulai`" in text
    assert "sudah kami perbarui" in reply_text(ask(ctx, "kampanye ubah Promo end=2027-01-31", SARI))
    assert saved(ctx)[0].end_date.isoformat() == "2027-01-31"
    assert reply_text(ask(ctx, "campaign edit Promo end=2026-12-30", OTHER)).count("no campaign")


def test_indonesian_dates_budget_with_a_space_and_targets(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(
            ctx,
            "kampanye new Promo objective=smm start=01/12/2026 end=31-12-2026 "
            'budget="Rp 2.500.000" target.pendapatan="Rp 2,5 jt" target.pesanan=300',
            SARI,
        )
    )
    assert "Kampanye *Promo* tersimpan" in text and "anggaran Rp2.500.000" in text
    [campaign] = saved(ctx)
    assert (str(campaign.start_date), str(campaign.end_date)) == ("2026-12-01", "2026-12-31")
    assert campaign.budget == Decimal(2_500_000)
    shown = reply_text(ask(ctx, "campaign show Promo"))
    assert "Rp2,500,000" in shown and "Orders: 0 of 300" in shown  # stored under the metric's id


def test_month_first_dates_and_near_miss_targets_are_refused_with_help(
    ctx: ServiceContext,
) -> None:
    text = reply_text(
        ask(
            ctx,
            "kampanye new Promo objective=smm start=12/01/2026 end=12/31/2026 target.omzet=5jt",
            SARI,
        )
    )
    assert "`end=12/31/2026` bukan tanggal yang valid." in text
    assert "Kalau maksudnya 31 Desember 2026, tulis `31/12/2026` atau `2026-12-31`." in text
    assert "Maksudmu `target.pendapatan`?" in text
    assert saved(ctx) == []
