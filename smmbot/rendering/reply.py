"""A presentation-neutral message: the Slack adapter turns it into Block Kit, the console into text.

Services return a `Reply` so that both surfaces show the same content from one builder.
Text fields hold mrkdwn that has already been escaped; `plain` fields hold text shown verbatim.
"""

from __future__ import annotations

from base64 import b64decode, b64encode
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Header:
    plain: str


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    plain: str
    action_id: str
    value: str = ""
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True)
class Section:
    mrkdwn: str
    fields: tuple[str, ...] = ()
    accessory: Button | None = None


@dataclass(frozen=True)
class Context:
    mrkdwn: str


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Actions:
    buttons: tuple[Button, ...]


Block = Header | Section | Context | Divider | Actions


@dataclass(frozen=True)
class FormField:
    """A text input; with `choices` a pick-one list; with `file_types` (extensions such as
    "csv") a file upload of one file, whose bytes the adapter fetches, since only it can."""

    name: str
    label: str
    hint: str = ""
    required: bool = False
    initial: str = ""
    multiline: bool = False
    choices: tuple[str, ...] = ()
    file_types: tuple[str, ...] = ()
    placeholder: str = ""
    """Grey example text inside an empty text input (Slack shows at most 150 characters)."""


@dataclass(frozen=True)
class Form:
    """A form to fill in: Slack shows it as a modal; other surfaces show the reply's blocks,
    which describe the same fields as text. `intro` (mrkdwn) stands above the fields."""

    callback_id: str
    title: str
    submit: str
    fields: tuple[FormField, ...]
    private_metadata: str = ""
    intro: str = ""


@dataclass(frozen=True)
class FileAttachment:
    """A file that goes with a message (the digest's chart): uploaded in Slack, saved to disk
    by the console."""

    filename: str
    title: str
    content: bytes


@dataclass(frozen=True)
class Reply:
    """`fallback` is the notification text (and what screen readers get); `public` replies are
    visible to the whole channel, all others only to the person who typed the command.
    `files_in_dm`: the files go to that person's direct messages with the bot, not the channel
    (an audit log export is for the admin's eyes only)."""

    blocks: tuple[Block, ...]
    fallback: str
    public: bool = False
    form: Form | None = None
    files: tuple[FileAttachment, ...] = ()
    files_in_dm: bool = False


_BLOCK_TYPES: dict[str, type[Block]] = {
    cls.__name__: cls for cls in (Header, Section, Context, Divider, Actions)
}


def _button_from_data(data: dict[str, Any]) -> Button:
    return Button(data["plain"], data["action_id"], data["value"], ButtonStyle(data["style"]))


def reply_to_data(reply: Reply) -> dict[str, Any]:
    """A JSON-safe form of a reply, for messages stored now and posted later (the outbox)."""
    return {
        "fallback": reply.fallback,
        "public": reply.public,
        "blocks": [{"type": type(block).__name__, **asdict(block)} for block in reply.blocks],
        "files": files_to_data(reply.files),
    }


def files_to_data(files: tuple[FileAttachment, ...]) -> list[dict[str, str]]:
    """Attachments as JSON-safe data: the stored form of a reply's files, also sent on their own
    after the reply's message (`services.outbox_payloads`)."""
    return [
        {"filename": f.filename, "title": f.title, "content": b64encode(f.content).decode()}
        for f in files
    ]


def files_from_data(data: list[dict[str, str]]) -> tuple[FileAttachment, ...]:
    return tuple(FileAttachment(f["filename"], f["title"], b64decode(f["content"])) for f in data)


def reply_from_data(data: dict[str, Any]) -> Reply:
    blocks: list[Block] = []
    for raw in data["blocks"]:
        fields = {key: value for key, value in raw.items() if key != "type"}
        kind = _BLOCK_TYPES[raw["type"]]
        if kind is Section:
            accessory = fields.get("accessory")
            fields["fields"] = tuple(fields.get("fields", ()))
            fields["accessory"] = _button_from_data(accessory) if accessory else None
        elif kind is Actions:
            fields["buttons"] = tuple(_button_from_data(button) for button in fields["buttons"])
        blocks.append(kind(**fields))
    files = files_from_data(data.get("files", []))
    return Reply(
        blocks=tuple(blocks), fallback=data["fallback"], public=data["public"], files=files
    )
