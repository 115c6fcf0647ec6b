"""The download guard for shared files, against the local Slack mock (no network)."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient

from smmbot.services.metrics_import_files import DownloadError, DownloadProblem
from smmbot.slack.files import download, is_trusted, shared_file, shared_files
from tests.support.app_process import free_port
from tests.support.slack_mock import SlackApiMock

TOKEN = "xoxb-guard"
SLACK_API = "https://slack.com/api/"
CSV = b"date,metric,value\n2026-11-23,followers,1200\n"


@pytest.mark.parametrize(
    ("url", "api_url", "trusted"),
    [
        ("https://files.slack.com/files-pri/T1-F1/download/a.csv", SLACK_API, True),
        ("https://slack.com/files-pri/T1-F1/a.csv", SLACK_API, True),
        ("http://files.slack.com/files-pri/T1-F1/download/a.csv", SLACK_API, False),
        ("https://files.slack.com:8443/files-pri/T1-F1/a.csv", SLACK_API, False),
        ("https://files.slack.com.evil.example/a.csv", SLACK_API, False),
        ("https://evil.example/files.slack.com/a.csv", SLACK_API, False),
        ("https://me@files.slack.com/a.csv", SLACK_API, False),
        ("https://files.slack-gov.com/a.csv", "https://slack-gov.com/api/", True),
        ("https://files.slack-gov.com/a.csv", SLACK_API, False),
        ("http://127.0.0.1:5000/files-pri/a.csv", "http://127.0.0.1:5000/api/", True),
        ("http://127.0.0.1:5001/files-pri/a.csv", "http://127.0.0.1:5000/api/", False),
        ("file:///etc/passwd", SLACK_API, False),
        ("", SLACK_API, False),
    ],
)
def test_the_token_only_goes_to_slack(url: str, api_url: str, trusted: bool) -> None:
    assert is_trusted(url, api_url) is trusted


def fetch(slack: SlackApiMock, url: str, *, timeout: float = 5.0) -> bytes:
    return download(url, token=TOKEN, api_url=slack.base_url, timeout=timeout)


def problem_of(slack: SlackApiMock, url: str, *, timeout: float = 5.0) -> DownloadError:
    with pytest.raises(DownloadError) as raised:
        fetch(slack, url, timeout=timeout)
    return raised.value


def test_a_shared_file_is_downloaded_with_the_bot_token(slack: SlackApiMock) -> None:
    info = slack.add_file("metrics.csv", CSV, token=TOKEN)
    assert fetch(slack, info["url_private_download"]) == CSV
    [call] = slack.calls("file_download")
    assert call.header("authorization") == f"Bearer {TOKEN}"


def test_an_untrusted_address_is_never_contacted(slack: SlackApiMock) -> None:
    info = slack.add_file("metrics.csv", CSV, token=TOKEN)
    with pytest.raises(DownloadError) as raised:
        download(info["url_private_download"], token=TOKEN, api_url=SLACK_API)
    assert raised.value.problem is DownloadProblem.UNTRUSTED_HOST
    assert slack.calls() == []


def test_at_most_one_byte_more_than_the_limit_is_read(slack: SlackApiMock) -> None:
    info = slack.add_file("big.csv", CSV * 1000, token=TOKEN)
    content = download(
        info["url_private_download"], token=TOKEN, api_url=slack.base_url, max_bytes=100
    )
    assert content == (CSV * 1000)[:101]


def test_a_sign_in_page_instead_of_the_file_is_recognised(slack: SlackApiMock) -> None:
    """Without files:read Slack answers 200 with its HTML sign-in page, not an error."""
    info = slack.add_file("metrics.csv", CSV, token="xoxb-a-token-with-files-read")
    error = problem_of(slack, info["url_private_download"])
    assert error.problem is DownloadProblem.NOT_ALLOWED
    assert slack.last("file_download").token == TOKEN


@pytest.mark.parametrize("page", [b"  <!DOCTYPE html><html>Sign in</html>", b"<HTML>x</HTML>"])
def test_html_labelled_as_csv_is_not_imported(slack: SlackApiMock, page: bytes) -> None:
    info = slack.add_file("metrics.csv", page, token=TOKEN)
    assert problem_of(slack, info["url_private_download"]).problem is DownloadProblem.NOT_ALLOWED


@pytest.mark.parametrize(
    ("status", "problem"),
    [
        (403, DownloadProblem.NOT_ALLOWED),
        (404, DownloadProblem.FAILED),
        (500, DownloadProblem.FAILED),
    ],
)
def test_http_errors_are_reported(
    slack: SlackApiMock, status: int, problem: DownloadProblem
) -> None:
    info = slack.add_file("metrics.csv", CSV, token=TOKEN)
    slack.fail_next("file_download", status=status)
    error = problem_of(slack, info["url_private_download"])
    assert (error.problem, error.detail) == (problem, f"HTTP {status}")


def test_a_slow_download_times_out(slack: SlackApiMock) -> None:
    info = slack.add_file("metrics.csv", CSV, token=TOKEN)
    slack.set_delay("file_download", 5)
    started = time.monotonic()
    error = problem_of(slack, info["url_private_download"], timeout=0.3)
    assert error.problem is DownloadProblem.TIMEOUT
    assert time.monotonic() - started < 3


def test_a_server_that_is_not_there_is_reported() -> None:
    api_url = f"http://127.0.0.1:{free_port()}/api/"
    with pytest.raises(DownloadError) as raised:
        download(api_url + "../files-pri/T1-F1/a.csv", token=TOKEN, api_url=api_url)
    assert raised.value.problem is DownloadProblem.FAILED


def test_redirects_keep_the_token_on_slack(slack: SlackApiMock) -> None:
    moved = slack.add_file("metrics.csv", CSV, token=TOKEN)
    first = slack.add_file("old.csv", b"", token=TOKEN)
    slack.fail_next("file_download", 302, headers={"Location": moved["url_private_download"]})
    assert fetch(slack, first["url_private_download"]) == CSV
    assert [call.token for call in slack.calls("file_download")] == [TOKEN, TOKEN]

    elsewhere = f"http://127.0.0.1:{free_port()}/steal"
    slack.fail_next("file_download", 302, headers={"Location": elsewhere})
    assert problem_of(slack, first["url_private_download"]).problem is (
        DownloadProblem.UNTRUSTED_HOST
    )
    sign_in = "https://mock.slack.com/?redir=%2Ffiles-pri%2FT0001-F1"
    slack.fail_next("file_download", 302, headers={"Location": sign_in})
    assert problem_of(slack, first["url_private_download"]).problem is DownloadProblem.NOT_ALLOWED


def test_a_missing_address_fails_without_a_request(slack: SlackApiMock) -> None:
    assert problem_of(slack, "").problem is DownloadProblem.FAILED
    assert slack.calls() == []


def test_slack_file_objects_and_stubs_become_shared_files(slack: SlackApiMock) -> None:
    info = slack.add_file("Q4 <report>.csv", CSV, token=TOKEN)
    client = WebClient(token=TOKEN, base_url=slack.base_url)
    stub = {"id": info["id"], "file_access": "check_file_info"}
    full, completed, unknown = shared_files(
        [info, stub, {"id": "F404", "file_access": "check_file_info"}], client
    )
    assert full == completed == shared_file(info)
    assert (full.name, full.filetype, full.size) == ("Q4 <report>.csv", "csv", len(CSV))
    assert full.url == info["url_private_download"]
    assert (unknown.file_id, unknown.url, unknown.size) == ("F404", "", None)
