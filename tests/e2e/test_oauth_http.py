"""Multi-workspace (OAuth) mode: the real app installs into two workspaces through the mock's
oauth.v2.access, answers each with its own stored token, refuses a workspace it does not know,
sends background messages with the right token, and forgets a workspace that removes it."""

from __future__ import annotations

import base64
import http.client
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select, text

from smmbot.persistence.database import Database
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import PROJECT_ROOT, SIGNING_SECRET, AppProcess
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import JSON, event_callback_body, post_signed

pytestmark = pytest.mark.e2e

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "e2e-client-secret"
STATE_COOKIE = "slack-app-oauth-state"


@pytest.fixture
def app(slack: SlackApiMock, database_url: str, tmp_path: Path) -> Iterator[AppProcess]:
    slack.set_oauth_app(CLIENT_ID, CLIENT_SECRET)
    with AppProcess(
        api_url=slack.base_url,
        database_url=database_url,
        log_path=tmp_path / "app.log",
        unset=("SLACK_BOT_TOKEN",),
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SMMBOT_SCHEDULER_INTERVAL="1",
    ) as process:
        yield process


@dataclass(frozen=True)
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: str


def get(
    app: AppProcess, path: str, cookie: str | None = None, language: str = "en-US,en;q=0.9"
) -> Page:
    """A browser's GET, redirects not followed, so the test sees where the app sends it."""
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    headers = {"Accept-Language": language} | ({"Cookie": cookie} if cookie else {})
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return Page(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


@dataclass(frozen=True)
class InstallStart:
    location: str
    query: dict[str, str]
    cookie: str  # "slack-app-oauth-state=<state>", as the browser sends it back

    @property
    def state(self) -> str:
        return self.query["state"]


def start_install(app: AppProcess) -> InstallStart:
    page = get(app, "/slack/install")
    assert page.status == 302, page
    location = page.headers["Location"]
    query = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    cookie = page.headers["Set-Cookie"].split(";")[0]
    return InstallStart(location, query, cookie)


def redirect_back(
    app: AppProcess, *, code: str, state: str, cookie: str, language: str = "en-US,en;q=0.9"
) -> Page:
    """The installer's browser coming back from Slack to the app's redirect URL."""
    query = urlencode({"code": code, "state": state})
    return get(app, f"/slack/oauth_redirect?{query}", cookie, language)


def install(app: AppProcess, slack: SlackApiMock, team_id: str, team_name: str) -> str:
    """The whole install of one workspace; returns the bot token Slack issued for it."""
    started = start_install(app)
    grant = slack.approve_install(
        team_id=team_id, team_name=team_name, scope=started.query["scope"]
    )
    page = redirect_back(app, code=grant.code, state=started.state, cookie=started.cookie)
    assert page.status == 200, page
    assert "smmbot is installed" in page.body
    assert f"slack://app?team={team_id}&amp;id=" in page.body  # on to the Slack app
    assert "Expires=Thu, 01 Jan 1970" in page.headers["Set-Cookie"]  # the state is spent
    return grant.bot_token


def stored_bot_tokens(database: Database) -> dict[str, str]:
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT team_id, bot_token FROM slack_bots"))
        return {str(row.team_id): str(row.bot_token) for row in rows}


def installation_count(database: Database) -> int:
    with database.engine.connect() as connection:
        count: int = connection.scalar(text("SELECT count(*) FROM slack_installations")) or 0
        return count


def manifest_scopes() -> list[str]:
    manifest = yaml.safe_load((PROJECT_ROOT / "manifest" / "http.yaml").read_text())
    scopes: list[str] = manifest["oauth_config"]["scopes"]["bot"]
    return scopes


def test_install_sends_the_installer_to_slack_with_the_manifest_scopes_and_a_state(
    app: AppProcess, slack: SlackApiMock
) -> None:
    started = start_install(app)
    assert started.location.startswith(f"{slack.root_url}/oauth/v2/authorize?")
    assert started.query["client_id"] == CLIENT_ID
    assert started.query["scope"].split(",") == manifest_scopes()
    assert started.cookie == f"{STATE_COOKIE}={started.state}"
    assert len(started.state) >= 32
    assert start_install(app).state != started.state


def test_each_installed_workspace_is_answered_with_its_own_token(
    app: AppProcess, slack: SlackApiMock, database: Database
) -> None:
    alpha = install(app, slack, "T0ALPHA", "Alpha Coffee")
    beta = install(app, slack, "T0BETA", "Beta Batik")
    assert alpha != beta
    exchanges = slack.calls("oauth.v2.access")
    assert len(exchanges) == 2
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert {call.header("Authorization") for call in exchanges} == {f"Basic {basic}"}
    assert stored_bot_tokens(database) == {"T0ALPHA": alpha, "T0BETA": beta}

    for team_id, user_id, token in (("T0ALPHA", "U0A1", alpha), ("T0BETA", "U0B1", beta)):
        status, url = command(app, slack, "help", team_id=team_id, user_id=user_id)
        assert status == 200
        assert "/smm draft" in block_text(answer_to(slack, url))
        lookups = [call for call in slack.calls("users.info") if call.body["user"] == user_id]
        assert [call.token for call in lookups] == [token]
    tokens_checked = {call.token for call in slack.calls("auth.test")}
    assert {alpha, beta} <= tokens_checked


def test_a_forged_state_gets_the_error_page_and_nothing_is_stored(
    app: AppProcess, slack: SlackApiMock, database: Database
) -> None:
    started = start_install(app)
    grant = slack.approve_install(team_id="T0EVIL", team_name="Evil", scope=started.query["scope"])
    not_this_browser = redirect_back(app, code=grant.code, state="forged", cookie=started.cookie)
    not_issued = redirect_back(
        app, code=grant.code, state="forged", cookie=f"{STATE_COOKIE}=forged"
    )
    assert (not_this_browser.status, not_issued.status) == (400, 401)
    assert "smmbot could not be installed" in not_issued.body
    assert "invalid_state" in not_issued.body
    assert slack.calls("oauth.v2.access") == []
    assert installation_count(database) == 0


def test_an_unknown_code_gets_the_error_page(
    app: AppProcess, slack: SlackApiMock, database: Database
) -> None:
    started = start_install(app)
    page = redirect_back(app, code="never-issued", state=started.state, cookie=started.cookie)
    assert page.status == 401
    assert slack.last("oauth.v2.access").body["code"] == "never-issued"
    assert installation_count(database) == 0


def test_a_workspace_without_installation_is_refused_and_the_app_carries_on(
    app: AppProcess, slack: SlackApiMock
) -> None:
    status, url = command(app, slack, "help", team_id="T0STRANGER")
    assert status == 200
    refusal = answer_to(slack, url)
    assert "not installed in this workspace" in str(refusal["text"])
    assert "belum dipasang" in str(refusal["text"])
    assert slack.calls("users.info") == []
    assert app.health() == 200
    assert "Traceback" not in app.logs()


def test_background_messages_go_out_with_their_workspace_token(
    app: AppProcess, slack: SlackApiMock, database: Database
) -> None:
    install(app, slack, "T0ALPHA", "Alpha Coffee")
    beta = install(app, slack, "T0BETA", "Beta Batik")
    today = datetime.now(ZoneInfo("Asia/Jakarta")).strftime("%A").lower()
    _, url = command(
        app,
        slack,
        f"digest settings day={today} time=00:00",
        team_id="T0BETA",
        user_id="U0B1",
        channel_id="C0BETA",
    )
    answer_to(slack, url)
    for days_ago in (8, 15):  # two weeks of numbers, so the digest carries its chart
        day = (datetime.now(ZoneInfo("Asia/Jakarta")) - timedelta(days=days_ago)).date()
        _, url = command(
            app,
            slack,
            f"log social_sessions {100 + days_ago} date={day.isoformat()}",
            team_id="T0BETA",
            user_id="U0B1",
            channel_id="C0BETA",
        )
        answer_to(slack, url)
    with database.transaction() as session:  # a reminder that fell due, as the calendar plans it
        WorkspaceRepository(session, "T0BETA").get_or_create(now=datetime.now(UTC))
        OutboxRepository(session, "T0BETA").enqueue(
            kind="due",
            dedupe_key="T0BETA:e2e:reminder",
            channel_id="C0BREMIND",
            due_at=datetime.now(UTC) - timedelta(seconds=1),
            payload={"text": "Post the batik reel now"},
        )
    slack.wait_for("files.completeUploadExternal", timeout=30)
    posts = {call.channel: call for call in slack.wait_for("chat.postMessage", count=2)}
    assert posts["C0BREMIND"].body["text"] == "Post the batik reel now"
    assert {call.token for call in posts.values()} == {beta}
    for method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
        assert {call.token for call in slack.calls(method)} == {beta}


@pytest.mark.parametrize(
    "removal",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UT0ALPHABOT"]}},
    ],
    ids=["app_uninstalled", "tokens_revoked"],
)
def test_removing_the_app_forgets_the_workspace_and_fails_its_messages(
    app: AppProcess, slack: SlackApiMock, database: Database, removal: dict[str, object]
) -> None:
    alpha = install(app, slack, "T0ALPHA", "Alpha Coffee")
    beta = install(app, slack, "T0BETA", "Beta Batik")
    command(app, slack, "help", team_id="T0ALPHA")  # auth.test's answer is cached from now on
    event = event_callback_body(removal, team_id="T0ALPHA")
    status, _, _ = post_signed(
        f"{app.base_url}/slack/events", event, SIGNING_SECRET, content_type=JSON
    )
    assert status == 200
    deadline = time.monotonic() + 10
    while "T0ALPHA" in stored_bot_tokens(database) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stored_bot_tokens(database) == {"T0BETA": beta}

    with database.transaction() as session:
        WorkspaceRepository(session, "T0ALPHA").get_or_create(now=datetime.now(UTC))
        OutboxRepository(session, "T0ALPHA").enqueue(
            kind="due",
            dedupe_key="T0ALPHA:e2e:orphan",
            channel_id="C0ALPHA",
            due_at=datetime.now(UTC) - timedelta(seconds=1),
            payload={"text": "nobody to send this"},
        )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with database.transaction() as session:
            row = session.scalars(select(OutboxMessage)).one()
            if row.status == "failed":
                break
        time.sleep(0.2)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "no installation" in (row.last_error or "")
    assert "team T0ALPHA" in app.logs() and "no installation" in app.logs()
    assert all(call.token != alpha for call in slack.calls("chat.postMessage"))

    status, url = command(app, slack, "help", team_id="T0ALPHA")
    assert status == 200
    assert "not installed in this workspace" in str(answer_to(slack, url)["text"])


