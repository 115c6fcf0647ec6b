"""The Workflow Builder step `get_published_post`: a workflow gives a post's number (from the
`smmbot_post_published` event's payload, or typed by whoever built the workflow) and gets the
published post back, to repost it elsewhere or send it on without code.

The step runs for the workspace Slack names in the `function_executed` event and reads through
that workspace's repository, so a workflow of one workspace never sees another's posts. A post
that does not exist there, or is not published, fails the step with a reason in the
workspace's language (Workflow Builder shows it in the run's activity).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from smmbot.domain.audit import AuditAction, SubjectKind
from smmbot.persistence.audit_repository import AuditRepository
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.i18n import Translator, choose_locale
from smmbot.services.context import ServiceContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepOutcome:
    """Either `outputs` (for functions.completeSuccess) or `error` (functions.completeError)."""

    outputs: dict[str, object] | None = None
    error: str | None = None


class _StepError(Exception):
    """Why this post cannot be given, already in the workspace's language."""


def run_published_post_step(
    ctx: ServiceContext, *, team_id: str, inputs: Mapping[str, object]
) -> StepOutcome:
    """Never raises: a bug or an outage fails the step with "try again", logged."""
    try:
        with ctx.db.transaction() as session:
            workspace = WorkspaceRepository(session, team_id).get()
            tr = Translator(choose_locale(workspace.locale if workspace else None))
            return StepOutcome(outputs=_outputs(session, tr, team_id, inputs))
    except _StepError as failed:
        return StepOutcome(error=str(failed))
    except Exception:
        log.exception("workflow step get_published_post failed for %s", team_id)
        return StepOutcome(error=Translator("").plain("workflow.unexpected"))


def _outputs(
    session: Session, tr: Translator, team_id: str, inputs: Mapping[str, object]
) -> dict[str, object]:
    """The step's outputs, named as the manifests declare them."""
    typed = str(inputs.get("item_id", "")).strip().removeprefix("#")
    if not typed.isdecimal() or not 0 < int(typed) < 2**31:
        raise _StepError(tr.plain("workflow.bad_item", value=typed))
    item = CalendarRepository(session, team_id).get(int(typed))
    if item is None:
        raise _StepError(tr.plain("workflow.not_found", id=typed))
    if item.status != "published":
        status = tr.plain(f"calendar.status_{item.status}")
        raise _StepError(tr.plain("workflow.not_published", id=item.id, status=status))
    outputs: dict[str, object] = {
        "item_id": item.id,
        "published_by": _published_by(session, team_id, item.id) or item.owner_id,
        "text": item.text,
        "platform": item.platform or "",
        "url": item.published_url or "",
        "owner": item.owner_id,
        "channel": item.channel_id,
        "due_at": int(item.due_at.timestamp()),
    }
    return {key: value for key, value in outputs.items() if value != ""}  # optional ones unset


def _published_by(session: Session, team_id: str, item_id: int) -> str | None:
    """Who marked it published, as the audit log says (the item keeps only its owner)."""
    events = AuditRepository(session, team_id).list_for_subject(SubjectKind.ITEM, str(item_id))
    marks = [e.actor_id for e in events if e.action == AuditAction.ITEM_PUBLISHED]
    return marks[-1] if marks else None
