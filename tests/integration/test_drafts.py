from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

import pytest

from smmbot.persistence.models import CalendarItem, Draft
from smmbot.rendering.drafts import DRAFT_FORM_CALLBACK
from smmbot.rendering.reply import Reply, Section
from smmbot.services import calendar_actions, drafts
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.support.interactions import click, submit
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

ENGLISH = Actor(team_id="T1", user_id="U1", channel_id="C1", locale="en", timezone="Asia/Jakarta")
INDONESIAN = Actor(
    team_id="T1", user_id="U2", channel_id="C1", locale="id", timezone="Asia/Makassar"
)


def ask(ctx: ServiceContext, text: str, actor: Actor = ENGLISH) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def draft_count(ctx: ServiceContext) -> int:
    with ctx.db.transaction() as session:
        return session.query(Draft).count()


def test_templates_lists_the_library_grouped_by_pillar(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "templates"))
    smo, smm = text.index("SMO — brand"), text.index("SMM — sales")
    assert smo < text.index("`blog-share`") < smm < text.index("`promo`")
    assert "title*, url*, summary" in text


def test_blog_share_draft_has_variants_with_counts_and_utm_links(ctx: ServiceContext) -> None:
    reply = ask(
        ctx, 'draft blog-share title="Brew better coffee" url=https://kopi.id/blog?ref=a#top'
    )
    text = reply_text(reply)
    for platform in ("*X*", "*Instagram*", "*Facebook*", "*LinkedIn*"):
        assert platform in text
    assert "/280 characters" in text and "/2200 characters" in text
    assert "utm_source=x&amp;utm_medium=social&amp;utm_campaign=blog-share#top" in text
    assert "ref=a&amp;utm_source=linkedin" in text
    with ctx.db.transaction() as session:
        saved = session.query(Draft).one()
        assert saved.template_name == "blog-share"
        assert saved.variables["title"] == "Brew better coffee"
        assert [variant.platform for variant in saved.variants] == [
            "x",
            "instagram",
            "facebook",
            "linkedin",
        ]
        x_text = saved.variants[0].text
    url = next(word for word in x_text.split() if word.startswith("https://"))
    assert parse_qs(urlsplit(url).query)["utm_source"] == ["x"]
    assert "Draft #" in reply_text(reply) and "Schedule" in reply_text(reply)


def test_missing_variables_are_all_named_and_nothing_is_saved(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "draft promo product=Kopi"))
    assert "`promo` needs offer, url" in text
    assert "draft promo product=… offer=… url=…" in text
    assert draft_count(ctx) == 0


def test_unknown_template_and_variable_and_platform(ctx: ServiceContext) -> None:
    assert "There is no template `promos`" in reply_text(ask(ctx, "draft promos product=x"))
    assert "has no titel" in reply_text(ask(ctx, "draft blog-share titel=x url=https://a.id"))
    text = reply_text(ask(ctx, "draft blog-share title=x url=https://a.id platform=x,myspace"))
    assert "myspace" in text
    assert draft_count(ctx) == 0


def test_over_limit_variant_warns_with_count_and_limit(ctx: ServiceContext) -> None:
    long_title = "Kopi " * 80
    text = reply_text(
        ask(ctx, f'draft blog-share title="{long_title}" url=https://a.id platform=x')
    )
    assert ":warning:" in text
    assert "over the X limit" in text


def test_indonesian_user_gets_indonesian_copy(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(
            ctx,
            "draf promo product=Kopi offer=\u201cdiskon 20%\u201d url=https://toko.id/p",
            INDONESIAN,
        )
    )
    assert "Draf #" in text
    assert "karakter" in text
    assert "diskon 20%" in text


def test_lang_option_overrides_the_user_language(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(ctx, "draft promo product=Kopi offer=x url=https://t.id lang=id platform=x")
    )
    assert "(Indonesian)" in text


def test_campaign_option_sets_the_utm_campaign(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(
            ctx,
            'draft promo product=Kopi offer=x url=https://t.id campaign="Ramadan Sale" platform=x',
        )
    )
    assert "utm_campaign=ramadan-sale" in text


