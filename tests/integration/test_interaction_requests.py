"""The interaction router builds a button's or form's request once: the member, their language,
the value or metadata read and checked; a tampered one or a `Refusal` is answered there."""

from __future__ import annotations

import json

import pytest

from smmbot.domain.payloads import button_record_id
from smmbot.rendering.calendar import CANCEL_ACTION, RESCHEDULE_FORM_CALLBACK
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.context import ButtonRequest, FormOutcome, FormRequest, ServiceContext
from smmbot.services.identity import MemberProfile
from smmbot.services.interactions import Button, Form, Interaction, answer_click, submit_form
from smmbot.slack.listeners import calendar
from tests.support.replies import reply_text

INDONESIAN = MemberProfile(timezone="Asia/Makassar", locale="id-ID")
ENGLISH = MemberProfile(timezone="UTC", locale="en-US")
TAMPERED = "tidak ada yang berubah"


def click(ctx: ServiceContext, button: Button[int], value: str, user_id: str = "U1") -> Reply:
    return answer_click(
        ctx=ctx,
        interaction=Interaction("T1", user_id, "C1", "button test"),
        lookup_profile=lambda _user: INDONESIAN,
        button=button,
        value=value,
    )


def send(ctx: ServiceContext, form: Form, metadata: str) -> FormOutcome:
    return submit_form(
        ctx=ctx,
        interaction=Interaction("T1", "U1", "C1", "form test"),
        lookup_profile=lambda _user: ENGLISH,
        form=form,
        metadata=metadata,
        values={"when": "tomorrow 9am"},
        field_names=("when",),
    )


def test_a_click_gets_the_member_their_language_and_the_read_value(ctx: ServiceContext) -> None:
    seen: list[ButtonRequest[int]] = []

    def answer(request: ButtonRequest[int]) -> Reply:
        seen.append(request)
        return Reply(blocks=(), fallback=request.tr.plain("error.fallback"))

    click(ctx, Button(button_record_id, answer), "#12")
    [request] = seen
    assert request.value == 12 and request.ctx is ctx
    assert (request.actor.team_id, request.actor.user_id, request.actor.channel_id) == (
        "T1",
        "U1",
        "C1",
    )
    assert request.tr.locale == request.actor.locale == "id"
    assert request.actor.timezone == "Asia/Makassar"


@pytest.mark.parametrize("value", ["abc", "0", "99999999999999999999", ""])
def test_a_tampered_value_is_refused_before_the_service_runs(
    ctx: ServiceContext, value: str
) -> None:
    calls: list[int] = []

    def answer(request: ButtonRequest[int]) -> Reply:
        calls.append(request.value)
        return Reply(blocks=(), fallback="ran")

    reply = click(ctx, Button(button_record_id, answer), value)
    assert calls == []
    assert reply_text(reply).count(TAMPERED) == 1


def test_a_declared_button_refuses_a_tampered_value_in_the_members_language(
    ctx: ServiceContext,
) -> None:
    reply = click(ctx, calendar.BUTTONS[CANCEL_ACTION], "1; drop table")
    assert TAMPERED in reply_text(reply)


def test_a_form_gets_checked_metadata_and_its_values(ctx: ServiceContext) -> None:
    seen: list[FormRequest] = []

    def answer(request: FormRequest) -> FormOutcome:
        seen.append(request)
        return FormOutcome(errors={})

    send(ctx, Form(answer, ids=("item",)), json.dumps({"item": 7, "channel": "C9"}))
    [request] = seen
    assert request.metadata.ids == {"item": 7} and request.metadata.channel == "C9"
    assert request.values == {"when": "tomorrow 9am"}
    assert request.tr.locale == "en"


@pytest.mark.parametrize("metadata", ["{}", '{"item": "x"}', '{"item": -1}', "nope"])
def test_tampered_metadata_is_refused_before_the_form_runs(
    ctx: ServiceContext, metadata: str
) -> None:
    outcome = send(ctx, Form(lambda _request: pytest.fail("the form ran"), ids=("item",)), metadata)
    assert not outcome.errors and outcome.reply is not None
    assert "nothing was changed" in reply_text(outcome.reply).lower()


def test_a_declared_form_refuses_metadata_without_its_item(ctx: ServiceContext) -> None:
    outcome = send(ctx, calendar.FORMS[RESCHEDULE_FORM_CALLBACK], json.dumps({"channel": "C1"}))
    assert outcome.reply is not None and not outcome.errors
    assert "nothing was changed" in reply_text(outcome.reply).lower()


def test_a_refusal_behind_a_button_or_a_form_is_the_reply(ctx: ServiceContext) -> None:
    message = Mrkdwn("Tidak ada posting *#3*.")

    def refuse_click(_request: ButtonRequest[int]) -> Reply:
        raise Refusal(message)

    def refuse_form(_request: FormRequest) -> FormOutcome:
        raise Refusal(message)

    clicked = reply_text(click(ctx, Button(button_record_id, refuse_click), "3"))
    assert message in clicked and "/smm bantuan" in clicked
    outcome = send(ctx, Form(refuse_form, ids=("item",)), json.dumps({"item": 3}))
    assert not outcome.errors and outcome.reply is not None
    assert reply_text(outcome.reply) == clicked
