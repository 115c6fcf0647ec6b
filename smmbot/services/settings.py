"""`/smm settings token [rotate]`: the bearer token scripts use for `POST /api/metrics`.

Only the token's SHA-256 is stored, so the token is shown once, in the reply only the member
who asked can see; losing it means rotating. The token writes numbers into every report, so
only workspace admins and owners (as users.info last said, cached for minutes) may see whether
one exists or rotate it: the catalog declares `settings` for admins. Rotation is logged with
who did it, and the old token stops working at once, so a leaked token is fixed by one command.
"""

from __future__ import annotations

import json
import logging
import secrets

from smmbot.domain.audit import AuditAction, Subject
from smmbot.persistence.metrics_repository import token_hash
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply, Section
from smmbot.services.approval_settings import set_approval
from smmbot.services.audit import record_member_action
from smmbot.services.context import CommandRequest

log = logging.getLogger(__name__)

ROTATE_WORDS = frozenset({"rotate", "ganti"})
TOKEN_BYTES = 32


def handle_settings(request: CommandRequest) -> Reply:
    tr, prefix = request.tr, request.prefix
    words = [word.lower() for word in request.command.arguments]
    if words[:1] == ["approval"]:
        return set_approval(request)
    if (
        words[:1] != ["token"]
        or len(words) > 2
        or (len(words) == 2 and words[1] not in ROTATE_WORDS)
    ):
        message = tr.mrkdwn("metrics_token.usage_problem", prefix=prefix)
        raise Refusal(message, usage_of=request.subcommand)
    if len(words) == 2:
        return _rotate(request)
    with request.ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, request.actor.team_id).get_or_create(
            now=request.ctx.clock()
        )
        exists = workspace.metrics_token_hash is not None
    key = "metrics_token.exists" if exists else "metrics_token.none"
    return Reply(
        blocks=(Section(tr.mrkdwn(key, prefix=prefix)),),
        fallback=tr.plain("metrics_token.fallback"),
    )


def _rotate(request: CommandRequest) -> Reply:
    ctx, actor, tr = request.ctx, request.actor, request.tr
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, actor.team_id).get_or_create(now=ctx.clock())
        workspace.metrics_token_hash = token_hash(token)
        record_member_action(
            session,
            actor,
            AuditAction.TOKEN_ROTATED,
            Subject.setting("metrics_token"),
            at=ctx.clock(),
        )
    log.info("metrics API token of %s rotated by %s", actor.team_id, actor.user_id)
    if ctx.public_url:
        how = tr.mrkdwn("metrics_token.curl", curl=_curl(ctx.public_url, token))
    else:
        how = tr.mrkdwn("metrics_token.no_public_url")
    blocks = (
        Section(tr.mrkdwn("metrics_token.rotated")),
        Section(tr.mrkdwn("metrics_token.token", token=token)),
        Section(Mrkdwn(how)),
    )
    return Reply(blocks=blocks, fallback=tr.plain("metrics_token.fallback"))


def _curl(public_url: str, token: str) -> str:
    example = [{"date": "2026-11-24", "metric": "followers", "value": 1200}]
    return (
        f"curl -X POST {public_url}/api/metrics "
        f'-H "Authorization: Bearer {token}" -H "Content-Type: application/json" '
        f"-d '{json.dumps(example)}'"
    )