def test_mentions_in_variables_are_neutralised(ctx: ServiceContext) -> None:
    text = reply_text(
        ask(
            ctx, 'draft promo product="<!channel> Kopi <@U999>" offer=x url=https://t.id platform=x'
        )
    )
    assert "<!channel>" not in text and "<@U999>" not in text
    assert "&lt;!channel&gt; Kopi &lt;@U999&gt;" in text


def test_no_variables_opens_a_form_with_the_declared_fields(ctx: ServiceContext) -> None:
    reply = ask(ctx, "draft promo platform=x")
    assert reply.form is not None
    assert reply.form.callback_id == DRAFT_FORM_CALLBACK
    assert [field.name for field in reply.form.fields] == [
        "product",
        "offer",
        "url",
        "price",
        "until",
        "code",
    ]
    assert [field.required for field in reply.form.fields][:3] == [True, True, True]
    assert json.loads(reply.form.private_metadata) == {
        "template": "promo",
        "channel": "C1",
        "platform": "x",
    }
    assert isinstance(reply.blocks[0], Section)


def test_form_submission_drafts_or_returns_field_errors(ctx: ServiceContext) -> None:
    metadata = json.dumps({"template": "promo", "channel": "C1", "platform": "x"})
    incomplete = submit(
        ctx,
        ENGLISH,
        drafts.submit_draft_form,
        metadata,
        {"product": "Kopi", "offer": "", "url": ""},
    )
    assert set(incomplete.errors) == {"offer", "url"}
    assert draft_count(ctx) == 0
    done = submit(
        ctx,
        ENGLISH,
        drafts.submit_draft_form,
        metadata,
        {"product": "Kopi", "offer": "2 for 1", "url": "https://t.id"},
    )
    assert done.reply is not None and done.channel_id == "C1"
    assert "*X*" in reply_text(done.reply) and "*Instagram*" not in reply_text(done.reply)


def test_edit_prefills_the_form_and_resubmitting_updates_the_same_draft(
    ctx: ServiceContext,
) -> None:
    ask(ctx, "draft promo product=Kopi offer=x url=https://t.id platform=x,threads")
    form = click(ctx, ENGLISH, drafts.edit_draft_form, 1).form
    assert form is not None
    assert {field.name: field.initial for field in form.fields}["product"] == "Kopi"
    submit(
        ctx,
        ENGLISH,
        drafts.submit_draft_form,
        form.private_metadata,
        {"product": "Teh", "offer": "y", "url": "https://t.id"},
    )
    with ctx.db.transaction() as session:
        saved = session.query(Draft).one()
        assert saved.variables["product"] == "Teh"
        assert [variant.platform for variant in saved.variants] == ["x", "threads"]
        assert "Teh" in saved.variants[0].text


def test_drafts_are_scoped_by_workspace(ctx: ServiceContext) -> None:
    ask(ctx, "draft promo product=Kopi offer=x url=https://t.id")
    other = Actor(team_id="T2", user_id="U1", channel_id="C1", locale="en", timezone="UTC")
    assert "doesn't exist" in reply_text(click(ctx, other, drafts.edit_draft_form, 1))


