"""Slack's Block Kit limits, in one place, and the check every reply must pass.

Slack rejects a whole message (or view) that breaks one of these, so the builders keep lists
within them by paging or by an honest remainder, and `violations` lets a test render each reply
at its largest realistic size and prove it fits. Numbers from Slack's Block Kit reference
(blocks, block elements, composition objects and surfaces pages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn
from smmbot.rendering.reply import Actions, Block, Button, Context, Form, Header, Reply, Section

MESSAGE_BLOCKS: Final = 50
VIEW_BLOCKS: Final = 100  # modals and the App Home tab
SECTION_TEXT: Final = 3000
SECTION_FIELDS: Final = 10
FIELD_TEXT: Final = 2000
CONTEXT_TEXT: Final = 2000
HEADER_TEXT: Final = 150
BUTTON_TEXT: Final = 75
BUTTON_VALUE: Final = 2000
ACTION_ID: Final = 255
ACTIONS_ELEMENTS: Final = 25
MESSAGE_TEXT: Final = 40_000  # the notification `text`; Slack truncates beyond it
MODAL_TITLE: Final = 24
INPUT_LABEL: Final = 2000
INPUT_VALUE: Final = 3000
INPUT_PLACEHOLDER: Final = 150
PRIVATE_METADATA: Final = 3000
SELECT_OPTIONS: Final = 100
OPTION_TEXT: Final = 75


def chunk_lines(lines: Iterable[str], limit: int = SECTION_TEXT) -> list[Mrkdwn]:
    """Lines joined into as few texts of at most `limit` characters as they fit in, without
    cutting a line (a longer single line is cut with an ellipsis): a long list becomes several
    sections instead of one that Slack refuses."""
    chunks: list[Mrkdwn] = []
    current = ""
    for line in lines:
        line = line if len(line) <= limit else line[: limit - 1] + "…"
        joined = f"{current}\n{line}" if current else line
        if len(joined) > limit:
            chunks.append(Mrkdwn(current))
            joined = line
        current = joined
    if current:
        chunks.append(Mrkdwn(current))
    return chunks


_FENCE = "```"


def code_sections(text: str, heading: Mrkdwn | None = None) -> list[Section]:
    """Text to copy (a post, a template's body) as code blocks of at most one section each:
    a Facebook post or a template can be longer than a section holds, and cutting it would
    lose the end of what the member copies. Cuts fall at line ends when possible, never inside
    an escaped `&amp;`; only the first section carries the heading."""
    escaped = str(escape_mrkdwn(text))
    room = SECTION_TEXT - 2 * len(_FENCE) - (len(heading) + 1 if heading else 0)
    sections: list[Section] = []
    while True:
        cut = _cut(escaped, room)
        body = f"{_FENCE}{escaped[:cut]}{_FENCE}"
        first = heading is not None and not sections
        sections.append(Section(Mrkdwn(f"{heading}\n{body}" if first else body)))
        escaped = escaped[cut:]
        if not escaped:
            return sections
        room = SECTION_TEXT - 2 * len(_FENCE)


def _cut(escaped: str, room: int) -> int:
    if len(escaped) <= room:
        return len(escaped)
    newline = escaped.rfind("\n", room // 2, room)
    if newline > 0:
        return newline + 1
    entity = escaped.rfind("&", room - 5, room)
    return entity if entity > 0 and ";" not in escaped[entity:room] else room


def _button_problems(where: str, button: Button) -> list[str]:
    problems = []
    if not button.plain or len(button.plain) > BUTTON_TEXT:
        problems.append(f"{where}: button text of {len(button.plain)} characters")
    if len(button.value) > BUTTON_VALUE:
        problems.append(f"{where}: button value of {len(button.value)} characters")
    if len(button.action_id) > ACTION_ID:
        problems.append(f"{where}: action_id of {len(button.action_id)} characters")
    return problems


def _block_problems(where: str, block: Block) -> list[str]:
    problems: list[str] = []
    match block:
        case Header(plain):
            if not plain or len(plain) > HEADER_TEXT:
                problems.append(f"{where}: header of {len(plain)} characters")
        case Section(mrkdwn, fields, accessory):
            if not mrkdwn.strip() or len(mrkdwn) > SECTION_TEXT:
                problems.append(f"{where}: section text of {len(mrkdwn)} characters")
            if len(fields) > SECTION_FIELDS:
                problems.append(f"{where}: {len(fields)} fields")
            problems += [
                f"{where}: field of {len(field)} characters"
                for field in fields
                if not field or len(field) > FIELD_TEXT
            ]
            if accessory is not None:
                problems += _button_problems(where, accessory)
        case Context(mrkdwn):
            if not mrkdwn.strip() or len(mrkdwn) > CONTEXT_TEXT:
                problems.append(f"{where}: context of {len(mrkdwn)} characters")
        case Actions(buttons):
            if not buttons or len(buttons) > ACTIONS_ELEMENTS:
                problems.append(f"{where}: {len(buttons)} buttons")
            for button in buttons:
                problems += _button_problems(where, button)
    return problems


def _form_problems(form: Form) -> list[str]:
    """A modal: its title and submit label, its inputs (plus the intro) within a view's blocks,
    and what each input may hold."""
    problems = [
        f"modal {name} of {len(text)} characters"
        for name, text in (("title", form.title), ("submit", form.submit))
        if not text or len(text) > MODAL_TITLE
    ]
    if len(form.fields) + bool(form.intro) > VIEW_BLOCKS:
        problems.append(f"modal of {len(form.fields)} inputs")
    if len(form.intro) > SECTION_TEXT or len(form.private_metadata) > PRIVATE_METADATA:
        problems.append("modal intro or private_metadata too long")
    for field in form.fields:
        if not field.label or len(field.label) > INPUT_LABEL or len(field.hint) > INPUT_LABEL:
            problems.append(f"input {field.name}: label or hint of the wrong length")
        if len(field.placeholder) > INPUT_PLACEHOLDER:
            problems.append(f"input {field.name}: placeholder over {INPUT_PLACEHOLDER} characters")
        if len(field.initial) > INPUT_VALUE or len(field.choices) > SELECT_OPTIONS:
            problems.append(f"input {field.name}: initial value or choices too long")
        if any(len(choice) > OPTION_TEXT for choice in field.choices):
            problems.append(f"input {field.name}: an option of more than {OPTION_TEXT} characters")
    return problems


def violations(reply: Reply, *, max_blocks: int = MESSAGE_BLOCKS) -> list[str]:
    """Every way the reply would break Slack's limits (empty when it fits): as built, before
    the Block Kit builders' last-resort clipping, so a test sees what the builder made."""
    problems = [] if reply.blocks or reply.form else ["no blocks"]
    if len(reply.blocks) > max_blocks:
        problems.append(f"{len(reply.blocks)} blocks (at most {max_blocks})")
    if not reply.fallback or len(reply.fallback) > MESSAGE_TEXT:
        problems.append(f"notification text of {len(reply.fallback)} characters")
    for index, block in enumerate(reply.blocks):
        problems += _block_problems(f"block {index} ({type(block).__name__})", block)
    if reply.form is not None:
        problems += _form_problems(reply.form)
    return problems
