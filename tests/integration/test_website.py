"""`/smm bio`, `/smm sharebar`, share beacons and short-link clicks as readings, on SQLite and
PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal

from sqlalchemy import select

from smmbot.console.printer import format_reply
from smmbot.domain.sharebar import ShareGate
from smmbot.persistence.models import BioLink, BioPage, MetricReading, ShareBarKey, ShortLink
from smmbot.services.bio import bio_page
from smmbot.services.context import ServiceContext
from smmbot.services.link_clicks import ClickRecorder
from smmbot.services.links import follow_short_link
from smmbot.services.sharebar import ShareOutcome, ShareRequest, record_share
from tests.integration.test_links import PUBLIC_URL, ask

RAMADAN = 'campaign new "Ramadan Sale" objective=smo start=2026-11-20 end=2026-12-20'
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1"


def web(ctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(ctx, public_url=PUBLIC_URL, serves_web=True)


def readings(ctx: ServiceContext, metric: str) -> list[tuple[str, str, str, Decimal]]:
    with ctx.db.transaction() as session:
        rows = session.scalars(select(MetricReading).where(MetricReading.metric == metric))
        return sorted((r.platform, r.campaign, r.source, r.value) for r in rows)


def test_bio_links_are_added_listed_moved_and_removed(ctx: ServiceContext) -> None:
    public = web(ctx)
    ask(public, 'bio add https://toko.id/menu title="Menu"')
    ask(public, 'bio add https://toko.id/promo title="Promo"')
    reply = format_reply(ask(public, 'bio add https://toko.id/blog title="Blog"'))
    assert f"{PUBLIC_URL}/b/" in reply
    ask(public, "bio move 3 1")
    listing = format_reply(ask(public, "bio remove 2"))
    assert listing.index("Blog") < listing.index("Promo") and "Menu" not in listing
    with public.db.transaction() as session:
        links = list(session.scalars(select(BioLink).order_by(BioLink.position)))
    assert [(link.title, link.position) for link in links] == [("Blog", 1), ("Promo", 2)]
    page = bio_page(ctx=public, slug=_slug(public))
    assert page is not None and [title for title, _ in page.links] == ["Blog", "Promo"]
    assert bio_page(ctx=public, slug="nosuch23") is None


def test_bio_refuses_bad_input_and_saves_nothing(ctx: ServiceContext) -> None:
    for text, expected in (
        ('bio add javascript:alert(1) title="x"', "must start with http:// or https://"),
        ("bio add https://toko.id", "title of 1 to 100"),
        ("bio remove 1", "no links yet"),
        ("bio frobnicate", "`frobnicate` is not something `bio` does: `add`, `list`"),
        ("bio settings avatar=ftp://toko.id/a.png", "must start with http"),
    ):
        assert expected in format_reply(ask(ctx, text)), text
    with ctx.db.transaction() as session:
        assert list(session.scalars(select(BioLink))) == []


def test_sharebar_says_what_it_needs_without_a_public_url_or_http(ctx: ServiceContext) -> None:
    assert "SMMBOT_PUBLIC_URL" in format_reply(
        ask(dataclasses.replace(ctx, serves_web=True), "sharebar")
    )
    assert "HTTP mode" in format_reply(ask(ctx, "sharebar"))
    indonesian = format_reply(ask(ctx, "sharebar", team_id="T2", locale="id-ID"))
    assert "mode HTTP" in indonesian


def test_beacons_count_shares_per_network_and_day(ctx: ServiceContext) -> None:
    public = web(ctx)
    reply = ask(public, "sharebar campaign=Ramadan")
    assert reply.files and reply.files[0].content.startswith(b"\x89PNG")
    with public.db.transaction() as session:
        key = session.scalars(select(ShareBarKey.public_key)).one()
    assert key in format_reply(reply) and 'data-campaign="ramadan"' in format_reply(reply)
    gate = ShareGate()

    def send(
        network: str, *, ip: str = "10.0.0.1", agent: str = PHONE, k: str = key
    ) -> ShareOutcome:
        body = json.dumps({"k": k, "n": network, "u": "https://toko.id/a"}).encode()
        request = ShareRequest(body=body, user_agent=agent, remote_addr=ip)
        return record_share(ctx=public, gate=gate, request=request)

    assert send("whatsapp") is ShareOutcome.COUNTED
    assert send("whatsapp") is ShareOutcome.IGNORED  # the same visitor again
    assert send("whatsapp", ip="10.0.0.2") is ShareOutcome.COUNTED
    assert send("facebook") is ShareOutcome.COUNTED
    assert send("x", agent="Twitterbot/1.0") is ShareOutcome.IGNORED
    assert send("x", k="NoSuchKey1234567") is ShareOutcome.UNKNOWN_KEY
    assert readings(public, "shares") == [
        ("facebook", "", "share_bar", Decimal(1)),
        ("whatsapp", "", "share_bar", Decimal(2)),
    ]
    digest = format_reply(ask(public, "digest now"))
    assert "From your website's share bar: *3* shares (WhatsApp 2 · Facebook 1)" in digest


def test_shares_from_a_campaigns_bar_count_in_that_campaign(ctx: ServiceContext) -> None:
    public = web(ctx)
    ask(public, f"{RAMADAN} target.shares=10")
    snippet = format_reply(ask(public, 'sharebar campaign="Ramadan Sale"'))
    assert 'data-campaign="ramadan-sale"' in snippet
    with public.db.transaction() as session:
        key = session.scalars(select(ShareBarKey.public_key)).one()
    gate = ShareGate()

    def send(network: str, **extra: object) -> ShareOutcome:
        body = json.dumps({"k": key, "n": network, "u": "https://toko.id/a", **extra}).encode()
        request = ShareRequest(body=body, user_agent=PHONE, remote_addr="10.0.0.1")
        return record_share(ctx=public, gate=gate, request=request)

    assert send("whatsapp", c="ramadan-sale") is ShareOutcome.COUNTED
    assert send("facebook", c="ramadan-sale") is ShareOutcome.COUNTED
    assert send("x", c="no-such-campaign") is ShareOutcome.COUNTED
    assert send("telegram", c="") is ShareOutcome.INVALID
    assert send("telegram", c=["ramadan-sale"]) is ShareOutcome.INVALID
    assert send("telegram", c="r" * 101) is ShareOutcome.INVALID
    assert readings(public, "shares") == [
        ("facebook", "Ramadan Sale", "share_bar", Decimal(1)),
        ("whatsapp", "Ramadan Sale", "share_bar", Decimal(1)),
        ("x", "", "share_bar", Decimal(1)),
    ]
    digest = format_reply(ask(public, "digest now"))
    assert "Ramadan Sale · Shares: 2 of 10" in digest
    assert "From your website's share bar: *3* shares" in digest


def test_short_link_clicks_become_link_clicks_readings(ctx: ServiceContext) -> None:
    public = web(ctx)
    ask(public, 'bio add https://toko.id/menu title="Menu"')
    page = bio_page(ctx=public, slug=_slug(public))
    assert page is not None
    code = page.links[0][1].removeprefix("/r/")
    recorder = ClickRecorder(public)
    try:
        for _ in range(3):
            follow_short_link(ctx=public, clicks=recorder, code=code, count_click=True)
    finally:
        recorder.close()
    # The bio links' campaign slug `link-in-bio` is no campaign of the workspace.
    assert readings(public, "link_clicks") == [("bio", "", "short_link", Decimal(3))]
    assert "Link clicks: *3*" in format_reply(ask(public, "digest now"))


def test_short_link_clicks_count_towards_their_campaigns_target(ctx: ServiceContext) -> None:
    public = web(ctx)
    ask(public, f"{RAMADAN} target.link_clicks=10")
    ask(public, 'link https://toko.id/promo campaign="Ramadan Sale" source=instagram')
    with public.db.transaction() as session:
        link = session.scalars(select(ShortLink).where(ShortLink.source == "instagram")).one()
    assert link.campaign == "ramadan-sale"  # the slug the link is tagged with, not the name
    recorder = ClickRecorder(public)
    try:
        for _ in range(3):
            follow_short_link(ctx=public, clicks=recorder, code=link.code, count_click=True)
    finally:
        recorder.close()
    assert readings(public, "link_clicks") == [
        ("instagram", "Ramadan Sale", "short_link", Decimal(3))
    ]
    assert "Ramadan Sale · Link clicks: 3 of 10" in format_reply(ask(public, "digest now"))


def _slug(ctx: ServiceContext) -> str:
    with ctx.db.transaction() as session:
        return session.scalars(select(BioPage.slug)).one()


def test_instagram_and_tiktok_drafts_point_to_the_bio_page_once_there_is_one(
    ctx: ServiceContext,
) -> None:
    draft = 'draft blog-share title="Kopi" url=https://toko.id/blog platform=instagram,x'
    tagged = "https://toko.id/blog?utm_source=instagram&utm_medium=social&utm_campaign=blog-share"
    before = format_reply(ask(ctx, draft))
    caption, note = before.split("*X*")[0].split("*Instagram*")[1].split("captions can't")
    assert caption.lower().count("link in bio") == 1 and "https://" not in caption
    assert f"Put {tagged} in your Instagram profile" in note  # no page yet: the profile
    ask(ctx, 'bio add https://toko.id/menu title="Menu"')
    after = format_reply(ask(ctx, draft))
    instagram, x = after.split("*X*")
    assert instagram.lower().count("link in bio") == 2  # the template's line, and the note
    assert "🔗 Link in bio" not in instagram
    caption = instagram.split("*Instagram*")[1].split("captions can't")[0]
    assert "https://" not in caption and "\n\n\n" not in instagram
    assert f"Put the link on your bio page: `bio add {tagged}" in instagram
    assert "https://toko.id/blog?utm_source=x" in x and "link in bio" not in x.lower()


def test_bio_line_is_added_once_in_indonesian_too(ctx: ServiceContext) -> None:
    ask(ctx, 'bio add https://toko.id/menu title="Menu"')
    draft = 'draft blog-share title="Kopi" url=https://toko.id/blog platform=instagram lang=id'
    answer = format_reply(ask(ctx, draft, locale="id-ID")).split("*Instagram*")[1]
    caption, note = re.split(r"Instagram captions can't|Caption Instagram tidak bisa", answer)
    assert caption.lower().count("link di bio") == 1 and "https://" not in caption
    assert "bio add https://toko.id/blog?utm_source=instagram" in note
