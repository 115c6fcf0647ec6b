"""Thousands of random commands and clicks through the real HTTP app: every one is answered
in words, none with the generic internal error, a traceback, an HTTP error or a raw mention.

The generator follows the grammar (subcommands and aliases, actions, options, quotes, dates,
numbers far out of range, unicode, mentions) so most input reaches deep into the services,
and is seeded so a failure replays exactly.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from smmbot.domain.commands import SUBCOMMANDS as CATALOG
from smmbot.rendering.campaigns import CAMPAIGN_FORM_CALLBACK
from smmbot.rendering.templates import TEMPLATE_FORM_CALLBACK
from smmbot.slack.listeners import calendar as calendar_listeners
from smmbot.slack.listeners import drafts as draft_listeners
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import (
    FORM,
    block_actions_body,
    post_signed,
    slash_command_body,
    view_submission_body,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SEED = 20261201
COMMANDS = 1500
CLICKS = 500

SUBCOMMANDS = (*(name for sub in CATALOG for name in sub.all_names), "KAENDER", "frobnicate")
ACTIONS = (
    "add", "show", "delete", "new", "list", "edit", "close", "now", "last", "settings", "off",
    "on", "token", "rotate", "week", "month", "reminders", "mine", "review", "all", "blog-share",
    "promo", "followers", "revenue", "pengikut", "x", "1", "#2",
)  # fmt: skip
OPTION_KEYS = (
    "campaign", "kampanye", "platform", "objective", "start", "mulai", "end", "selesai",
    "budget", "anggaran", "date", "tanggal", "draft", "channel", "owner", "day", "time", "title",
    "url", "product", "offer", "body", "pillar", "lang", "week", "target.revenue",
    "target.followers", "until", "times", "source", "medium",
)  # fmt: skip
HOSTILE = ("<!channel>", "<@U0BOSS>", "<https://evil.example|click>", "<!here>", "&lt;!channel&gt;")
VALUES = (
    "2026-12-01", "31/12/2026", "9999-12-31 23:59", "0000-00-00", "tomorrow 9am", "besok jam 9",
    "senin 10:00", "in 1 minute", "-1H", "every monday 9am", "99999999999999999999", "-1", "0",
    "1e309", "nan", "Rp 2.500.000", "5jt", "12,5", "smo", "smm", "instagram", "x,tiktok", "#C1",
    "@U0001", "https://kopi.id/menu", "kopi.id", "☕ Kopi Nusantara", "日本語", "ﷺ", "\u200b",
    "{{ cycler }}", "{% for x in range(99999999) %}x{% endfor %}", "a" * 300, "", "'", "“quoted”",
)  # fmt: skip
BUTTONS = (*calendar_listeners.BUTTONS, *draft_listeners.BUTTONS)
FORMS = (
    *calendar_listeners.FORMS, *draft_listeners.FORMS, CAMPAIGN_FORM_CALLBACK,
    TEMPLATE_FORM_CALLBACK,
)  # fmt: skip
GENERIC_ERROR = re.compile(r"reference `|referensi `|Traceback|Something went wrong|Ada yang salah")
# `/smm link <https://evil.example|click>` rightly makes a share kit for that address, whose
# links the bot labels itself; what must never reach Slack is the hostile label.
RAW_MENTION = re.compile(r"<!(channel|here|everyone)|<@U0BOSS|<https://evil\.example\|click>")


def random_word(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.25:
        return rng.choice(ACTIONS)
    if choice < 0.55:
        value = rng.choice(VALUES + HOSTILE)
        return f"{rng.choice(OPTION_KEYS)}={json.dumps(value, ensure_ascii=False)}"
    if choice < 0.75:
        return json.dumps(rng.choice(VALUES + HOSTILE), ensure_ascii=False)
    if choice < 0.85:
        return str(rng.choice([rng.randint(-5, 50), 10 ** rng.randint(5, 40)]))
    return rng.choice(VALUES + HOSTILE).replace(" ", "")


def random_command(rng: random.Random) -> str:
    words = [rng.choice(SUBCOMMANDS)]
    words += [random_word(rng) for _ in range(rng.randint(0, 6))]
    text = " ".join(words)
    if rng.random() < 0.1:
        text = text.upper()
    if rng.random() < 0.05:
        text = text.replace('"', "“", 1)  # an unclosed or curly quote
    return text


def random_value(rng: random.Random) -> str:
    return rng.choice([str(rng.randint(1, 20)), "abc", "99999999999999999999", "", "-3", "1.5"])


def random_metadata(rng: random.Random) -> str:
    return rng.choice(
        [
            "",
            "not json",
            "[1]",
            json.dumps({"item": rng.choice([1, "x", 10**30, None, True]), "channel": {"a": 1}}),
            json.dumps({"draft": random_value(rng), "draft_id": 10**25, "channel": "C0001"}),
            json.dumps({"template": rng.choice(["promo", "nope", 3]), "name": "<!channel>"}),
        ]
    )


@pytest.fixture
def fuzz_app(slack: SlackApiMock, tmp_path: Path) -> Iterator[AppProcess]:
    slack.set_user("U0ID", tz="Asia/Makassar", locale="id-ID")
    with AppProcess(
        api_url=slack.base_url,
        database_url=f"sqlite:///{tmp_path / 'fuzz.db'}",
        log_path=tmp_path / "app.log",
        SMMBOT_HTTP_THREADS="8",
    ) as process:
        yield process


def send_command(app: AppProcess, slack: SlackApiMock, text: str, user: str) -> str:
    body = slash_command_body(text, user_id=user, response_url=slack.response_url())
    return send(app, body, text)


def send_click(app: AppProcess, slack: SlackApiMock, rng: random.Random, user: str) -> str:
    if rng.random() < 0.6:
        action = rng.choice(BUTTONS)
        value = random_value(rng)
        body = block_actions_body(action, value, user_id=user, response_url=slack.response_url())
        return send(app, body, f"click {action}={value!r}")
    callback = rng.choice(FORMS)
    field = rng.choice(["when", "url", "name", "objective", "body", "start", "title"])
    values = {field: {"value": {"type": "plain_text_input", "value": rng.choice(VALUES)}}}
    body = view_submission_body(
        callback, values, user_id=user, private_metadata=random_metadata(rng)
    )
    return send(app, body, f"form {callback}")


def send(app: AppProcess, body: str, what: str) -> str:
    status, answer, _ = post_signed(
        f"{app.base_url}/slack/events", body, SIGNING_SECRET, content_type=FORM, timeout=10
    )
    assert status == 200, f"{what}: HTTP {status} {answer[:300]!r}"
    return answer.decode(errors="replace")


def texts_sent_to_slack(slack: SlackApiMock) -> list[tuple[str, str]]:
    return [(call.method, json.dumps(call.body, ensure_ascii=False)) for call in slack.calls()]


def test_random_commands_and_clicks_get_clear_answers(
    fuzz_app: AppProcess, slack: SlackApiMock
) -> None:
    rng = random.Random(SEED)
    jobs: list[tuple[str, Any]] = [("command", random_command(rng)) for _ in range(COMMANDS)]
    jobs += [("click", random.Random(SEED + index)) for index in range(CLICKS)]
    rng.shuffle(jobs)
    users = ("U0001", "U0ID")

    def run(job: tuple[int, tuple[str, Any]]) -> tuple[str, str]:
        index, (kind, item) = job
        user = users[index % 2]
        if kind == "command":
            return item, send_command(fuzz_app, slack, item, user)
        return "click", send_click(fuzz_app, slack, item, user)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=6) as pool:
        acknowledgements = list(pool.map(run, enumerate(jobs)))
    time.sleep(1.0)  # the last answers travel through response_url after the acknowledgement
    elapsed = time.monotonic() - started

    bad_acks = [(what, ack) for what, ack in acknowledgements if GENERIC_ERROR.search(ack)]
    assert not bad_acks[:5]
    sent = texts_sent_to_slack(slack)
    generic = [text[:300] for _, text in sent if GENERIC_ERROR.search(text)]
    assert not generic[:5], f"{len(generic)} generic errors"
    raw = [text[:300] for _, text in sent if RAW_MENTION.search(text)]
    assert not raw[:5], f"{len(raw)} raw mentions"
    logs = fuzz_app.logs()
    assert "Traceback" not in logs, logs[logs.find("Traceback") - 500 :][:3000]
    assert " ERROR " not in logs
    assert len(sent) > COMMANDS / 2  # most commands were answered through response_url
    assert elapsed < 120
