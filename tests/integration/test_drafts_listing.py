"""`/smm drafts`, `draft delete` and scheduling every version of a draft, through the services."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smmbot.domain.drafts_listing import DraftScope
from smmbot.domain.payloads import TamperedPayloadError
from smmbot.persistence.models import CalendarItem, Draft
from smmbot.rendering import limits
from smmbot.rendering.drafts_listing import PAGE_SIZE
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Actions, Reply
from smmbot.services import drafts_listing
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.support.interactions import click
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

AYU = Actor(
    team_id="T1", user_id="U0AYU0001", channel_id="C1", locale="en", timezone="Asia/Jakarta"
)
SARI = Actor(
    team_id="T1", user_id="U0SARI001", channel_id="C1", locale="id", timezone="Asia/Makassar"
)
PROMO = "draft promo product=Kopi offer=2for1 url=https://toko.id/p platform=x,instagram,facebook"


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def items(ctx: ServiceContext) -> list[CalendarItem]:
    with ctx.db.transaction() as session:
        return list(session.query(CalendarItem).order_by(CalendarItem.id))


def draft_ids(ctx: ServiceContext) -> list[int]:
    with ctx.db.transaction() as session:
        return [draft.id for draft in session.query(Draft).order_by(Draft.id)]


def test_drafts_lists_everyone_s_or_mine_with_status_and_buttons(ctx: ServiceContext) -> None:
    ask(ctx, PROMO)
    ask(ctx, 'draft blog-share title="Brew better" url=https://kopi.id/b', SARI)
    ask(ctx, "schedule tomorrow 10:00 draft=1")
    reply = ask(ctx, "drafts")
    text = reply_text(reply)
    assert text.index("*#2*") < text.index("*#1*")  # newest first
    assert "`promo` · <@U0AYU0001> · 24 Nov 2026 · scheduled (3 posts)" in text
    assert "`blog-share` · <@U0SARI001>" in text and "not scheduled" in text
    assert "X, Instagram, Facebook" in text and "“" in text
    assert "draft_schedule" in text and "draft_edit" in text and "draft_delete" in text
    mine = reply_text(ask(ctx, "drafts mine"))
    assert "Your drafts" in mine and "*#1*" in mine and "*#2*" not in mine
    indonesian = reply_text(ask(ctx, "daftar-draf saya", SARI))
    assert "Drafmu" in indonesian and "*#2*" in indonesian and "belum dijadwalkan" in indonesian
    assert "terjadwal (3 postingan)" in reply_text(ask(ctx, "daftar-draf semua", SARI))
    assert "Hapus" in reply_text(ask(ctx, "daftar-draf", SARI))


def test_empty_and_bad_requests(ctx: ServiceContext) -> None:
    assert "No drafts yet" in reply_text(ask(ctx, "drafts"))
    ask(ctx, PROMO, SARI)
    assert "You have no drafts yet" in reply_text(ask(ctx, "drafts mine"))
    assert "`later` is not something `drafts` does: `mine`, `all`, `review`" in reply_text(
        ask(ctx, "drafts later")
    )
    assert "`page=zwei`" in reply_text(ask(ctx, "drafts page=zwei"))
    assert "`colour=` is not an option of `drafts`" in reply_text(ask(ctx, "drafts colour=red"))
    assert "There is no page 4" in reply_text(ask(ctx, "drafts all page=4"))
    assert "Pilih salah satu: `saya`, `semua`" in reply_text(ask(ctx, "daftar-draf punyamu", SARI))


def test_many_drafts_page_within_one_message(ctx: ServiceContext) -> None:
    for n in range(PAGE_SIZE + 4):
        ask(ctx, f"draft promo product=Kopi{n} offer=hemat url=https://toko.id/{n} platform=x")
    first = ask(ctx, "drafts")
    assert limits.violations(first) == []
    text = reply_text(first)
    assert f"1\u2013{PAGE_SIZE} of {PAGE_SIZE + 4}" in text and "drafts all page=2" in text
    [paging] = [b for b in first.blocks if isinstance(b, Actions) and len(b.buttons) == 1]
    assert (paging.buttons[0].action_id, paging.buttons[0].value) == ("drafts_page", "all:2")
    second = click(ctx, AYU, drafts_listing.next_page, drafts_listing.read_page_value("all:2"))
    assert limits.violations(second) == []
    assert f"{PAGE_SIZE + 1}\u2013{PAGE_SIZE + 4} of" in reply_text(second)
    assert "*#1*" in reply_text(second) and "Previous page" in reply_text(second)
    assert reply_text(second) == reply_text(ask(ctx, "drafts page=2"))


def test_a_page_value_our_list_did_not_write_never_reaches_the_service() -> None:
    assert drafts_listing.read_page_value("mine:3") == (DraftScope.MINE, 3)
    assert drafts_listing.read_page_value("all:0") == (DraftScope.ALL, 1)
    for tampered in ("everyone:2", "all:two", "all"):
        with pytest.raises(TamperedPayloadError):
            drafts_listing.read_page_value(tampered)


def test_draft_delete_by_its_author_or_an_admin_only(ctx: ServiceContext) -> None:
    ask(ctx, PROMO)
    refused = reply_text(ask(ctx, "draf hapus 1", SARI))
    assert "hanya bisa dihapus oleh pembuatnya (<@U0AYU0001>) atau admin" in refused
    assert draft_ids(ctx) == [1]
    admin = replace(SARI, is_admin=True)
    assert "Draf #1 (`promo`, 3 versi: X, Instagram, Facebook) sudah kami hapus" in reply_text(
        ask(ctx, "draf hapus 1", admin)
    )
    assert draft_ids(ctx) == []
    ask(ctx, PROMO)
    [again] = draft_ids(ctx)
    text = reply_text(ask(ctx, f"draft delete #{again}"))
    assert f"Deleted draft #{again} (`promo`, 3 versions: X, Instagram, Facebook)" in text
    assert "doesn't exist" in reply_text(ask(ctx, f"draft delete {again}"))
    assert "doesn't exist" in reply_text(ask(ctx, "draft delete two"))


def test_deleting_a_scheduled_draft_keeps_and_names_its_posts(ctx: ServiceContext) -> None:
    ask(ctx, PROMO)
    ask(ctx, '"schedule" "2026-11-26 10:00" draft=1 platform=x,instagram')
    question = click(ctx, AYU, drafts_listing.ask_to_delete, 1)
    text = reply_text(question)
    assert "Delete draft #1 (`promo`, 3 versions" in text and "can't be undone" in text
    assert "2 posts scheduled from it stay on the calendar" in text
    assert "#1 X, Thursday 26 November" in text and "#2 Instagram" in text
    assert "draft_delete_confirmed" in text and draft_ids(ctx) == [1]
    done = reply_text(click(ctx, AYU, drafts_listing.delete_clicked, 1))
    assert "Deleted draft #1" in done and "Cancel them from `/smm calendar`" in done
    assert [(item.status, item.draft_id) for item in items(ctx)] == [("scheduled", None)] * 2
    with pytest.raises(Refusal, match="doesn't exist"):
        click(ctx, AYU, drafts_listing.ask_to_delete, 1)


def test_schedule_a_draft_puts_every_version_on_the_calendar(ctx: ServiceContext) -> None:
    ask(ctx, PROMO)
    text = reply_text(ask(ctx, "schedule tomorrow 10:00 draft=1"))
    assert "Scheduled 3 posts from draft #1" in text and "(X, Instagram, Facebook)" in text
    assert text.count("item_cancel") == 3
    saved = items(ctx)
    assert [item.platform for item in saved] == ["x", "instagram", "facebook"]
    x, instagram, facebook = saved
    assert all(f"utm_source={item.platform}" in item.text for item in (x, facebook))
    assert "link in bio" in instagram.text.lower() and "utm_source" not in instagram.text
    assert len({item.due_at for item in saved}) == 1
    one = reply_text(ask(ctx, "schedule tomorrow 11:00 draft=1 platform=facebook"))
    assert "Scheduled #4" in one and "on Facebook" in one
    indonesian = reply_text(ask(ctx, "jadwal besok 12:00 draft=1 platform=x,instagram", SARI))
    assert "2 postingan dari draf #1 sudah kami jadwalkan" in indonesian
    assert len(items(ctx)) == 6


def test_schedule_refuses_a_version_the_draft_lacks_and_saves_nothing(ctx: ServiceContext) -> None:
    ask(ctx, PROMO)
    text = reply_text(ask(ctx, "schedule tomorrow 10:00 draft=1 platform=x,tiktok"))
    assert "Draft #1 has no version for TikTok" in text
    assert "`platform=x,instagram,facebook`" in text
    typed = reply_text(ask(ctx, "schedule tomorrow 10:00 Hello draft=1"))
    assert "fits one version only, and draft #1 would schedule 3" in typed
    assert "tidak punya versi untuk TikTok" in reply_text(
        ask(ctx, "jadwal besok 10:00 draft=1 platform=tiktok", SARI)
    )
    assert items(ctx) == []
    own = reply_text(ask(ctx, "schedule tomorrow 10:00 Hello draft=1 platform=x"))
    assert "Scheduled #1" in own and items(ctx)[0].text == "Hello"


def test_draft_keeps_refusing_unquoted_words_and_the_delete_name(ctx: ServiceContext) -> None:
    assert "what to do with `susu`" in reply_text(ask(ctx, "draft promo susu product=Kopi"))
    refused = reply_text(ask(ctx, 'template add delete body="{{ product }}" pillar=smo'))
    assert "`delete` is a word of the draft command" in refused
