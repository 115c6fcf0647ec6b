"""`/smm link` and short-link redirects on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from smmbot.console.printer import format_reply
from smmbot.persistence.links_repository import CODE_ALPHABET, CODE_LENGTH
from smmbot.persistence.models import LinkClick, ShortLink
from smmbot.rendering.mrkdwn import unescape_mrkdwn
from smmbot.rendering.reply import Context, Header, Reply, Section
from smmbot.services.commands import answer_slash_command, run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.identity import MemberProfile
from smmbot.services.link_clicks import ClickRecorder
from smmbot.services.links import follow_short_link

PUBLIC_URL = "https://go.toko.id"
NETWORKS = ["facebook", "x", "linkedin", "whatsapp", "telegram"]
LABELS = ["Facebook", "X", "LinkedIn", "WhatsApp", "Telegram"]
SLACK_LINK = re.compile(r"<([^|<>]*)(?:\|([^<>]*))?>")
MENU = "https://toko.id/menu?x=1#top"
RAMADAN = f'link {MENU} campaign="Ramadan Sale"'


def ask(ctx: ServiceContext, text: str, *, team_id: str = "T1", locale: str = "en-US") -> Reply:
    return answer_slash_command(
        ctx=ctx,
        team_id=team_id,
        user_id="U1",
        channel_id="C1",
        text=text,
        lookup_profile=lambda _user: MemberProfile("Asia/Jakarta", locale),
    )


def texts(reply: Reply) -> list[str]:
    found: list[str] = []
    for block in reply.blocks:
        if isinstance(block, Section):
            found += [block.mrkdwn, *block.fields]
        elif isinstance(block, Context | Header):
            found.append(block.mrkdwn if isinstance(block, Context) else block.plain)
    return found


def links(text: str) -> list[tuple[str, str]]:
    """(url, label) of every Slack link, with Slack's entities decoded as Slack does."""
    return [(unescape_mrkdwn(url), label) for url, label in SLACK_LINK.findall(text)]


def kit(reply: Reply) -> tuple[str | None, str, list[tuple[str, str]]]:
    """The short link (if any), the UTM link and the (label, shared URL) of each button."""
    sections = [block for block in reply.blocks if isinstance(block, Section)]
    *tops, buttons = sections
    top_links = [links(section.mrkdwn)[0][0] for section in tops]
    short = top_links[0] if len(top_links) == 2 else None
    shared = []
    for field in buttons.fields:
        [(url, label)] = links(field)
        query = parse_qs(urlsplit(url).query)
        shared.append((label, (query.get("u") or query.get("url") or query["text"])[0]))
    return short, top_links[-1], shared


