from __future__ import annotations

import json

import pytest

from smmbot.persistence.models import CustomTemplate, Draft
from smmbot.rendering.reply import Reply
from smmbot.services import templates
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.support.interactions import submit
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

AYU = Actor(team_id="T1", user_id="U1", channel_id="C1", locale="en", timezone="Asia/Jakarta")
OTHER_TEAM = Actor(team_id="T2", user_id="U9", channel_id="C9", locale="en", timezone="UTC")
BODY = "{{ product }} is back{% if platform == 'x' %}!{% else %}, order at {{ url }}{% endif %}"


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.CONSOLE)


def add(ctx: ServiceContext, name: str = "restock", body: str = BODY, actor: Actor = AYU) -> Reply:
    return ask(
        ctx, f"template add {name} body={json.dumps(body)} pillar=smm platforms=x,threads", actor
    )


def stored(ctx: ServiceContext) -> list[str]:
    with ctx.db.transaction() as session:
        return [row.name for row in session.query(CustomTemplate).all()]


def test_add_show_draft_and_delete(ctx: ServiceContext) -> None:
    assert "Saved template `restock`" in reply_text(add(ctx))
    shown = reply_text(ask(ctx, "template show restock"))
    assert "product, url" in shown and "SMM" in shown
    assert "`restock`" in reply_text(ask(ctx, "templates"))
    draft = reply_text(ask(ctx, "draft restock product=Kopi url=https://t.id"))
    assert "Kopi is back!" in draft
    assert "order at https://t.id?utm_source=threads" in draft
    assert "Deleted template `restock`" in reply_text(ask(ctx, "template delete restock"))
    assert stored(ctx) == []
    with ctx.db.transaction() as session:
        assert session.query(Draft).count() == 1  # drafts made from it stay


def test_custom_template_variables_are_required(ctx: ServiceContext) -> None:
    add(ctx)
    assert "`restock` needs url" in reply_text(ask(ctx, "draft restock product=Kopi"))


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ ''|attr('__class__') }}",
        "{% include 'x' %}",
    ],
)
def test_template_injection_is_refused_at_save_time(ctx: ServiceContext, payload: str) -> None:
    reply = reply_text(add(ctx, body=payload))
    assert "may not use" in reply
    assert stored(ctx) == []


def test_syntax_error_names_its_line(ctx: ServiceContext) -> None:
    reply = reply_text(add(ctx, body="line one\n{% if product %}\nno end"))
    assert "syntax error on line" in reply
    assert stored(ctx) == []


def test_a_runaway_template_is_stopped_when_drafting(ctx: ServiceContext) -> None:
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    slow = loops + "{{ product }}"
    assert "Saved" in reply_text(add(ctx, name="slow", body=slow))
    reply = reply_text(ask(ctx, "draft slow product=x platform=x"))
    assert "took too long" in reply


def test_bad_names_and_pillars(ctx: ServiceContext) -> None:
    assert "can't be a template name" in reply_text(add(ctx, name="Bad_Name!"))
    assert "built-in template" in reply_text(add(ctx, name="promo"))
    bad_pillar = ask(ctx, "template add ok body=hi pillar=sales")
    assert "must be `smo`" in reply_text(bad_pillar)
    add(ctx)
    assert "already has a template" in reply_text(add(ctx))
    assert "can't be deleted" in reply_text(ask(ctx, "template delete promo"))


def test_templates_are_private_to_their_workspace(ctx: ServiceContext) -> None:
    add(ctx)
    assert "no template `restock`" in reply_text(ask(ctx, "template show restock", OTHER_TEAM))
    assert "There is no template `restock`" in reply_text(
        ask(ctx, "draft restock product=a url=https://a.id", OTHER_TEAM)
    )


def test_add_without_a_body_opens_the_form(ctx: ServiceContext) -> None:
    reply = ask(ctx, "template add weekly-tip")
    assert reply.form is not None
    assert [field.name for field in reply.form.fields] == [
        "body",
        "pillar",
        "description",
        "platforms",
    ]
    outcome = submit(
        ctx,
        AYU,
        templates.submit_template_form,
        reply.form.private_metadata,
        {"body": "{{ ''.__class__ }}", "pillar": "smo", "description": "", "platforms": ""},
    )
    assert set(outcome.errors) == {"body"}
    outcome = submit(
        ctx,
        AYU,
        templates.submit_template_form,
        reply.form.private_metadata,
        {"body": "Tip: {{ tip }}", "pillar": "smo", "description": "A tip", "platforms": ""},
    )
    assert outcome.reply is not None and "Saved template `weekly-tip`" in reply_text(outcome.reply)
    assert stored(ctx) == ["weekly-tip"]