def test_schedule_button_puts_the_chosen_version_on_the_calendar(ctx: ServiceContext) -> None:
    ask(ctx, "draft promo product=Kopi offer=x url=https://t.id platform=x,threads")
    form = click(ctx, ENGLISH, calendar_actions.schedule_draft_form, 1).form
    assert form is not None
    assert [field.choices for field in form.fields if field.name == "platform"] == [
        ("x,threads", "x", "threads")  # the first schedules every version
    ]
    late = submit(
        ctx,
        ENGLISH,
        calendar_actions.submit_schedule_draft,
        form.private_metadata,
        {"when": "2026-11-01 10:00", "platform": "x"},
    )
    assert set(late.errors) == {"when"}
    done = submit(
        ctx,
        ENGLISH,
        calendar_actions.submit_schedule_draft,
        form.private_metadata,
        {"when": "2026-11-26 10:00", "platform": "threads"},
    )
    assert done.reply is not None and "Scheduled #1" in reply_text(done.reply)
    with ctx.db.transaction() as session:
        item = session.query(CalendarItem).one()
        assert item.draft_id == 1 and item.platform == "threads"
        assert "utm_source=threads" in item.text
    both = submit(
        ctx,
        ENGLISH,
        calendar_actions.submit_schedule_draft,
        form.private_metadata,
        {"when": "2026-11-27 10:00", "platform": "x,threads"},
    )
    assert both.reply is not None and "Scheduled 2 posts from draft #1" in reply_text(both.reply)
    with ctx.db.transaction() as session:
        platforms = [
            item.platform for item in session.query(CalendarItem).order_by(CalendarItem.id)
        ]
    assert platforms == ["threads", "x", "threads"]


def test_a_link_without_a_scheme_is_tagged_as_https(ctx: ServiceContext) -> None:
    reply = ask(ctx, "draft promo product=Kopi offer=hemat url=kopinusantara.id/menu")
    text = reply_text(reply)
    assert "https://kopinusantara.id/menu?utm_source=instagram&amp;utm_medium=social" in text
    assert "kopinusantara.id/menu\n" not in text and "kopinusantara.id/menu " not in text
    assert draft_count(ctx) == 1


def test_a_link_variable_that_is_no_address_is_refused(ctx: ServiceContext) -> None:
    reply = ask(ctx, 'draft promo product=Kopi offer=hemat url="our shop"')
    assert "`url=our shop` is not a web address" in reply_text(reply)
    assert draft_count(ctx) == 0
    form = submit(
        ctx,
        ENGLISH,
        drafts.submit_draft_form,
        json.dumps({"template": "promo"}),
        {"product": "Kopi", "offer": "hemat", "url": "our shop"},
    )
    assert set(form.errors) == {"url"}
    assert draft_count(ctx) == 0


def test_a_link_as_slack_sends_it_is_tagged_as_typed(ctx: ServiceContext) -> None:
    """With `should_escape`, Slack auto-links a bare domain and escapes `&`."""
    text = reply_text(
        ask(
            ctx,
            "draft promo product=Kopi offer=hemat platform=x "
            "url=<http://kopinusantara.id/menu?a=1&amp;b=2|kopinusantara.id/menu?a=1&amp;b=2>",
        )
    )
    assert "https://kopinusantara.id/menu?a=1&amp;b=2&amp;utm_source=x&amp;utm_medium" in text


def test_form_labels_are_in_the_members_language(ctx: ServiceContext) -> None:
    labels = {
        locale: [field.label for field in form.fields]
        for locale, actor in (("en", ENGLISH), ("id", INDONESIAN))
        if (form := ask(ctx, "draft promo platform=x", actor).form) is not None
    }
    assert labels == {
        "en": ["Product", "Offer", "Link", "Price", "Valid until", "Promo code"],
        "id": ["Produk", "Penawaran", "Tautan", "Harga", "Berlaku sampai", "Kode promo"],
    }


def test_schedule_form_example_is_ahead_and_day_first_dates_are_explained(
    ctx: ServiceContext,
) -> None:
    ask(ctx, "draft promo product=Kopi offer=x url=https://t.id platform=x")
    form = click(ctx, INDONESIAN, calendar_actions.schedule_draft_form, 1).form
    assert form is not None
    [when] = [field for field in form.fields if field.name == "when"]
    assert when.placeholder == "25/11/2026 09:00"  # tomorrow in Makassar; now is 24 Nov 10:00
    assert when.placeholder in when.hint

    def errors_for(text: str) -> Mapping[str, str]:
        outcome = submit(
            ctx,
            INDONESIAN,
            calendar_actions.submit_schedule_draft,
            form.private_metadata,
            {"when": text, "platform": "x"},
        )
        return outcome.errors

    assert "`11/25/2026`" in errors_for("11/25/2026 09:00")["when"]
    assert errors_for(when.placeholder) == {}