def utm(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def rows(ctx: ServiceContext) -> list[ShortLink]:
    with ctx.db.transaction() as session:
        return list(session.scalars(select(ShortLink).order_by(ShortLink.source)))


@pytest.fixture
def public(ctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(ctx, public_url=PUBLIC_URL)


def test_a_given_source_tags_the_kit_link_and_each_button_keeps_its_network(
    ctx: ServiceContext,
) -> None:
    reply = ask(ctx, f"{RAMADAN} source=Instagram")
    short, utm_link, buttons = kit(reply)
    assert short is None
    assert utm_link == (
        "https://toko.id/menu?x=1&utm_source=instagram&utm_medium=social"
        "&utm_campaign=ramadan-sale#top"
    )
    assert [label for label, _ in buttons] == LABELS
    assert [utm(url)["utm_source"] for _, url in buttons] == NETWORKS
    assert "utm_source `instagram`" in texts(reply)[-1]
    assert rows(ctx) == []  # no public URL: nothing to shorten, nothing stored
    assert not reply.public


def test_source_whatsapp_tags_only_the_whatsapp_share_link(ctx: ServiceContext) -> None:
    _, utm_link, buttons = kit(ask(ctx, f"{RAMADAN} source=whatsapp"))
    assert utm(utm_link)["utm_source"] == "whatsapp"
    sources = {label: utm(url)["utm_source"] for label, url in buttons}
    assert sources == {
        "Facebook": "facebook",
        "X": "x",
        "LinkedIn": "linkedin",
        "WhatsApp": "whatsapp",
        "Telegram": "telegram",
    }
    assert dict(buttons)["WhatsApp"] == utm_link


def test_without_a_source_each_button_carries_its_own_network(ctx: ServiceContext) -> None:
    _, utm_link, buttons = kit(ask(ctx, RAMADAN))
    assert utm(utm_link) == {
        "x": "1",
        "utm_source": "share",
        "utm_medium": "social",
        "utm_campaign": "ramadan-sale",
    }
    assert [label for label, _ in buttons] == LABELS
    assert [utm(url)["utm_source"] for _, url in buttons] == NETWORKS
    assert all(url.endswith("#top") for _, url in buttons)


def test_share_buttons_encode_every_value(ctx: ServiceContext) -> None:
    reply = ask(ctx, f"{RAMADAN} source=instagram")
    fields = next(block for block in reply.blocks if isinstance(block, Section) and block.fields)
    [(facebook, _)] = links(fields.fields[0])
    [(whatsapp, _)] = links(fields.fields[3])

    def encoded(source: str) -> str:
        return (
            f"https%3A%2F%2Ftoko.id%2Fmenu%3Fx%3D1%26utm_source%3D{source}"
            "%26utm_medium%3Dsocial%26utm_campaign%3Dramadan-sale%23top"
        )

    assert facebook == f"https://www.facebook.com/sharer/sharer.php?u={encoded('facebook')}"
    assert whatsapp == f"https://wa.me/?text={encoded('whatsapp')}"


def test_public_url_adds_tracked_short_links(public: ServiceContext) -> None:
    reply = ask(public, RAMADAN)
    short, utm_link, buttons = kit(reply)
    stored = {link.source: link for link in rows(public)}
    assert sorted(stored) == sorted(["share", *NETWORKS])
    assert short == f"{PUBLIC_URL}/r/{stored['share'].code}"
    assert [url for _, url in buttons] == [f"{PUBLIC_URL}/r/{stored[n].code}" for n in NETWORKS]
    for source, link in stored.items():
        assert len(link.code) == CODE_LENGTH and set(link.code) <= set(CODE_ALPHABET)
        assert (link.team_id, link.created_by, link.campaign, link.medium) == (
            "T1",
            "U1",
            "ramadan-sale",
            "social",
        )
        assert utm(link.target_url)["utm_source"] == source
    assert stored["share"].target_url == utm_link
    assert "counted" in texts(reply)[-1]


def test_asking_again_reuses_the_codes(public: ServiceContext) -> None:
    first = kit(ask(public, f"{RAMADAN} source=instagram"))
    again = kit(ask(public, f"{RAMADAN} source=INSTAGRAM"))
    assert again == first
    assert len(rows(public)) == 1 + len(NETWORKS)  # the kit's link and one per button
    other = kit(ask(public, f"{RAMADAN} source=instagram medium=paid"))
    assert other[0] != first[0]
    assert len(rows(public)) == 2 * (1 + len(NETWORKS))


def test_workspaces_never_share_codes(public: ServiceContext) -> None:
    mine = kit(ask(public, f"{RAMADAN} source=instagram", team_id="TA"))
    theirs = kit(ask(public, f"{RAMADAN} source=instagram", team_id="TB"))
    assert mine[0] != theirs[0]
    assert {link.team_id for link in rows(public)} == {"TA", "TB"}


def test_following_a_short_link_redirects_and_counts_clicks_off_the_request_path(
    public: ServiceContext,
) -> None:
    short, utm_link, _ = kit(ask(public, f"{RAMADAN} source=instagram"))
    assert short is not None
    code = short.rsplit("/", 1)[1]
    recorder = ClickRecorder(public)
    try:
        for count_click in (True, True, False, True):
            target = follow_short_link(
                ctx=public, clicks=recorder, code=code, count_click=count_click
            )
            assert target == utm_link
    finally:
        recorder.close()
    with public.db.transaction() as session:
        clicks = list(session.scalars(select(LinkClick)))
    assert [(c.code, c.team_id, c.campaign, c.source) for c in clicks] == [
        (code, "T1", "ramadan-sale", "instagram")
    ] * 3
    assert all(click.clicked_at == public.clock() for click in clicks)
    assert "3 so far" in texts(ask(public, f"{RAMADAN} source=instagram"))[-1]


@pytest.mark.parametrize("code", ["nope", "", "0OlI1oi", "a" * 40, "abc\x00def", "ab/cd"])
def test_unknown_codes_go_nowhere(public: ServiceContext, code: str) -> None:
    ask(public, RAMADAN)
    recorder = ClickRecorder(public)
    try:
        assert follow_short_link(ctx=public, clicks=recorder, code=code, count_click=True) is None
    finally:
        recorder.close()
    with public.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(LinkClick)) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("link", "Which page"),
        ("link campaign=spring", "Which page"),
        ("link toko.id menu", "what to do with `menu`"),
        ("link toko", "must start with http:// or https://"),
        ("link ftp://toko.id/menu", "must start with http:// or https://"),
        ("link javascript:alert(1)", "must start with http:// or https://"),
        ("link https:///menu", "name a site"),
        (
            "link https://toko.id utm_campaign=x",
            "`utm_campaign=` is not an option of `link` (its options: `campaign=`, `source=`,"
            " `medium=`)",
        ),
        ("link https://toko.id spring sale", "what to do with `spring sale`"),
        ("link https://toko.id campaign=", "`campaign=` has no value"),
        ("link https://toko.id source=" + "s" * 65, "`source=` is too long: at most 64"),
        ("link https://toko.id/" + "a" * 1800, "too long to share reliably"),
    ],
)
def test_bad_input_names_the_problem_shows_usage_and_saves_nothing(
    public: ServiceContext, text: str, expected: str
) -> None:
    reply = ask(public, text)
    joined = "\n".join(texts(reply))
    assert expected in joined
    assert "/smm link &lt;url&gt; [campaign=…] [source=…] [medium=…]" in joined
    assert rows(public) == []


