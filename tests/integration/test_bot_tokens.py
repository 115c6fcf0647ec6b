"""The bot tokens background sends use (OAuth mode): kept a minute, forgotten when this process
saves or deletes them, and worth one retry when Slack refuses a kept one."""

from __future__ import annotations

import time

import pytest
from slack_sdk.oauth.installation_store import Bot
from sqlalchemy import event, update

from smmbot.persistence.database import Database
from smmbot.services.outbox import RetryLater
from smmbot.slack.installations import TOKEN_CACHE_SECONDS, WorkspaceInstallations
from smmbot.slack.notifier import build_workspace_message_sender
from tests.support.slack_mock import SlackApiMock

CLIENT_ID = "111.222"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def installed(database: Database, clock: Clock, team_id: str, token: str) -> WorkspaceInstallations:
    installations = WorkspaceInstallations(CLIENT_ID, database.engine, clock=clock)
    installations.save_bot(bot(team_id, token))
    return installations


def bot(team_id: str, token: str) -> Bot:
    return Bot(
        app_id="A0SMMBOT",
        team_id=team_id,
        bot_token=token,
        bot_id="B0BOT",
        bot_user_id="U0BOT",
        installed_at=time.time(),
    )


def replace_token_behind_its_back(
    database: Database, installations: WorkspaceInstallations, token: str
) -> None:
    """What another bot process's reinstall leaves in the database."""
    with database.engine.begin() as connection:
        connection.execute(update(installations.bots).values(bot_token=token))


def test_a_workspace_token_is_looked_up_once_a_minute(database: Database) -> None:
    clock = Clock()
    installations = installed(database, clock, "T1", "xoxb-old")
    assert installations.bot_token("T1") == "xoxb-old"
    replace_token_behind_its_back(database, installations, "xoxb-new")
    clock.now += TOKEN_CACHE_SECONDS - 1
    assert installations.bot_token("T1") == "xoxb-old"
    clock.now += 1
    assert installations.bot_token("T1") == "xoxb-new"


def test_saving_or_deleting_a_bot_here_is_seen_at_once(database: Database) -> None:
    clock = Clock()
    installations = installed(database, clock, "T1", "xoxb-first")
    assert installations.bot_token("T1") == "xoxb-first"
    installations.save_bot(bot("T1", "xoxb-reinstalled"))
    assert installations.bot_token("T1") == "xoxb-reinstalled"
    installations.delete_bot(enterprise_id=None, team_id="T1")
    assert installations.bot_token("T1") is None


def test_a_workspace_without_a_token_is_not_kept(database: Database) -> None:
    clock = Clock()
    installations = WorkspaceInstallations(CLIENT_ID, database.engine, clock=clock)
    assert installations.bot_token("T2") is None
    WorkspaceInstallations(CLIENT_ID, database.engine).save_bot(bot("T2", "xoxb-two"))
    assert installations.bot_token("T2") == "xoxb-two"  # installed through another process


def test_only_a_kept_token_slack_refuses_is_worth_a_retry(database: Database) -> None:
    clock = Clock()
    installations = installed(database, clock, "T1", "xoxb-old")
    assert installations.bot_token("T1") == "xoxb-old"  # just looked up: refused means refused
    assert not installations.refused("T1", "xoxb-old")
    assert installations.bot_token("T1") == "xoxb-old"
    assert installations.bot_token("T1") == "xoxb-old"  # kept: it may be stale
    replace_token_behind_its_back(database, installations, "xoxb-new")
    assert installations.refused("T1", "xoxb-old")
    assert installations.bot_token("T1") == "xoxb-new"


def test_a_message_refused_with_a_stale_kept_token_goes_out_with_the_new_one(
    database: Database, slack: SlackApiMock
) -> None:
    clock = Clock()
    installations = installed(database, clock, "T1", "xoxb-old")
    sender = build_workspace_message_sender(
        bot_tokens=installations.bot_token, api_url=slack.base_url, refused=installations.refused
    )
    sender.send("T1", "C1", {"text": "first"})
    replace_token_behind_its_back(database, installations, "xoxb-new")  # reinstalled elsewhere
    slack.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "invalid_auth"})
    with pytest.raises(RetryLater, match="invalid_auth"):
        sender.send("T1", "C1", {"text": "second"})
    sender.send("T1", "C1", {"text": "second"})
    assert [call.token for call in slack.calls("chat.postMessage")] == [
        "xoxb-old",
        "xoxb-old",
        "xoxb-new",
    ]


def statements_on(database: Database) -> list[str]:
    """Every statement the engine runs from now on."""
    seen: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_claimed_batchs_tokens_are_looked_up_in_one_statement(database: Database) -> None:
    clock = Clock()
    installations = installed(database, clock, "T1", "xoxb-one-old")
    installations.save_bot(bot("T1", "xoxb-one"))  # reinstalled: the newest is the one
    installations.save_bot(bot("T2", "xoxb-two"))
    seen = statements_on(database)
    installations.keep_bot_tokens(["T1", "T2", "T3", "T1"])
    assert len(seen) == 1
    assert (installations.bot_token("T1"), installations.bot_token("T2")) == (
        "xoxb-one",
        "xoxb-two",
    )
    assert len(seen) == 1  # both kept
    assert installations.bot_token("T3") is None  # not installed: not kept, looked up again
    assert len(seen) == 2
    installations.keep_bot_tokens(["T1", "T2"])  # both still kept: no statement
    assert len(seen) == 2
    clock.now += TOKEN_CACHE_SECONDS
    installations.keep_bot_tokens(["T1"])
    assert len(seen) == 3


def test_a_token_looked_up_ahead_of_its_send_counts_as_fresh(database: Database) -> None:
    """Looked up a moment before its send, a token Slack refuses is refused for good, as one
    looked up for that send is; only a later send's use of it may have met a stale one."""
    clock = Clock()
    installations = installed(database, clock, "T1", "xoxb-revoked")
    installations.keep_bot_tokens(["T1"])
    assert installations.bot_token("T1") == "xoxb-revoked"
    assert not installations.refused("T1", "xoxb-revoked")
    installations.keep_bot_tokens(["T1"])
    assert installations.bot_token("T1") == "xoxb-revoked"
    assert installations.bot_token("T1") == "xoxb-revoked"
    assert installations.refused("T1", "xoxb-revoked")


def test_a_sender_prepared_for_a_batch_sends_it_without_a_lookup_each(
    database: Database, slack: SlackApiMock
) -> None:
    clock = Clock()
    installations = installed(database, clock, "T1", "xoxb-one")
    installations.save_bot(bot("T2", "xoxb-two"))
    sender = build_workspace_message_sender(
        bot_tokens=installations.bot_token,
        api_url=slack.base_url,
        refused=installations.refused,
        keep_tokens=installations.keep_bot_tokens,
    )
    seen = statements_on(database)
    sender.prepare(["T1", "T2"])
    sender.send("T1", "C1", {"text": "for one"})
    sender.send("T2", "C2", {"text": "for two"})
    assert len(seen) == 1
    assert [call.token for call in slack.calls("chat.postMessage")] == ["xoxb-one", "xoxb-two"]
