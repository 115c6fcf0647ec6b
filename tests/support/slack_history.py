"""The mock's channel history: the messages chat.postMessage accepted, served back by
conversations.history in Slack's documented shape (newest first, `oldest`/`latest` exclusive
unless `inclusive`, `limit` with cursor pagination: `has_more` and
`response_metadata.next_cursor`; `metadata` ({event_type, event_payload}) only with
`include_all_metadata`)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

DEFAULT_LIMIT = 100
MAX_LIMIT = 999


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def _float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


class ChannelHistory:
    """Thread-safe: the mock's handler threads post and read at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: dict[str, list[dict[str, Any]]] = {}

    def posted(self, channel: str, message: Mapping[str, Any]) -> None:
        with self._lock:
            self._messages.setdefault(channel, []).append(dict(message))

    def messages(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(message) for message in self._messages.get(channel, [])]

    def answer(self, body: Mapping[str, Any]) -> dict[str, Any]:
        channel = str(body.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        inclusive = _flag(body.get("inclusive"))
        oldest = _float(body.get("oldest"), 0.0)
        latest = _float(body.get("latest"), float("inf"))
        limit = min(int(_float(body.get("limit"), DEFAULT_LIMIT)) or DEFAULT_LIMIT, MAX_LIMIT)
        start = int(_float(body.get("cursor"), 0))

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        chosen = [m for m in reversed(self.messages(channel)) if within(float(m["ts"]))]
        if not _flag(body.get("include_all_metadata")):
            chosen = [{k: v for k, v in m.items() if k != "metadata"} for m in chosen]
        page = chosen[start : start + limit]
        more = start + limit < len(chosen)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "pin_count": 0,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }
