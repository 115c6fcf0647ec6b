"""The catalog of `/smm` subcommands: their actions, options, Indonesian words and who may run
them.

Help and dispatch both read this one table, so a subcommand, action or option cannot be listed in
help but unknown to the dispatcher (or the other way round). A new subcommand is one more entry
here (and its summary and example in the message catalogs); see `command_spec` for the fields.
"""

from __future__ import annotations

from difflib import get_close_matches

from smmbot.domain.command_spec import Action, Option, Permission
from smmbot.domain.command_spec import Subcommand as Subcommand  # its old home: re-exported

CAMPAIGN = Option("campaign", ("kampanye",))
PLATFORM = Option("platform", value="platforms")
CHANNEL = Option("channel", ("saluran", "kanal"), value="channel")
OWNER = Option("owner", ("pemilik",), value="mention")
TITLE = Option("title", ("judul",), value="text")
PAGE = Option("page", ("halaman",), value="page")
PROVIDER = ("provider",)
DIGEST_WEEK = Option("week", ("minggu", "pekan"), value="date")

_CALENDAR_FILTERS = (CAMPAIGN, PLATFORM, OWNER, PAGE)
_CAMPAIGN_NEW = Action(
    "new",
    ("baru",),
    arguments=("name",),
    options=(
        Option("objective", ("tujuan",), value="objective", required=True),
        Option("start", ("mulai",), value="date", required=True),
        Option("end", ("selesai",), value="date", required=True),
        Option("budget", ("anggaran",), value="money"),
        Option("platforms", ("platform",), value="platforms"),
        OWNER,
        Option("target.", value="metric_target", prefix=True),
    ),
)
_CAMPAIGN_EDIT = Action(
    "edit",
    ("ubah",),
    arguments=("name",),
    options=tuple(
        Option(o.key, o.aliases, value=o.value, prefix=o.prefix) for o in _CAMPAIGN_NEW.options
    ),
)
"""`campaign edit` takes every field of `new`, none of them required (an empty value clears)."""
_DIGEST_ACTIONS = (
    Action("now", ("sekarang",)),
    Action("last", ("lalu",)),
    Action(
        "settings",
        ("pengaturan",),
        options=(
            Option("day", ("hari",), value="weekday"),
            Option("time", ("jam", "waktu"), value="time"),
            CHANNEL,
        ),
    ),
    Action("on", ("aktifkan",)),
    Action("off", ("nonaktifkan",)),
)
_BIO_ACTIONS = (
    Action(
        "add",
        ("tambah",),
        arguments=("url",),
        options=(Option("title", ("judul",), value="text", required=True),),
    ),
    Action("list", ("daftar",)),
    Action("remove", ("hapus",), arguments=("number",)),
    Action("move", ("pindah",), arguments=("number", "position")),
    Action(
        "settings", ("pengaturan",), options=(TITLE, Option("avatar", ("foto",), value="image_url"))
    ),
)
_HISTORY_EXPORT = Action(
    "export",
    ("ekspor",),
    options=(
        Option("from", ("dari",), value="date"),
        Option("to", ("sampai",), value="date"),
    ),
    permission=Permission.ADMINS,
)
"""`history export [from=…] [to=…]`: the audit log as CSV, both days included, for admins."""
_COMPETITOR_ACTIONS = (
    Action(
        "add",
        ("tambah",),
        arguments=("name",),
        options=(
            Option("instagram", ("ig",), value="instagram_handle"),
            Option("facebook", ("fb",), value="facebook_page"),
        ),
    ),
    Action("list", ("daftar",)),
    Action("remove", ("hapus",), arguments=("name",)),
)
_TEMPLATE_ADD_OPTIONS = (
    Option("body", ("isi",), value="text"),
    Option("pillar", ("pilar",), value="objective"),
    Option("description", ("deskripsi",), value="text"),
    Option("platforms", ("platform",), value="platforms"),
)

SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", ("bantuan",), max_words=1, arguments=("topic?",)),
    Subcommand("templates", ("templat",), max_words=0),
    Subcommand(
        "draft",
        ("draf",),
        max_words=2,
        arguments=("template",),
        options=(PLATFORM, CAMPAIGN, Option("lang", ("bahasa",), value="language")),
        free_options=True,
        actions=(Action("delete", ("hapus",), arguments=("id",)),),
    ),
    Subcommand(
        "drafts",
        ("daftar-draf",),
        max_words=1,
        options=(PAGE,),
        actions=(
            Action("mine", ("saya", "punyaku"), options=(PAGE,)),
            Action("all", ("semua",), options=(PAGE,)),
            Action("review", ("tinjau",)),
        ),
    ),
    Subcommand("review", ("tinjau",), max_words=0, permission=Permission.APPROVERS),
    Subcommand(
        "template",
        max_words=2,
        bare=False,
        actions=(
            Action("add", ("tambah",), arguments=("name",), options=_TEMPLATE_ADD_OPTIONS),
            Action("show", ("lihat",), arguments=("name",), options=(PLATFORM,)),
            Action("delete", ("hapus",), arguments=("name",)),
        ),
    ),
    Subcommand(
        "link",
        ("tautan",),
        max_words=1,
        arguments=("url",),
        options=(CAMPAIGN, Option("source", ("sumber",)), Option("medium", ("media",))),
    ),
    Subcommand(
        "campaign",
        ("kampanye",),
        bare=False,
        actions=(
            _CAMPAIGN_NEW,
            _CAMPAIGN_EDIT,
            Action("list", ("daftar",)),
            Action("show", ("lihat",), arguments=("name",)),
            Action("close", ("tutup",), arguments=("name",)),
        ),
    ),
    Subcommand(
        "schedule",
        ("jadwal",),
        arguments=("when", "post_text"),
        options=(
            CAMPAIGN,
            PLATFORM,
            CHANNEL,
            OWNER,
            Option("draft", ("draf",), value="id"),
            Option("until", ("sampai",), value="date"),
            Option("times", ("kali",), value="page"),
        ),
        actions=(
            Action(
                "cancel",
                ("batalkan",),
                options=(Option("series", ("seri",), value="id", required=True),),
            ),
        ),
    ),
    Subcommand(
        "calendar",
        ("kalender",),
        options=_CALENDAR_FILTERS,
        actions=(
            Action("week", ("minggu",), options=_CALENDAR_FILTERS),
            Action("month", ("bulan",), options=_CALENDAR_FILTERS),
            Action("reminders", ("pengingat",), arguments=("lead_times?",)),
        ),
    ),
    Subcommand(
        "log",
        ("catat",),
        arguments=("metric", "value"),
        options=(
            Option("date", ("tanggal",), value="date"),
            CAMPAIGN,
            PLATFORM,
            Option("post", ("pos", "postingan"), value="id"),
            Option("competitor", ("pesaing",)),
        ),
    ),
    Subcommand("import", ("impor",)),
    Subcommand(
        "digest",
        ("ringkasan",),
        max_words=1,
        options=(DIGEST_WEEK,),
        actions=_DIGEST_ACTIONS,
    ),
    Subcommand(
        "settings",
        ("pengaturan",),
        max_words=2,
        bare=False,
        actions=(
            Action("token", arguments=("rotate?",)),
            Action(
                "approval",
                ("persetujuan",),
                arguments=("switch",),
                options=(
                    Option("approvers", ("penyetuju",), value="mentions"),
                    CHANNEL,
                    Option("self_approve", ("setujui_sendiri",), value="switch"),
                ),
            ),
        ),
        permission=Permission.ADMINS,
    ),
    Subcommand("bio", max_words=3, actions=_BIO_ACTIONS),
    Subcommand("competitor", ("pesaing",), actions=_COMPETITOR_ACTIONS),
    Subcommand("sharebar", ("bilah-bagikan",), max_words=0, options=(CAMPAIGN,)),
    Subcommand(
        "connect", ("hubungkan",), max_words=1, arguments=PROVIDER, permission=Permission.ADMINS
    ),
    Subcommand(
        "disconnect", ("putuskan",), max_words=1, arguments=PROVIDER, permission=Permission.ADMINS
    ),
    Subcommand(
        "insights",
        ("wawasan",),
        max_words=0,
        options=(PLATFORM, Option("weeks", ("minggu", "pekan"), value="page")),
    ),
    Subcommand(
        "history",
        ("riwayat",),
        max_words=1,
        arguments=("id",),
        options=(PAGE,),
        actions=(_HISTORY_EXPORT,),
    ),
    Subcommand(
        "sources",
        ("sumber",),
        max_words=2,
        actions=(Action("sync", ("sinkronkan",), arguments=("provider?",)),),
    ),
)
"""Every subcommand, in the order help lists them."""

_BY_NAME: dict[str, Subcommand] = {
    name: subcommand for subcommand in SUBCOMMANDS for name in subcommand.all_names
}


def stray_words(subcommand: Subcommand, arguments: tuple[str, ...]) -> tuple[str, ...]:
    """The positional words beyond what the subcommand takes."""
    if subcommand.max_words is None:
        return ()
    return arguments[subcommand.max_words :]


def find_subcommand(name: str) -> Subcommand | None:
    return _BY_NAME.get(name.strip().lower())


def subcommand(name: str) -> Subcommand:
    """A subcommand the code names itself (a service's own): a typo fails at import time."""
    found = find_subcommand(name)
    if found is None:
        raise KeyError(name)
    return found


def closest_subcommand(name: str) -> Subcommand | None:
    """Suggest the subcommand the user probably meant, for "did you mean" in the reply."""
    match = get_close_matches(name.lower(), list(_BY_NAME), n=1, cutoff=0.6)
    return _BY_NAME[match[0]] if match else None
