"""The website features in a real browser: headless Chromium (Debian's package) via Selenium.

One app (HTTP mode, mock Slack, SQLite) and one browser for the module. A local page on another
origin embeds the snippet `/smm sharebar` gives; the test tabs through the buttons, clicks each,
checks the share URL it opens and the beacon it sends, and `digest now` shows the shares. The
link-in-bio page is rendered at a phone's size (390x844), screenshotted and its links followed.
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select

from smmbot.persistence.database import create_database_engine
from smmbot.persistence.models import MetricReading
from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import AppProcess
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
CANONICAL = "https://toko.example/artikel?id=5"
RECORDER = """
window.__opened = []; window.__beacons = []; window.__copied = [];
window.open = function (url) { window.__opened.push(url); return null; };
const send = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = function (url, body) {
  window.__beacons.push([url, body]); return send(url, body); };
Object.defineProperty(navigator, "clipboard", { configurable: true, value: {
  writeText: function (text) { window.__copied.push(text); return Promise.resolve(); } } });
"""

if shutil.which(CHROMEDRIVER) is None or not os.path.exists(CHROMIUM):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs Debian's chromium and chromium-driver (see .ci/run)")
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402  (only once the browser is known to be there)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


class _Pages(BaseHTTPRequestHandler):
    """The company website: `/article` embeds the snippet, any other path is a landing page."""

    snippet = ""

    def do_GET(self) -> None:
        if self.path == "/article":
            body = (
                '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<link rel="canonical" href="{CANONICAL}"><title>Article</title></head>'
                f"<body><h1>Our article</h1><p>Text.</p>{self.snippet}</body></html>"
            )
        elif self.path == "/artikel":
            body = (
                '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Artikel</title>'
                "</head><body><h1>Artikel</h1><div data-smmbot-share></div><p>Isi.</p>"
                f"{self.snippet}</body></html>"
            )
        else:
            body = f"<!doctype html><title>Landing</title><p>Landed on {html.escape(self.path)}"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def slack() -> Iterator[SlackApiMock]:
    with SlackApiMock() as mock:
        yield mock


@pytest.fixture(scope="module")
def app(slack: SlackApiMock, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppProcess]:
    folder = tmp_path_factory.mktemp("website")
    process = AppProcess(
        api_url=slack.base_url,
        database_url=f"sqlite:///{folder / 'smmbot.db'}",
        log_path=folder / "app.log",
    )
    process.env["SMMBOT_PUBLIC_URL"] = process.base_url
    with process:
        yield process


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(argument)
    options.add_argument(f"--user-agent={PHONE_AGENT}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    yield driver
    driver.quit()


def _readings(app: AppProcess, metric: str, timeout: float = 10.0, want: int = 0) -> dict[str, int]:
    engine = create_database_engine(app.env["DATABASE_URL"])
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as connection:
                rows = connection.execute(
                    select(MetricReading.platform, func.sum(MetricReading.value))
                    .where(MetricReading.metric == metric)
                    .group_by(MetricReading.platform)
                ).all()
            found = {platform: int(Decimal(total)) for platform, total in rows}
            if sum(found.values()) >= want or time.monotonic() > deadline:
                return found
            time.sleep(0.1)
    finally:
        engine.dispose()


def _share_url(network: str) -> str:
    tagged = f"{CANONICAL}&utm_source={network}&utm_medium=social&utm_campaign=ramadan"
    encoded = quote(tagged, safe="-_.!~*'()")
    return {
        "facebook": "https://www.facebook.com/sharer/sharer.php?u=" + encoded,
        "x": "https://x.com/intent/post?url=" + encoded,
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url=" + encoded,
        "whatsapp": "https://wa.me/?text=" + encoded,
        "telegram": "https://t.me/share/url?url=" + encoded,
    }[network]


def test_share_bar_renders_shares_and_counts_in_the_digest(
    app: AppProcess, slack: SlackApiMock, site: str, browser: webdriver.Chrome
) -> None:
    _, url = command(app, slack, "sharebar campaign=Ramadan", channel_id="C0WEB")
    blocks: list[dict[str, Any]] = json.loads(json.dumps(answer_to(slack, url)["blocks"]))
    [code] = [b["text"]["text"] for b in blocks if b.get("text", {}).get("text", "")[:3] == "```"]
    snippet = html.unescape(code.strip("`"))
    assert snippet.startswith(f'<script src="{app.base_url}/share.js" data-smmbot="')
    _Pages.snippet = snippet
    browser.get(f"{site}/article")
    buttons = browser.find_elements(By.CSS_SELECTOR, ".smmbot-share__button")
    networks = [str(button.get_attribute("data-network")) for button in buttons]
    assert networks == ["facebook", "x", "linkedin", "whatsapp", "telegram", "copy"]
    assert buttons[0].get_attribute("aria-label") == "Share on Facebook"
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    reached = []
    for _ in networks:
        reached.append(browser.switch_to.active_element.get_attribute("data-network"))
        browser.switch_to.active_element.send_keys(Keys.TAB)
    assert reached == networks
    for button in buttons:
        button.click()
    buttons[0].click()  # the same visitor, page and network again: not counted twice
    opened = browser.execute_script("return window.__opened")
    assert opened == [_share_url(n) for n in networks[:5]] + [_share_url("facebook")]
    copied = browser.execute_script("return window.__copied")
    assert copied == [f"{CANONICAL}&utm_source=copy&utm_medium=social&utm_campaign=ramadan"]
    beacons = browser.execute_script("return window.__beacons")
    assert [target for target, _ in beacons] == [f"{app.base_url}/api/share"] * 7
    assert [json.loads(payload)["n"] for _, payload in beacons] == [*networks, "facebook"]
    assert {json.loads(payload)["u"] for _, payload in beacons} == {CANONICAL}
    assert {json.loads(payload)["c"] for _, payload in beacons} == {"ramadan"}
    assert _readings(app, "shares", want=6) == dict.fromkeys(networks, 1)
    browser.get(f"{site}/artikel")  # Indonesian, into <div data-smmbot-share>
    placed = browser.find_elements(By.CSS_SELECTOR, "div[data-smmbot-share] .smmbot-share__button")
    assert [b.get_attribute("aria-label") or b.text for b in placed][::5] == [
        "Bagikan ke Facebook",
        "Salin tautan",
    ]
    assert len(browser.find_elements(By.CSS_SELECTOR, ".smmbot-share")) == 1
    _, url = command(app, slack, "digest now", channel_id="C0WEB")
    digest = block_text(answer_to(slack, url))
    assert "From your website's share bar: *6* shares" in digest
    assert "WhatsApp 1" in digest and "Facebook 1" in digest


def _get(app: AppProcess, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    answer = (
        response.status,
        {k.lower(): v for k, v in response.getheaders()},
        response.read().decode(),
    )
    connection.close()
    return answer


def test_bio_page_on_a_phone_escapes_titles_and_counts_clicks(
    app: AppProcess,
    slack: SlackApiMock,
    site: str,
    browser: webdriver.Chrome,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    for text in (
        f'bio add {site}/menu title="Menu <b>& more</b>"',
        f'bio add {site}/promo title="Promo Ramadan"',
        'bio settings title="Toko Kopi Senja"',
    ):
        _, url = command(app, slack, text)
        answer = block_text(answer_to(slack, url))
    page_url = re.search(rf"{re.escape(app.base_url)}/b/[a-z0-9]+", answer).group(0)  # type: ignore[union-attr]
    path = urlsplit(page_url).path
    status, headers, page = _get(app, path, **{"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})
    assert status == 200 and '<html lang="id">' in page
    assert "Menu &lt;b&gt;&amp; more&lt;/b&gt;" in page and "<script" not in page
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"]
    assert len(page.encode()) < 4_000
    assert _get(app, "/b/nosuchpage")[0] == 404
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    browser.get(page_url)
    links = browser.find_elements(By.CSS_SELECTOR, "nav a")
    assert [link.text for link in links] == ["Menu <b>& more</b>", "Promo Ramadan"]
    assert all(link.size["width"] > 300 for link in links)  # full-width tap targets
    shot = tmp_path_factory.mktemp("screenshots") / "bio-390x844.png"
    browser.save_screenshot(str(shot))
    print(f"bio page screenshot: {shot}")
    assert shot.stat().st_size > 5_000
    for index, landing in enumerate(("/menu", "/promo")):
        browser.get(page_url)
        browser.find_elements(By.CSS_SELECTOR, "nav a")[index].click()
        assert browser.current_url.startswith(f"{site}{landing}?utm_source=bio")
    assert _readings(app, "link_clicks", want=2) == {"bio": 2}
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _post(
    app: AppProcess, path: str, body: bytes, method: str = "POST", agent: str = PHONE_AGENT
) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    connection.request(
        method, path, body=body, headers={"User-Agent": agent, "Content-Type": "text/plain"}
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}


def test_share_api_answers_cors_and_refuses_bad_input(app: AppProcess) -> None:
    status, headers = _post(app, "/api/share", b"", method="OPTIONS")
    assert status == 204 and headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    assert _post(app, "/api/share", b"not json")[0] == 400
    assert _post(app, "/api/share", b'{"k": "x", "n": "myspace", "u": "https://a.b"}')[0] == 400
    unknown = json.dumps({"k": "nosuchkey12345", "n": "x", "u": "https://a.b/"}).encode()
    assert _post(app, "/api/share", unknown)[0] == 404
    assert _post(app, "/api/share", b"{" * 5_000)[0] == 413
    assert _post(app, "/api/share", unknown, agent="Googlebot/2.1")[0] == 204
    status, headers, script = _get(app, "/share.js")
    assert status == 200 and "max-age=" in headers["cache-control"] and "set-cookie" not in headers
    for forbidden in ("document.cookie", "localStorage", "sessionStorage", "fetch(", "XMLHttp"):
        assert forbidden not in script
    assert _get(app, "/share.js", **{"If-None-Match": headers["etag"]})[0] == 304
    assert _get(app, "/r/https:%2F%2Fevil.example")[0] == 404
