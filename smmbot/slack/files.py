"""Fetching a file a member shared with the bot: the Slack side of `services.metrics_import_files`.

The bot token opens every file the bot can see, so it only ever goes to Slack's file server or
to the configured Web API host (GovSlack, the test mock): over HTTPS, or over the API URL's own
scheme and port, and never along a redirect that leaves those hosts. When the app lacks the
`files:read` scope Slack does not fail the download, it answers with its HTML sign-in page
(or a redirect to it); that is recognised and reported instead of being imported as data.
"""

from __future__ import annotations

import contextlib
import http.client
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from typing import IO, Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from smmbot.services.metrics_import import MAX_BYTES
from smmbot.services.metrics_import_files import (
    Download,
    DownloadError,
    DownloadProblem,
    SharedFile,
)

FILES_HOST = "files.slack.com"
TIMEOUT_SECONDS = 20.0
_CHUNK = 64 * 1024
_HTML_STARTS = (b"<!doctype html", b"<html")


def shared_file(raw: Mapping[str, Any]) -> SharedFile:
    size = raw.get("size")
    return SharedFile(
        file_id=str(raw.get("id", "")),
        name=str(raw.get("name") or raw.get("title") or raw.get("id", "")),
        filetype=str(raw.get("filetype", "")),
        mimetype=str(raw.get("mimetype", "")),
        size=size if isinstance(size, int) else None,
        url=str(raw.get("url_private_download") or raw.get("url_private") or ""),
    )


def shared_files(raw_files: Iterable[Mapping[str, Any]], client: WebClient) -> list[SharedFile]:
    """Slack sometimes sends only a stub (`file_access: check_file_info`, e.g. for files from
    another organisation); files.info fills it in, and a stub it cannot fill fails to download."""
    files = []
    for raw in raw_files:
        if raw.get("file_access") == "check_file_info":
            with contextlib.suppress(SlackApiError, KeyError):
                raw = client.files_info(file=str(raw.get("id", "")))["file"]
        files.append(shared_file(raw))
    return files


def is_trusted(url: str, api_url: str) -> bool:
    """Whether the bot token may be sent to ``url``."""
    target, api = urlsplit(url), urlsplit(api_url)
    if not target.hostname or target.username is not None or target.password is not None:
        return False
    if (target.scheme, target.hostname, target.port) == (api.scheme, api.hostname, api.port):
        return True
    slack_hosts = {FILES_HOST, api.hostname, f"files.{api.hostname}"}
    return target.scheme == "https" and target.port is None and target.hostname in slack_hosts


def _is_slack_domain(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "slack.com" or host.endswith(".slack.com")


class _TrustedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only between trusted hosts, adding the token there; urllib would
    otherwise forward it (ordinary headers survive redirects) or follow anywhere."""

    def __init__(self, token: str, api_url: str) -> None:
        self._token = token
        self._api_url = api_url

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_trusted(newurl, self._api_url):
            fp.close()
            if _is_slack_domain(newurl):  # Slack sends an unauthorised client to sign in
                raise DownloadError(DownloadProblem.NOT_ALLOWED, f"redirected to {newurl}")
            raise DownloadError(DownloadProblem.UNTRUSTED_HOST, urlsplit(newurl).hostname or "")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.add_unredirected_header("Authorization", f"Bearer {self._token}")
        return new


def download(
    url: str,
    *,
    token: str,
    api_url: str,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    proxy: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> bytes:
    """At most ``max_bytes + 1`` bytes of the file (one more tells the importer it is too large),
    within ``timeout`` seconds in all, or a `DownloadError` saying why not."""
    if not url:
        raise DownloadError(DownloadProblem.FAILED, "Slack gave no download address")
    if not is_trusted(url, api_url):
        raise DownloadError(DownloadProblem.UNTRUSTED_HOST, urlsplit(url).hostname or url)
    request = urllib.request.Request(url)  # noqa: S310  (is_trusted allowed only Slack's http(s))
    request.add_unredirected_header("Authorization", f"Bearer {token}")
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {}),
        urllib.request.HTTPSHandler(context=ssl_context),
        _TrustedRedirects(token, api_url),
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            content = _read(response, max_bytes + 1, deadline)
    except urllib.error.HTTPError as error:
        error.close()
        problem = (
            DownloadProblem.NOT_ALLOWED if error.code in (401, 403) else DownloadProblem.FAILED
        )
        raise DownloadError(problem, f"HTTP {error.code}") from error
    except TimeoutError as error:
        raise DownloadError(DownloadProblem.TIMEOUT) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise DownloadError(DownloadProblem.TIMEOUT) from error
        raise DownloadError(DownloadProblem.FAILED, str(error.reason)) from error
    except (OSError, http.client.HTTPException) as error:
        raise DownloadError(DownloadProblem.FAILED, type(error).__name__) from error
    if content_type == "text/html" or content.lstrip().lower().startswith(_HTML_STARTS):
        raise DownloadError(DownloadProblem.NOT_ALLOWED, f"{content_type} instead of the file")
    return content


def _read(response: IO[bytes], limit: int, deadline: float) -> bytes:
    """The socket timeout bounds each read; the deadline bounds a server that trickles."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        if time.monotonic() > deadline:
            raise TimeoutError("download took too long")
        chunk = response.read(min(_CHUNK, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def slack_download(client: WebClient) -> Download:
    """Downloads with the token, proxy and TLS settings of the client the listener was given
    (the right workspace's token, and the same network path as every Web API call)."""

    def fetch(file: SharedFile) -> bytes:
        return download(
            file.url,
            token=client.token or "",
            api_url=client.base_url,
            proxy=client.proxy,
            ssl_context=client.ssl,
        )

    return fetch