def test_mrkdwn_injection_is_neutralised(public: ServiceContext) -> None:
    reply = ask(public, 'link "https://toko.id/<!channel>|x&y" campaign="<!channel>" source=<@U1>')
    for text in texts(reply):
        assert "<!" not in text and "<@" not in text
        # Every remaining "<" opens one of our links, and each link has one URL and one label.
        assert text.count("<") == len(SLACK_LINK.findall(text))
    _, utm_link, _ = kit(reply)
    assert utm_link.startswith("https://toko.id/%3C!channel%3E%7Cx&y?utm_source=u1")
    assert utm(utm_link)["utm_campaign"] == "channel"


def test_links_pasted_from_slack_are_unwrapped(ctx: ServiceContext) -> None:
    _, utm_link, _ = kit(ask(ctx, "link <https://toko.id/?a=1&amp;b=2|toko.id> source=ig"))
    assert utm_link == "https://toko.id/?a=1&b=2&utm_source=ig&utm_medium=social&utm_campaign=share"


def test_indonesian_alias_answers_in_indonesian(ctx: ServiceContext) -> None:
    reply = ask(ctx, "tautan https://toko.id/menu campaign=lebaran", locale="id-ID")
    assert texts(reply)[0] == "Tautan bagikan"
    assert "tiap tombol bagikan" in texts(reply)[-1]


def test_console_shows_readable_links(public: ServiceContext) -> None:
    actor = Actor(team_id="T1", user_id="U1", channel_id=None, locale="en", timezone="UTC")
    ask(public, "help")  # creates the workspace row the links belong to
    text = format_reply(
        run_command(ctx=public, actor=actor, text=f"{RAMADAN} source=ig", surface=Surface.CONSOLE)
    )
    codes = {link.source: link.code for link in rows(public)}
    assert f"{PUBLIC_URL}/r/{codes['ig']}\n" in text
    assert "https://toko.id/menu?x=1&utm_source=ig&utm_medium=social" in text
    shared = f"https%3A%2F%2Fgo.toko.id%2Fr%2F{codes['facebook']}"
    facebook = f"https://www.facebook.com/sharer/sharer.php?u={shared}"
    assert f"Facebook ({facebook})" in text
    assert "&amp;" not in text and "<" not in text


def test_an_address_without_a_scheme_gets_https_and_its_tags(ctx: ServiceContext) -> None:
    reply = ask(ctx, "link kopinusantara.id/menu campaign=ramadan source=instagram")
    _, utm_link, _ = kit(reply)
    assert utm_link == (
        "https://kopinusantara.id/menu?utm_source=instagram&utm_medium=social&utm_campaign=ramadan"
    )
