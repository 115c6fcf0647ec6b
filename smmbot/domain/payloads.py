"""Reading ids and form metadata that come back from outside: typed (`draft=12`), or carried by
our own buttons and forms, which anyone can alter before Slack sends them back.

An id is only ever a whole number our tables can hold; anything else is refused here, before it
reaches the database driver (which overflows on `99999999999999999999`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

MAX_RECORD_ID: Final = 2**31 - 1
"""The largest value of an INTEGER primary key on PostgreSQL (SQLite's is larger)."""

_ID: Final = re.compile(r"#?([0-9]{1,10})")


class TamperedPayloadError(ValueError):
    """A button value or form metadata that our own messages could not have produced."""


def parse_record_id(text: str) -> int | None:
    """`12` or `#12` as a row id; None for anything that cannot be one."""
    match = _ID.fullmatch(text.strip())
    if match is None:
        return None
    number = int(match.group(1))
    return number if 1 <= number <= MAX_RECORD_ID else None


def button_record_id(value: str) -> int:
    """The row id a button carries; a value no message of ours holds is refused."""
    number = parse_record_id(value)
    if number is None:
        raise TamperedPayloadError(f"button value {value[:40]!r} is no record id")
    return number


def form_metadata(text: str) -> dict[str, Any]:
    """A form's private metadata: the JSON object we stored with it, or a refusal."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        raise TamperedPayloadError("form metadata is not JSON") from None
    if not isinstance(data, dict):
        raise TamperedPayloadError("form metadata is not an object")
    return data


def metadata_record_id(metadata: dict[str, Any], key: str) -> int:
    """The row id stored under `key` in a form's metadata."""
    value = metadata.get(key)
    number = parse_record_id(str(value)) if isinstance(value, int | str) else None
    if number is None or isinstance(value, bool):
        raise TamperedPayloadError(f"form metadata {key!r} is no record id")
    return number


@dataclass(frozen=True)
class FormMetadata:
    """A form's private metadata once checked: the record ids its form declared, each a whole
    number our tables can hold, and its other non-empty texts (`channel`: where it was started)."""

    ids: Mapping[str, int]
    texts: Mapping[str, str]

    @property
    def channel(self) -> str | None:
        return self.texts.get("channel")

    def text(self, key: str) -> str:
        return self.texts.get(key, "")


def read_form_metadata(
    text: str, *, ids: Collection[str] = (), optional_ids: Collection[str] = ()
) -> FormMetadata:
    """`ids` must be present; `optional_ids` only checked when present (a new draft has none)."""
    data = form_metadata(text)
    present = [*ids, *(key for key in optional_ids if data.get(key) is not None)]
    checked = {key: metadata_record_id(data, key) for key in present}
    texts = {
        key: value
        for key, value in data.items()
        if isinstance(value, str) and value and key not in checked
    }
    return FormMetadata(ids=checked, texts=texts)
