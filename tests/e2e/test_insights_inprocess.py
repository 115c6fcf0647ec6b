"""A post's own results and `/smm insights` through signed slash commands on the in-process
Bolt app, in English and Indonesian, as a member would type them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smmbot.persistence.models import CalendarItem
from smmbot.persistence.repositories import WorkspaceRepository
from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.inprocess import InProcessApp
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.e2e


def published(app: InProcessApp, due_at: datetime) -> int:
    with app.ctx.db.transaction() as session:
        WorkspaceRepository(session, "T0001").get_or_create(now=due_at)
        item = CalendarItem(
            team_id="T0001", due_at=due_at, timezone="Asia/Jakarta", text="Kopi susu baru",
            platform="instagram", channel_id="C0001", owner_id="U0001", status="published",
            published_url="https://www.instagram.com/p/KOPI1/", created_by="U0001",
            created_at=due_at, updated_at=due_at,
        )  # fmt: skip
        session.add(item)
        session.flush()
        return item.id


def say(app: InProcessApp, slack: SlackApiMock, text: str, user_id: str = "U0001") -> str:
    _, response_url = command(app, slack, text, user_id=user_id)
    return block_text(answer_to(slack, response_url))


def test_a_posts_results_feed_insights_in_both_languages(
    inprocess_app: InProcessApp, slack: SlackApiMock
) -> None:
    item = published(inprocess_app, datetime.now(UTC) - timedelta(days=2))
    assert "Which metric" not in say(inprocess_app, slack, f"log reach 500 post={item}")
    logged = say(inprocess_app, slack, f"log likes 40 post={item}")
    assert f"for post #{item} (Instagram)" in logged and "engagement rate is now 8.0%" in logged
    assert "There is no post #999999" in say(inprocess_app, slack, "log likes 1 post=999999")
    english = say(inprocess_app, slack, "insights platform=instagram")
    assert "1 post with results, median engagement rate 8.0%" in english
    assert "not enough data yet (1 post, 3 needed)" in english
    slack.set_user("U0ID", tz="Asia/Jakarta", locale="id-ID")
    indonesian = say(inprocess_app, slack, "wawasan", user_id="U0ID")
    assert "datanya belum cukup (1 postingan, perlu 3)" in indonesian
    refused = say(inprocess_app, slack, f"catat pengikut 5 pos={item}", user_id="U0ID")
    assert "bukan hasil postingan" in refused
