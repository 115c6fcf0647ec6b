"""`/smm competitor add|list|remove` and `log … competitor=`, as a member types them, in both
languages; a competitor's readings never reach the workspace's own metric readings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from smmbot.console.printer import format_reply
from smmbot.persistence.competitors_repository import CompetitorRepository
from smmbot.persistence.models import Competitor, CompetitorReading, MetricReading
from smmbot.services.commands import answer_slash_command
from smmbot.services.context import ServiceContext
from smmbot.services.identity import MemberProfile

KENANGAN = 'competitor add "Kopi Kenangan" instagram=@KopiKenangan.id'


def said(ctx: ServiceContext, text: str, locale: str = "en-US") -> str:
    """An English member U1 and an Indonesian member U2 of one workspace."""
    reply = answer_slash_command(
        ctx=ctx,
        team_id="T1",
        user_id="U2" if locale.startswith("id") else "U1",
        channel_id="C1",
        text=text,
        lookup_profile=lambda _user: MemberProfile("Asia/Jakarta", locale),
    )
    return format_reply(reply)


def test_add_list_and_remove_in_both_languages(ctx: ServiceContext) -> None:
    assert "Now watching *Kopi Kenangan* (@kopikenangan.id)" in said(ctx, KENANGAN)
    reply = said(ctx, "pesaing tambah Janji ig=@janjijiwa", locale="id-ID")
    assert "Sekarang kami memantau *Janji* (@janjijiwa)" in reply
    listing = said(ctx, "competitor list")
    assert "*Janji* (@janjijiwa): no data yet" in listing
    assert "*Kopi Kenangan* (@kopikenangan.id): no data yet" in listing
    assert "competitor=" in listing and "connect meta" in listing
    assert "belum ada data" in said(ctx, "pesaing daftar", locale="id-ID")
    assert "Stopped watching *Kopi Kenangan*" in said(ctx, 'competitor remove "kopi kenangan"')
    assert "berhenti memantau *Janji*" in said(ctx, "pesaing hapus janji", locale="id-ID")
    assert "not watching any competitor yet" in said(ctx, "competitor")


def test_bad_input_is_refused_and_nothing_is_saved(ctx: ServiceContext) -> None:
    said(ctx, KENANGAN)
    for text, expected in (
        ("competitor add Fore", "Which account is *Fore*?"),
        ("competitor add Fore instagram=@fore!coffee", "is not an Instagram username"),
        ("competitor add Fore instagram=@" + "a" * 31, "is not an Instagram username"),
        ("competitor add Fore facebook=https://facebook.com/a/b", "is not a Facebook Page"),
        ("competitor add KOPI  kenangan instagram=@other", "already watch a competitor called"),
        ("competitor add Other instagram=@kopikenangan.id", "already watch @kopikenangan.id"),
        ("competitor add " + "x" * 41 + " instagram=@x", "name of 1 to 40"),
        ("competitor remove Fore", "no competitor *Fore*. You watch: Kopi Kenangan"),
        ("competitor list extra", "takes nothing more"),
        ("competitor frobnicate", "`frobnicate` is not something `competitor` does"),
        ("competitor add Fore handle=@fore", "`handle=` is not an option of `competitor add`"),
    ):
        assert expected in said(ctx, text), text
    for text, expected in (
        ("pesaing tambah Fore", "Akun mana milik *Fore*?"),
        ("pesaing tambah Fore ig=fore!", "bukan nama pengguna Instagram"),
        ("pesaing hapus Fore", "Tidak ada pesaing *Fore*"),
    ):
        assert expected in said(ctx, text, locale="id-ID"), text
    with ctx.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Competitor)) == 1


def test_a_workspace_watches_at_most_ten(ctx: ServiceContext) -> None:
    for n in range(10):
        said(ctx, f"competitor add c{n} instagram=@c{n}")
    assert "already watch 10 competitors" in said(ctx, "competitor add c10 instagram=@c10")


def test_logged_readings_stay_out_of_our_totals(ctx: ServiceContext) -> None:
    said(ctx, KENANGAN)
    said(ctx, "log followers 1200")
    today = ctx.clock().date()
    old = (today - timedelta(weeks=4)).isoformat()
    assert "Saved for *Kopi Kenangan*: followers 5,000" in said(
        ctx, f'log followers 5000 competitor="Kopi Kenangan" date={old}'
    )
    said(ctx, 'log followers 5200 competitor="kopi kenangan"')
    said(ctx, 'log posts 3 competitor="Kopi Kenangan"')
    reply = said(ctx, 'catat interaksi 450 pesaing="Kopi Kenangan"', locale="id-ID")
    assert "Tersimpan untuk *Kopi Kenangan*: interaksi 450" in reply
    listing = said(ctx, "competitor list")
    assert "5,200 followers, +200 (+4%) in 4 weeks" in listing
    assert "0.8 posts a week · 150 engagements per post" in listing
    with ctx.db.transaction() as session:
        ours = session.scalars(select(MetricReading.value)).all()
        theirs = session.scalar(select(func.count()).select_from(CompetitorReading))
    assert ours == [Decimal(1200)] and theirs == 4
    for text, expected in (
        ('log likes 3 competitor="Kopi Kenangan"', "`followers`, `posts` or `engagements`"),
        ("log posts 3 competitor=Fore", "no competitor *Fore*"),
        ('log posts 3 competitor="Kopi Kenangan" platform=instagram', "for your own numbers"),
        ('log posts -3 competitor="Kopi Kenangan"', "negative"),
    ):
        assert expected in said(ctx, text), text
    with ctx.db.transaction() as session:
        repository = CompetitorRepository(session, "T1")
        assert len(repository.list_readings([c.id for c in repository.list_all()], today)) == 3


def test_the_digest_shows_competitors_next_to_us_only_with_data(ctx: ServiceContext) -> None:
    said(ctx, KENANGAN)
    said(ctx, "log followers 1200 date=2026-11-17")
    said(ctx, "log followers 1230")
    assert "Competitors" not in said(ctx, "digest now")
    said(ctx, 'log followers 5000 competitor="Kopi Kenangan" date=2026-11-17')
    said(ctx, 'log followers 5100 competitor="Kopi Kenangan"')
    said(ctx, 'log posts 8 competitor="Kopi Kenangan" date=2026-11-10')
    said(ctx, 'log engagements 400 competitor="Kopi Kenangan" date=2026-11-10')
    english = said(ctx, "digest now")
    assert "*Competitors*\n*You*: 1,230 followers, +30 this week" in english
    assert "*Kopi Kenangan*: 5,100 followers, +100 this week · 2 posts a week" in english
    assert "· 50 engagements per post" in english
    indonesian = said(ctx, "ringkasan sekarang", locale="id-ID")
    assert "*Pesaing*\n*Kamu*: 1.230 pengikut, +30 minggu ini" in indonesian
    assert "*Kopi Kenangan*: 5.100 pengikut, +100 minggu ini · 2 unggahan per minggu" in indonesian
    assert "· 50 interaksi per unggahan" in indonesian
