"""The subcommand catalog: what dispatch reads from it, and what help writes from it."""

from __future__ import annotations

import pytest

from smmbot.domain.command_spec import (
    Action,
    CatalogError,
    CatalogProblem,
    Option,
    Permission,
    Role,
    Subcommand,
    forms_taking,
    may_run,
    read_command,
)
from smmbot.domain.commands import SUBCOMMANDS, subcommand
from smmbot.domain.grammar import parse_command
from smmbot.rendering.help import catalog_refusal
from smmbot.rendering.i18n import SUPPORTED_LOCALES, Translator, load_catalog
from smmbot.rendering.usage import synopsis, usage_lines

NOBODY: frozenset[Role] = frozenset()
ADMIN = frozenset({Role.ADMIN})


def read(text: str, roles: frozenset[Role] = NOBODY) -> tuple[tuple[str, ...], dict[str, str]]:
    command = parse_command(text)
    found = read_command(subcommand(command.name), command, roles)
    return found.command.words, found.command.options


def refused(text: str, roles: frozenset[Role] = NOBODY) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        read(text, roles)
    return caught.value


def _forms(sub: Subcommand) -> list[tuple[tuple[str, ...], tuple[Option, ...]]]:
    bare = [(sub.arguments, sub.options)] if sub.bare else []
    return bare + [(action.arguments, action.options) for action in sub.actions]


def test_indonesian_action_and_option_keys_become_canonical() -> None:
    words, options = read(
        'kampanye baru "Lebaran" tujuan=smm mulai=2027-03-01 selesai=2027-03-31 anggaran=5jt'
        " platform=instagram target.reach=1000"
    )
    assert words == ("kampanye", "new", "Lebaran")
    assert options == {
        "objective": "smm",
        "start": "2027-03-01",
        "end": "2027-03-31",
        "budget": "5jt",
        "platforms": "instagram",
        "target.reach": "1000",
    }


@pytest.mark.parametrize(
    ("text", "words", "options"),
    [
        (
            "catat reach 5 tanggal=2026-11-02 kampanye=Promo",
            ("catat", "reach", "5"),
            {"date": "2026-11-02", "campaign": "Promo"},
        ),
        (
            "ringkasan pengaturan hari=senin jam=09:00 saluran=#x",
            ("ringkasan", "settings"),
            {"day": "senin", "time": "09:00", "channel": "#x"},
        ),
        ("ringkasan pekan=2026-11-16", ("ringkasan",), {"week": "2026-11-16"}),
        ("kalender BULAN halaman=2", ("kalender", "month"), {"page": "2"}),
        (
            "tautan https://a.id sumber=wa media=chat",
            ("tautan", "https://a.id"),
            {"source": "wa", "medium": "chat"},
        ),
        (
            "jadwal besok halo pemilik=<@U1> draf=4",
            ("jadwal", "besok", "halo"),
            {"owner": "<@U1>", "draft": "4"},
        ),
        ("bio tambah https://a.id judul=Menu", ("bio", "add", "https://a.id"), {"title": "Menu"}),
    ],
)
def test_every_subcommand_reads_its_indonesian_words(
    text: str, words: tuple[str, ...], options: dict[str, str]
) -> None:
    assert read(text) == (words, options)


def test_free_options_pass_through_and_declared_ones_are_made_canonical() -> None:
    words, options = read("draf promo product=Kopi bahasa=id kampanye=Ramadan")
    assert words == ("draf", "promo")
    assert options == {"product": "Kopi", "lang": "id", "campaign": "Ramadan"}


def test_an_unknown_option_is_refused_with_a_near_miss_and_every_unknown_key() -> None:
    error = refused("log reach 5 tangal=2026-11-02 colour=red")
    assert error.problem is CatalogProblem.UNKNOWN_OPTION
    assert error.unknown == ("tangal", "colour")
    assert error.suggestion == "tanggal"


def test_an_option_of_another_form_is_refused_and_its_forms_named() -> None:
    error = refused("digest now week=2026-11-16")
    digest = subcommand("digest")
    assert error.action is not None and error.action.name == "now"
    assert forms_taking(digest, "week") == (None,)
    assert [form.name if form else "" for form in forms_taking(digest, "jam")] == ["settings"]


def test_a_key_given_in_two_languages_is_a_duplicate() -> None:
    error = refused("log reach 5 date=2026-11-02 tanggal=2026-11-03")
    assert error.problem is CatalogProblem.DUPLICATE_OPTION
    assert error.unknown == ("tanggal",)


def test_a_word_that_is_no_action_is_refused_where_the_bare_form_takes_none() -> None:
    assert refused("campaign Lebaran").unknown == ("Lebaran",)
    assert refused("template").problem is CatalogProblem.WHICH_ACTION
    for text in ("calendar year", "digest yesterday", "bio frobnicate", "sources everything"):
        assert refused(text).problem is CatalogProblem.WHICH_ACTION, text
    assert read("digest week") == (("digest", "week"), {})  # the week form, missing its `=`
    assert read("draf promo") == (("draf", "promo"), {})  # a bare form with its own argument


