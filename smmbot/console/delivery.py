"""What Slack would post later, printed in the terminal: the console's reminders and digests.

The console runs the same scheduler sweeps as the bot, with this sender in place of Slack's
chat.postMessage, so `schedule "in 1 minute" …` really reminds a minute later and the weekly
digest arrives on its day: trying smmbot without Slack shows the whole loop.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from itertools import count
from pathlib import Path
from typing import Any, TextIO

from smmbot.console.printer import format_reply
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import escape_mrkdwn
from smmbot.rendering.reply import (
    FileAttachment,
    Reply,
    Section,
    files_from_data,
    reply_from_data,
)


class ConsoleMessageSender:
    """Implements `services.outbox.MessageSender`: prints the message between two prompts.
    Sweeps run on the scheduler's thread while the prompt waits for input, hence the lock."""

    def __init__(self, *, out: TextIO, tr: Translator, files_dir: Path, prompt: str) -> None:
        self._out, self._tr, self._files_dir, self._prompt = out, tr, files_dir, prompt
        self._lock = threading.Lock()
        self._numbers = count(1)

    def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
        """A message is printed; the files that follow it (services.outbox_payloads) saved."""
        files = files_from_data(payload["files"]) if "files" in payload else None
        with self._lock:
            print(file=self._out)
            if files is None:
                print(self._tr.plain("console.delivered", channel=channel_id), file=self._out)
                print(format_reply(_reply(payload)), file=self._out)
            for attachment in files or ():
                path = save_attachment(attachment, self._files_dir)
                print(
                    self._tr.plain("console.file_saved", title=attachment.title, path=str(path)),
                    file=self._out,
                )
            print(self._prompt, end="", file=self._out, flush=True)
            return f"console.{next(self._numbers)}"


def _reply(payload: Mapping[str, Any]) -> Reply:
    """Either payload form of the outbox (services.outbox), with its late note when given."""
    if "reply" not in payload:
        text = escape_mrkdwn(str(payload.get("text") or ""))
        return Reply(blocks=(Section(text),), fallback=text)
    reply = reply_from_data(payload["reply"])
    note = reply_from_data(payload["late_note"]).blocks if "late_note" in payload else ()
    return Reply(blocks=(*reply.blocks, *note), fallback=reply.fallback)


def save_attachment(attachment: FileAttachment, folder: Path) -> Path:
    """What Slack would upload (the digest's chart) is written next to the database instead."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / attachment.filename
    path.write_bytes(attachment.content)
    return path.resolve()