def test_oauth_mode_refuses_to_start_without_a_signing_secret(
    slack: SlackApiMock, tmp_path: Path
) -> None:
    env = AppProcess(
        api_url=slack.base_url,
        database_url=f"sqlite:///{tmp_path / 'never.db'}",
        log_path=tmp_path / "app.log",
        unset=("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
    ).env
    finished = subprocess.run(
        [sys.executable, "app.py"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 1
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs SLACK_SIGNING_SECRET" in lines[0], finished.stderr
    assert not (tmp_path / "never.db").exists()


def test_install_routes_are_not_found_in_single_workspace_mode(
    slack: SlackApiMock, database_url: str, tmp_path: Path
) -> None:
    with AppProcess(
        api_url=slack.base_url, database_url=database_url, log_path=tmp_path / "app.log"
    ) as single:
        for path in ("/slack/install", "/slack/oauth_redirect?code=x&state=y"):
            assert get(single, path).status == 404
        event = event_callback_body({"type": "app_uninstalled"})
        status, _, _ = post_signed(
            f"{single.base_url}/slack/events", event, SIGNING_SECRET, content_type=JSON
        )
        assert status == 200
    assert "Unhandled request" not in single.logs()


def test_the_install_pages_speak_the_browsers_language(
    app: AppProcess, slack: SlackApiMock
) -> None:
    started = start_install(app)
    grant = slack.approve_install(team_id="T0ID", team_name="Toko", scope=started.query["scope"])
    indonesian = "id-ID,id;q=0.9,en-US;q=0.8"
    done = redirect_back(
        app, code=grant.code, state=started.state, cookie=started.cookie, language=indonesian
    )
    assert done.status == 200 and "smmbot sudah terpasang" in done.body
    failed = redirect_back(
        app, code="used", state="forged", cookie=f"{STATE_COOKIE}=forged", language=indonesian
    )
    assert "smmbot gagal dipasang" in failed.body and 'lang="id"' in failed.body
