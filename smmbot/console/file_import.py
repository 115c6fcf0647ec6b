"""`import <path>` in the console: read a CSV file from disk and import it.

In Slack a file arrives as a share in a DM; at the local prompt a path is the natural way, so
the reading stays here and the service only ever sees the file's bytes.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from smmbot.console.printer import format_reply
from smmbot.rendering.i18n import Translator
from smmbot.services.context import Actor, ServiceContext
from smmbot.services.metrics_import import MAX_BYTES, import_csv

IMPORT_WORDS = frozenset({"import", "impor"})


def import_file_command(
    line: str, *, ctx: ServiceContext, actor: Actor, tr: Translator
) -> str | None:
    """The printed answer to `import <path>`, or None when ``line`` is something else (a bare
    `import` goes to the command, which explains the file format)."""
    word, _, rest = line.partition(" ")
    if word.lower() not in IMPORT_WORDS or not rest.strip():
        return None
    try:
        words = shlex.split(rest)
    except ValueError:
        words = [rest.strip()]
    if len(words) != 1:
        return tr.plain("import.console_usage")
    path = Path(words[0]).expanduser()
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)  # one byte more is enough to say "too large"
    except OSError as error:
        return tr.plain("import.console_unreadable", path=str(path), reason=error.strerror or error)
    result = import_csv(ctx=ctx, actor=actor, tr=tr, content=content)
    return format_reply(result.reply)
