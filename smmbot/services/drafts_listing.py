"""`/smm drafts [mine|all]` and `draft delete <id>`: find what the team has drafted, tidy it up.

Deleting a draft never cancels what was scheduled from it: each calendar item keeps its own
copy of the text, so a post the team planned still goes out (and is still reminded). Instead
the question before a button deletes, and the answer after, name those posts and say how to
cancel them, so none is left behind unnoticed.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from smmbot.domain.drafts_listing import DraftScope, draft_status, may_delete
from smmbot.domain.payloads import TamperedPayloadError, parse_record_id
from smmbot.persistence.drafts_repository import DraftRepository
from smmbot.persistence.models import CalendarItem, Draft
from smmbot.rendering import drafts_listing as replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import mention
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.approval import drafts_review
from smmbot.services.context import Actor, ButtonRequest, CommandRequest, ServiceContext, Surface

log = logging.getLogger(__name__)

MAX_PAGE = 1000


def handle_drafts(request: CommandRequest) -> Reply:
    """The catalog has turned `saya`/`semua`/`tinjau` into `mine`/`all`/`review` and refused
    any other word; `review` lists the member's own posts waiting for an approver."""
    tr, arguments = request.tr, request.command.arguments
    if arguments[:1] == ("review",):
        return drafts_review(request)
    scope = DraftScope(arguments[0]) if arguments else DraftScope.ALL
    typed_page = request.command.options.get("page", "1")
    if not typed_page.isdecimal() or not 0 < int(typed_page) <= MAX_PAGE:
        raise Refusal(tr.mrkdwn("drafts.bad_page", value=typed_page), usage_of=request.subcommand)
    return drafts_reply(request.ctx, request.actor, tr, request.prefix, scope, int(typed_page))


def read_page_value(value: str) -> tuple[DraftScope, int]:
    """The page buttons' value: `all:2` or `mine:3`, as the list wrote it."""
    scope, _, typed_page = value.partition(":")
    if scope not in {known.value for known in DraftScope} or not typed_page.isdecimal():
        raise TamperedPayloadError(value)
    return DraftScope(scope), min(max(int(typed_page), 1), MAX_PAGE)


def next_page(request: ButtonRequest[tuple[DraftScope, int]]) -> Reply:
    scope, page = request.value
    prefix = Surface.SLACK.command_prefix
    return drafts_reply(request.ctx, request.actor, request.tr, prefix, scope, page)


def drafts_reply(
    ctx: ServiceContext, actor: Actor, tr: Translator, prefix: str, scope: DraftScope, page: int
) -> Reply:
    author = actor.user_id if scope is DraftScope.MINE else None
    with ctx.db.transaction() as session:
        drafts = DraftRepository(session, actor.team_id)
        rows, total = drafts.list_page(
            author_id=author, offset=(page - 1) * replies.PAGE_SIZE, limit=replies.PAGE_SIZE
        )
        items = drafts.list_items_of([draft.id for draft in rows])
        listed = [
            _row(draft, [item for item in items if item.draft_id == draft.id]) for draft in rows
        ]
    shown = replies.DraftPage(scope=scope, rows=listed, page=page, total=total)
    return replies.listing(tr, prefix, shown, actor.timezone)


def _row(draft: Draft, items: list[CalendarItem]) -> replies.DraftRow:
    statuses = [item.status for item in items]
    return replies.DraftRow(
        id=draft.id,
        template=draft.template_name,
        author_id=draft.author_id,
        created_at=draft.created_at,
        platforms=tuple(variant.platform for variant in draft.variants),
        preview=draft.variants[0].text if draft.variants else "",
        status=draft_status(statuses),
        scheduled=statuses.count("scheduled"),
    )


def delete_command(request: CommandRequest, typed_id: str) -> Reply:
    """`draft delete <id>`: typed on purpose, so it deletes at once and says what it deleted."""
    draft_id = parse_record_id(typed_id.lstrip("#"))
    if draft_id is None:
        message = request.tr.mrkdwn("draft.not_found", id=typed_id)
        raise Refusal(message, usage_of=request.subcommand)
    return delete_draft(request.ctx, request.actor, request.tr, draft_id, request.prefix)


def ask_to_delete(request: ButtonRequest[int]) -> Reply:
    """The Delete button in the list: a question naming the draft, with the button that does it."""
    ctx, actor, tr = request.ctx, request.actor, request.tr
    with ctx.db.transaction() as session:
        summary = _deletable(session, tr, actor, request.value)
    return replies.delete_question(tr, Surface.SLACK.command_prefix, summary, actor.timezone)


def delete_clicked(request: ButtonRequest[int]) -> Reply:
    """The question's Delete button: the member has seen what stays on the calendar."""
    prefix = Surface.SLACK.command_prefix
    return delete_draft(request.ctx, request.actor, request.tr, request.value, prefix)


def delete_draft(
    ctx: ServiceContext, actor: Actor, tr: Translator, draft_id: int, prefix: str
) -> Reply:
    with ctx.db.transaction() as session:
        summary = _deletable(session, tr, actor, draft_id)
        drafts = DraftRepository(session, actor.team_id)
        draft = drafts.get(draft_id)
        assert draft is not None  # _deletable found it in this transaction
        drafts.remove(draft)
    log.info("draft %s of %s deleted by %s", draft_id, actor.team_id, actor.user_id)
    return replies.deleted(tr, prefix, summary, actor.timezone)


def _deletable(
    session: Session, tr: Translator, actor: Actor, draft_id: int
) -> replies.DraftSummary:
    """The draft as the question and the answer name it; refused when it is gone or when the
    member is neither its author nor an admin."""
    drafts = DraftRepository(session, actor.team_id)
    draft = drafts.get(draft_id)
    if draft is None:
        raise Refusal(tr.mrkdwn("draft.not_found", id=draft_id))
    if not may_delete(author_id=draft.author_id, user_id=actor.user_id, is_admin=actor.is_admin):
        raise Refusal(tr.mrkdwn("drafts.not_yours", id=draft_id, author=mention(draft.author_id)))
    scheduled = [
        replies.ScheduledLine(item.id, item.due_at, item.platform)
        for item in drafts.list_items_of([draft.id])
        if item.status == "scheduled"
    ]
    return replies.DraftSummary(
        id=draft.id,
        template=draft.template_name,
        platforms=tuple(variant.platform for variant in draft.variants),
        scheduled=scheduled,
    )
