"""Ordinary input that used to end in "Something went wrong": every one gets a clear answer."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from smmbot.domain.payloads import button_record_id
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.models import SlackUser, Workspace
from smmbot.rendering.calendar import RESCHEDULE_FORM_CALLBACK
from smmbot.rendering.reply import Reply
from smmbot.services.commands import answer_slash_command, instant_answer
from smmbot.services.context import ServiceContext
from smmbot.services.identity import MemberProfile
from smmbot.services.interactions import Button, Form, Interaction, answer_click, submit_form
from smmbot.slack.blocks import message_payload
from smmbot.slack.listeners import calendar
from tests.support.replies import reply_text

INDONESIAN = MemberProfile(timezone="Asia/Makassar", locale="id-ID")
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"


def ask(ctx: ServiceContext, text: str, team_id: str = "T1", user_id: str = "U1") -> Reply:
    return answer_slash_command(
        ctx=ctx,
        team_id=team_id,
        user_id=user_id,
        channel_id="C1",
        text=text,
        lookup_profile=lambda _user: INDONESIAN,
    )


def test_many_first_commands_from_a_new_workspace_at_once_all_answer(
    ctx: ServiceContext,
) -> None:
    start = threading.Barrier(24)

    def first_command(index: int) -> str:
        start.wait()
        return reply_text(ask(ctx, "calendar", team_id="TNEW", user_id=f"U{index % 6}"))

    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(first_command, range(24)))
    assert not [answer for answer in answers if "referensi" in answer]
    with ctx.db.transaction() as session:
        assert session.query(Workspace).filter_by(team_id="TNEW").count() == 1
        assert session.query(SlackUser).filter_by(team_id="TNEW").count() == 6


@pytest.mark.parametrize(
    "text",
    [
        'schedule "9999-12-31 23:59" Promo akhir zaman',
        'schedule "tomorrow 9am" hi draft=99999999999999999999',
        'schedule "tomorrow 9am" hi draft=-1',
    ],
)
def test_out_of_range_input_is_refused_in_words(ctx: ServiceContext, text: str) -> None:
    answer = reply_text(ask(ctx, text))
    assert "referensi" not in answer
    assert "9999-12-31 23:59" in answer or "#" in answer


@pytest.mark.parametrize("text", ["help log", "KAENDER REMINDERS -1H", "bantuan catat"])
def test_reported_commands_are_answered_in_words(ctx: ServiceContext, text: str) -> None:
    answer = reply_text(ask(ctx, text))
    assert answer and "referensi" not in answer


def unreachable_context() -> ServiceContext:
    return ServiceContext(db=Database(create_database_engine(UNREACHABLE)))


def test_database_down_answers_try_again_in_the_members_language() -> None:
    ctx = unreachable_context()
    assert instant_answer(ctx=ctx, team_id="T1", user_id="U1", channel_id="C1", text="help") is None
    answer = reply_text(ask(ctx, "log followers 10"))
    assert "basis data" in answer and "tidak ada yang tersimpan" in answer


def test_database_down_keeps_a_form_open_with_the_message() -> None:
    outcome = submit_form(
        ctx=unreachable_context(),
        interaction=Interaction("T1", "U1", "C1", "form reschedule"),
        lookup_profile=lambda _user: INDONESIAN,
        form=Form(lambda _request: pytest.fail("must not run without a member")),
        metadata=json.dumps({"item": 1}),
        values={"when": ""},
        field_names=("when",),
    )
    assert "basis data" in outcome.errors["when"]


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "", "-3", "1e9"])
def test_a_tampered_button_value_is_refused(ctx: ServiceContext, value: str) -> None:
    reply = answer_click(
        ctx=ctx,
        interaction=Interaction("T1", "U1", "C1", "button cancel"),
        lookup_profile=lambda _user: INDONESIAN,
        button=Button(button_record_id, lambda _request: pytest.fail("accepted")),
        value=value,
    )
    assert "tidak ada yang berubah" in reply_text(reply)


@pytest.mark.parametrize(
    "metadata", ["not json", "[1, 2]", '{"item": "x"}', '{"item": 1e99}', '{"item": true}']
)
def test_tampered_form_metadata_is_refused(ctx: ServiceContext, metadata: str) -> None:
    outcome = submit_form(
        ctx=ctx,
        interaction=Interaction("T1", "U1", "C1", "form reschedule"),
        lookup_profile=lambda _user: INDONESIAN,
        form=calendar.FORMS[RESCHEDULE_FORM_CALLBACK],
        metadata=metadata,
        values={"when": "tomorrow 9am"},
        field_names=("when",),
    )
    assert not outcome.errors and outcome.reply is not None
    assert "tidak ada yang berubah" in reply_text(outcome.reply)


def test_mentions_from_names_and_post_text_never_reach_slack_raw(ctx: ServiceContext) -> None:
    name = "<!channel> Sale"
    post = "<@U0BOSS> hi <https://evil.example|click>"
    created = ask(
        ctx, f'campaign new "{name}" objective=smm start=2026-11-20 end=2026-12-20 budget=5jt'
    )
    assert "referensi" not in reply_text(created)
    commands = [
        f'schedule "besok jam 9" "{post}" campaign="{name}"',
        "campaign list",
        f'campaign show "{name}"',
        "calendar",
        "digest now",
        f'campaign close "{name}"',
    ]
    for text in commands:
        parsed = parsed_texts(dict(message_payload(ask(ctx, text))))
        for raw in ("<!channel>", "<@U0BOSS>", "<https://evil"):
            assert not [field for field in parsed if raw in field], (text, parsed)


def parsed_texts(payload: dict[str, Any]) -> list[str]:
    """The fields Slack parses for mentions and links: `text` and every mrkdwn object
    (plain_text, as in headers and buttons, is shown as typed)."""
    found = [payload["text"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload["blocks"])
    return found
