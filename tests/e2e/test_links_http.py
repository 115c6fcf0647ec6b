"""`/smm link` and `/r/<code>` through the real app: kit over Slack, redirects, counted clicks."""

from __future__ import annotations

import http.client
import json
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from smmbot.persistence.database import create_database_engine
from smmbot.persistence.models import LinkClick
from tests.e2e.test_http_app import answer_to, command
from tests.support.app_process import AppProcess
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.e2e

PUBLIC_URL = "https://go.toko.id"
TAGGED = (
    "https://toko.id/menu?x=1&utm_source=instagram&utm_medium=social&utm_campaign=ramadan-sale#top"
)
ENCODED = (
    "https%3A%2F%2Ftoko.id%2Fmenu%3Fx%3D1%26utm_source%3Dinstagram"
    "%26utm_medium%3Dsocial%26utm_campaign%3Dramadan-sale%23top"
)


@pytest.fixture
def app(slack: SlackApiMock, database_url: str, tmp_path: Path) -> Iterator[AppProcess]:
    with AppProcess(
        api_url=slack.base_url,
        database_url=database_url,
        log_path=tmp_path / "app.log",
        SMMBOT_PUBLIC_URL=PUBLIC_URL + "/",  # a trailing slash must not double up
    ) as process:
        yield process


def kit_texts(app: AppProcess, slack: SlackApiMock, text: str) -> list[str]:
    status, response_url = command(app, slack, text)
    assert status == 200
    blocks = answer_to(slack, response_url)["blocks"]
    assert isinstance(blocks, list)
    texts = []
    for block in blocks:
        texts += [block.get("text", {}).get("text", "")]
        texts += [field["text"] for field in block.get("fields", [])]
        texts += [element["text"] for element in block.get("elements", [])]
    return texts


def visit(
    app: AppProcess, path: str, method: str = "GET", agent: str = "Mozilla/5.0"
) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=5)
    try:
        connection.request(method, path, headers={"User-Agent": agent})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def click_rows(database_url: str) -> list[tuple[str, str, str, str]]:
    engine = create_database_engine(database_url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                select(LinkClick.code, LinkClick.team_id, LinkClick.campaign, LinkClick.source)
            )
            return [(row.code, row.team_id, row.campaign, row.source) for row in found]
    finally:
        engine.dispose()


def test_kit_redirects_and_clicks_end_to_end(
    app: AppProcess, slack: SlackApiMock, database_url: str
) -> None:
    texts = kit_texts(
        app,
        slack,
        'link https://toko.id/menu?x=1#top campaign="Ramadan Sale" source=instagram',
    )
    joined = "\n".join(texts)
    assert f"<{TAGGED.replace('&', '&amp;')}>" in joined
    short = re.search(re.escape(PUBLIC_URL) + r"/r/([A-Za-z0-9]{7})>", joined)
    assert short is not None, joined
    code = short.group(1)
    shared = r"https%3A%2F%2Fgo.toko.id%2Fr%2F([A-Za-z0-9]{7})"
    [facebook] = re.findall(r"<https://www.facebook.com/sharer/sharer.php\?u=" + shared, joined)
    [whatsapp] = re.findall(r"<https://wa.me/\?text=" + shared, joined)
    assert len({code, facebook, whatsapp}) == 3  # each button its own network's tracked link

    timings = []
    for _ in range(20):
        started = time.monotonic()
        assert visit(app, f"/r/{code}") == (302, TAGGED)
        timings.append(time.monotonic() - started)
    assert statistics.median(timings) < 0.1 and max(timings) < 1.0, timings
    assert visit(app, f"/r/{code}", method="HEAD") == (302, TAGGED)
    assert visit(app, f"/r/{code}", agent="facebookexternalhit/1.1") == (302, TAGGED)
    assert visit(app, "/r/nope")[0] == 404
    assert visit(app, "/r/")[0] == 404

    assert app.stop() == 0  # SIGTERM: queued clicks are written before the process exits
    assert click_rows(database_url) == [(code, "T0001", "ramadan-sale", "instagram")] * 20


def test_kit_without_source_and_mrkdwn_injection(app: AppProcess, slack: SlackApiMock) -> None:
    texts = kit_texts(app, slack, 'link "https://toko.id/<!channel>" campaign="<!channel>"')
    for text in texts:
        assert "<!" not in text, text
        assert text.count("<") == len(re.findall(r"<https://[^<>|]+(?:\|[^<>]*)?>", text))
    joined = json.dumps(texts)
    assert "https://toko.id/%3C!channel%3E?utm_source=share&amp;utm_medium=social" in joined
    assert "utm_campaign=channel" in joined
    short_links = re.findall(r"go.toko.id(?:/|%2F)r(?:/|%2F)([A-Za-z0-9]{7})", joined)
    assert len(set(short_links)) == 6  # the kit's own link + one per network


def test_source_whatsapp_tags_only_the_whatsapp_button(
    app: AppProcess, slack: SlackApiMock
) -> None:
    joined = "\n".join(kit_texts(app, slack, "link https://toko.id/menu source=whatsapp"))
    [kit_code] = re.findall(re.escape(PUBLIC_URL) + r"/r/([A-Za-z0-9]{7})>", joined)
    shared = r"https%3A%2F%2Fgo.toko.id%2Fr%2F([A-Za-z0-9]{7})"
    [whatsapp] = re.findall(r"<https://wa.me/\?text=" + shared, joined)
    [facebook] = re.findall(r"<https://www.facebook.com/sharer/sharer.php\?u=" + shared, joined)
    assert whatsapp == kit_code and facebook != kit_code
    assert "utm_source=whatsapp&amp;utm_medium=social" in joined
    assert "utm_source `whatsapp` (each share button: its own network)" in joined
