from __future__ import annotations

from datetime import timedelta

import pytest

from smmbot.persistence.models import SlackUser, Workspace
from smmbot.rendering.reply import Reply
from smmbot.services import commands as command_service
from smmbot.services.commands import answer_slash_command, run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.identity import MemberProfile, identify_actor
from tests.conftest import FakeClock
from tests.support.replies import reply_text


class ProfileSource:
    """Counts users.info calls so caching is visible."""

    def __init__(self, profile: MemberProfile | None = None, *, fails: bool = False) -> None:
        self.profile = profile or MemberProfile(timezone="Asia/Makassar", locale="id-ID")
        self.fails = fails
        self.calls = 0

    def __call__(self, user_id: str) -> MemberProfile | None:
        self.calls += 1
        if self.fails:
            raise TimeoutError("users.info timed out")
        return self.profile


def ask(ctx: ServiceContext, text: str, source: ProfileSource, team_id: str = "T1") -> Reply:
    return answer_slash_command(
        ctx=ctx, team_id=team_id, user_id="U1", channel_id="C1", text=text, lookup_profile=source
    )


def test_help_lists_every_subcommand_in_indonesian_for_an_id_user(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(command_service.HANDLERS, "digest")  # an unbuilt one is "coming soon"
    reply = ask(ctx, "bantuan", ProfileSource())
    text = reply_text(reply)
    assert "meja kerja media sosialmu" in text
    for usage in (
        "bantuan [perintah]",
        "templat",
        "draf &lt;templat&gt;",
        "template tambah|lihat|hapus",
        "tautan &lt;url&gt;",
        "kampanye baru|ubah|daftar|lihat|tutup",
        "jadwal &lt;kapan&gt;",
        "kalender minggu|bulan|pengingat",
        "catat &lt;metrik&gt;",
        "ringkasan sekarang|lalu|pengaturan|aktifkan|nonaktifkan",
        "pengaturan token",
    ):
        assert f"`/smm {usage}" in text
    assert "segera hadir" in text
    assert not reply.public


def test_help_topic_by_alias(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(ctx, "help kampanye", ProfileSource(MemberProfile("Asia/Jakarta", "en-US")))
    )
    assert "/smm campaign new &lt;name&gt; objective=smo|smm" in text
    assert "Also written as kampanye" in text


def test_unknown_subcommand_names_it_and_points_to_help(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "shedule tomorrow", ProfileSource(MemberProfile(None, "en-US"))))
    assert "I don't know the command `shedule`" in text
    assert "Did you mean `/smm schedule`?" in text
    assert "/smm help" in text


def test_malformed_quoting_is_explained(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(ctx, 'draft promo product="Kopi', ProfileSource(MemberProfile(None, "en-GB")))
    )
    assert "never closed" in text


def test_unbuilt_subcommand_says_so_with_usage(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(command_service.HANDLERS, "digest")
    text = reply_text(ask(ctx, "ringkasan now", ProfileSource()))
    assert "belum tersedia" in text
    assert "/smm ringkasan sekarang" in text


def test_profile_is_cached_for_a_day(ctx: ServiceContext, clock: FakeClock) -> None:
    source = ProfileSource()
    ask(ctx, "help", source)
    ask(ctx, "help", source)
    assert source.calls == 1
    clock.now += timedelta(hours=25)
    ask(ctx, "help", source)
    assert source.calls == 2


def test_failed_profile_lookup_falls_back_to_workspace_defaults(ctx: ServiceContext) -> None:
    reply = ask(ctx, "help", ProfileSource(fails=True))
    assert "your social media desk" in reply_text(reply)


def test_workspace_default_locale_applies_when_the_user_has_none(ctx: ServiceContext) -> None:
    with ctx.db.transaction() as session:
        session.add(Workspace(team_id="T9", locale="id", created_at=ctx.clock()))
    actor = identify_actor(
        ctx=ctx,
        team_id="T9",
        user_id="U1",
        channel_id=None,
        lookup_profile=ProfileSource(MemberProfile(None, None)),
    )
    assert actor.locale == "id"
    assert actor.timezone == "Asia/Jakarta"


def test_users_are_scoped_by_workspace(ctx: ServiceContext) -> None:
    ask(ctx, "help", ProfileSource(MemberProfile("Asia/Jayapura", "id-ID")), team_id="TA")
    ask(ctx, "help", ProfileSource(MemberProfile("Europe/Berlin", "en-US")), team_id="TB")
    with ctx.db.transaction() as session:
        rows = {(user.team_id, user.timezone) for user in session.query(SlackUser).all()}
    assert rows == {("TA", "Asia/Jayapura"), ("TB", "Europe/Berlin")}


def test_unexpected_failure_becomes_a_reply_with_a_reference(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_request: object) -> Reply:
        raise RuntimeError("boom")

    monkeypatch.setitem(command_service.HANDLERS, "help", broken)
    actor = Actor(team_id="T1", user_id="U1", channel_id=None, locale="en", timezone="Asia/Jakarta")
    text = reply_text(run_command(ctx=ctx, actor=actor, text="help", surface=Surface.SLACK))
    assert "nothing was saved" in text
    assert "boom" not in text


def test_the_admin_role_from_slack_is_remembered_with_the_profile(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    admin = ProfileSource(MemberProfile("Asia/Jakarta", "en-US", is_admin=True))
    assert "Only workspace admins" not in reply_text(ask(ctx, "settings token", admin))
    assert "Only workspace admins" not in reply_text(ask(ctx, "settings token", admin))
    assert admin.calls == 1  # the role came back from the cache the second time
    clock.now += timedelta(hours=25)
    demoted = ProfileSource(MemberProfile("Asia/Jakarta", "en-US", is_admin=False))
    assert "Only workspace admins" in reply_text(ask(ctx, "settings token", demoted))


@pytest.mark.parametrize(("typed", "label"), [("WITA", "WITA"), ("Jakarta", "WIB")])
def test_a_zone_given_by_its_usual_name_reads_times(
    ctx: ServiceContext, typed: str, label: str
) -> None:
    source = ProfileSource(MemberProfile(timezone=typed, locale="en-US"))
    text = reply_text(ask(ctx, 'schedule "tomorrow 9am" Fresh bread', source))
    assert f"09:00 {label}" in text
    assert "nothing was saved" not in reply_text(ask(ctx, "log followers 10", source))


def test_a_profile_zone_that_names_nothing_falls_back_to_the_workspace(
    ctx: ServiceContext,
) -> None:
    source = ProfileSource(MemberProfile(timezone="Mars/Base", locale="en-US"))
    assert "09:00 WIB" in reply_text(ask(ctx, 'schedule "tomorrow 9am" Fresh bread', source))