def test_admin_subcommands_refuse_members_and_let_admins_through() -> None:
    error = refused("settings token")
    assert error.problem is CatalogProblem.NOT_ALLOWED
    assert error.permission is Permission.ADMINS
    assert read("pengaturan token ganti", ADMIN)[0] == ("pengaturan", "token", "ganti")
    assert refused("connect google").permission is Permission.ADMINS


def test_permissions_admit_admins_everywhere_and_approvers_only_where_declared() -> None:
    assert may_run(Permission.EVERYONE, NOBODY)
    assert may_run(Permission.APPROVERS, frozenset({Role.APPROVER}))
    assert may_run(Permission.APPROVERS, ADMIN)
    assert not may_run(Permission.APPROVERS, NOBODY)
    assert not may_run(Permission.ADMINS, frozenset({Role.APPROVER}))


def test_an_action_may_need_more_than_its_subcommand() -> None:
    sub = Subcommand(
        "settings",
        actions=(Action("approval", permission=Permission.ADMINS), Action("show")),
        bare=False,
    )
    command = parse_command("settings approval")
    with pytest.raises(CatalogError):
        read_command(sub, command, NOBODY)
    assert read_command(sub, parse_command("settings show"), NOBODY).action == sub.actions[1]


def test_declarations_are_unambiguous() -> None:
    for sub in SUBCOMMANDS:
        names = [name for action in sub.actions for name in action.all_names]
        assert len(names) == len(set(names)), sub.name
        for _, options in _forms(sub):
            keys = [key for option in options for key in option.all_keys]
            assert len(keys) == len(set(keys)), sub.name


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_placeholder_the_catalog_names_is_written(locale: str) -> None:
    catalog = load_catalog(locale)
    for sub in SUBCOMMANDS:
        for arguments, options in _forms(sub):
            for name in (*arguments, *(option.value for option in options)):
                assert catalog[f"placeholder.{name.removesuffix('?')}"].strip(), (sub.name, name)


def test_usage_is_written_in_the_members_words() -> None:
    campaign = subcommand("campaign")
    indonesian = usage_lines(Translator("id"), campaign)
    assert indonesian[0] == (
        "kampanye baru <nama> tujuan=smo|smm mulai=YYYY-MM-DD selesai=YYYY-MM-DD"
        " [anggaran=…] [platform=x,instagram,…] [pemilik=@…] [target.<metrik>=…]"
    )
    assert indonesian[1:] == [
        "kampanye ubah <nama> [tujuan=smo|smm] [mulai=YYYY-MM-DD] [selesai=YYYY-MM-DD]"
        " [anggaran=…] [platform=x,instagram,…] [pemilik=@…] [target.<metrik>=…]",
        "kampanye daftar",
        "kampanye lihat <nama>",
        "kampanye tutup <nama>",
    ]
    assert usage_lines(Translator("en"), campaign)[0].startswith(
        "campaign new <name> objective=smo|smm start=YYYY-MM-DD end=YYYY-MM-DD [budget=…]"
    )
    assert synopsis(Translator("id"), subcommand("digest")) == [
        "ringkasan",
        "ringkasan sekarang|lalu|pengaturan|aktifkan|nonaktifkan",
    ]
    assert usage_lines(Translator("id"), subcommand("draft")) == [
        "draf <templat> [kunci=nilai…] [platform=x,instagram,…] [kampanye=…] [bahasa=en|id]",
        "draf hapus <id>",
    ]


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("id", "catat reach 5 tangal=1", "`tangal=` bukan opsi untuk `catat` (opsinya: `tanggal=`"),
        ("id", "catat reach 5 tangal=1", "Maksudmu `tanggal=`?"),
        ("en", "digest now week=2026-11-16", "`week=` goes with `digest`"),
        ("en", "digest on channel=#x", "is not an option of `digest on`, which takes none"),
        ("id", "pengaturan token", "Hanya admin dan pemilik workspace yang bisa memakai"),
        ("en", "settings token", "Only workspace admins and owners can use `settings token`"),
        ("id", "kampanye Lebaran", "`baru`, `ubah`, `daftar`, `lihat`, `tutup`"),
    ],
)
def test_catalog_refusals_speak_the_members_language(locale: str, text: str, expected: str) -> None:
    command = parse_command(text)
    sub = subcommand(command.name)
    with pytest.raises(CatalogError) as caught:
        read_command(sub, command, NOBODY)
    refusal = catalog_refusal(Translator(locale), sub, caught.value)
    assert expected in refusal.message


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_help_example_is_a_command_the_catalog_accepts(locale: str) -> None:
    """Examples are written by hand per language; each must use declared words only."""
    tr = Translator(locale)
    for sub in SUBCOMMANDS:
        for line in tr.plain(f"example.{sub.name}").splitlines():
            command = parse_command(line)
            assert subcommand(command.name) == sub, line
            read_command(sub, command, ADMIN)