def test_a_template_without_variables_is_drafted_at_once(ctx: ServiceContext) -> None:
    saved = ask(ctx, 'template add hello body="Happy Friday ☕" pillar=smo')
    assert "Saved template `hello`" in reply_text(saved)
    reply = ask(ctx, "draft hello")
    assert reply.form is None
    assert "Happy Friday ☕" in reply_text(reply)
    with ctx.db.transaction() as session:
        assert session.query(Draft).count() == 1


def test_unquoted_words_are_refused_and_nothing_is_saved(ctx: ServiceContext) -> None:
    reply = ask(ctx, "template add x body=Hello {{ name }} pillar=smo")
    text = reply_text(reply)
    assert "`{{ name }}`" in text and "needs quotes" in text
    assert stored(ctx) == []


def test_unquoted_words_after_a_draft_option_are_refused(ctx: ServiceContext) -> None:
    reply = ask(ctx, "draft promo product=Kopi offer=20% off url=https://t.id")
    assert "`off`" in reply_text(reply)
    with ctx.db.transaction() as session:
        assert session.query(Draft).count() == 0


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{{ cycler }}", "not text or a number"),
        ("{{ self }}", "not text or a number"),
        ("{% for i in range(10**6) %}{% endfor %}", "grew too big"),
        ("{{ 1 / 0 }}", "divides by zero"),
    ],
)
def test_template_problems_at_draft_time_are_explained_in_words(
    ctx: ServiceContext, body: str, words: str
) -> None:
    add(ctx, "odd", body)
    text = reply_text(ask(ctx, "draft odd"))
    assert words in text
    for internal in ("<class", "Template", "MAX_RANGE", "Error", "0x"):
        assert internal not in text
    indonesian = Actor(team_id="T1", user_id="U2", channel_id="C1", locale="id", timezone="UTC")
    assert "Templat" in reply_text(ask(ctx, "draf odd", indonesian))


INDONESIAN = Actor(team_id="T1", user_id="U2", channel_id="C1", locale="id", timezone="UTC")


def test_show_a_builtin_gives_its_variables_and_the_post_it_writes(ctx: ServiceContext) -> None:
    reply = ask(ctx, "template show giveaway")
    text = reply_text(reply)
    assert "Template giveaway (built in)" in text and "Written for Instagram, Facebook" in text
    assert "`prize` *required*" in text and "(e.g. a 3-month coffee subscription)" in text
    assert "What it writes for Instagram" in text
    assert "Follow @kopinusantara.id" in text and "{{" not in text and "{%" not in text
    assert "template show giveaway platform=tiktok" in text
    assert "template_use" in text  # the Use button opens the draft form
    tiktok = reply_text(ask(ctx, "template show giveaway platform=tiktok"))
    assert "What it writes for TikTok" in tiktok
    assert "🎁 GIVEAWAY 🎁 Win a 3-month coffee subscription!" in tiktok


def test_show_a_builtin_in_indonesian_and_refusals(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "template show giveaway", INDONESIAN))
    assert "Templat giveaway (bawaan)" in text and "Hasilnya untuk Instagram" in text
    assert "Kami mau bagi-bagi langganan kopi gratis selama 3 bulan" in text
    missing = reply_text(ask(ctx, "template show giveaway platform=linkedin"))
    assert "`giveaway` has no `linkedin` version" in missing
    assert "instagram, facebook, tiktok" in missing
    assert "has no `myspace` version" in reply_text(
        ask(ctx, "template show giveaway platform=myspace")
    )
    assert "no template `nope`" in reply_text(ask(ctx, "template show nope"))


def test_a_builtins_instagram_preview_points_to_the_bio_as_its_drafts_do(
    ctx: ServiceContext,
) -> None:
    """The variables' examples name the sample link; the written post below them must not."""
    _, instagram = reply_text(ask(ctx, "template show promo")).split("What it writes for Instagram")
    assert "https://kopinusantara.id/promo" not in instagram and "bio" in instagram
    _, x = reply_text(ask(ctx, "template show promo platform=x")).split("What it writes for X")
    assert "https://kopinusantara.id/promo" in x
    shown = reply_text(ask(ctx, "template lihat promo", INDONESIAN))
    _, indonesian = shown.split("Hasilnya untuk Instagram")
    assert "link di bio" in indonesian and "https://kopinusantara.id/promo" not in indonesian
