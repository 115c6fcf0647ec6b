"""Which versions of a draft `schedule … draft=<id>` puts on the calendar.

Every version by default (one calendar item per platform, as Buffer and Loomly queue a
multi-network post), or those `platform=` names; a platform the draft was not written for is
refused instead of posting another network's text under its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from smmbot.domain.commands import subcommand
from smmbot.domain.payloads import parse_record_id
from smmbot.domain.platforms import Platform, UnknownPlatformError, parse_platforms
from smmbot.persistence.drafts_repository import DraftRepository
from smmbot.rendering.i18n import Translator
from smmbot.rendering.refusal import Refusal

SCHEDULE = subcommand("schedule")


@dataclass(frozen=True)
class Version:
    """One post to put on the calendar: its text, for its platform (None: not said)."""

    text: str
    platform: Platform | None


def known_platforms() -> str:
    return ", ".join(platform.value for platform in Platform)


def typed_platforms(tr: Translator, value: str | None) -> list[Platform]:
    if not value:
        return []
    try:
        platforms = parse_platforms(value)
    except UnknownPlatformError as error:
        message = tr.mrkdwn("draft.bad_platform", unknown=value, known=known_platforms())
        raise Refusal(message, usage_of=SCHEDULE) from error
    if not platforms:
        message = tr.mrkdwn("draft.bad_platform", unknown=value, known=known_platforms())
        raise Refusal(message, usage_of=SCHEDULE)
    return platforms


def draft_versions(
    session: Session, tr: Translator, team_id: str, typed: str, options: Mapping[str, str]
) -> tuple[list[Version], int]:
    """The versions of `draft=<id>` to schedule, and the draft's id. Text typed after the
    moment replaces the draft's, so it is accepted only when one version is scheduled."""
    typed_id = options["draft"].lstrip("#")
    number = parse_record_id(typed_id)
    draft = DraftRepository(session, team_id).get(number) if number is not None else None
    if draft is None or not draft.variants:
        raise Refusal(tr.mrkdwn("calendar.draft_not_found", id=typed_id), usage_of=SCHEDULE)
    texts = {Platform(variant.platform): variant.text for variant in draft.variants}
    wanted = typed_platforms(tr, options.get("platform")) or list(texts)
    missing = [platform for platform in wanted if platform not in texts]
    if missing:
        message = tr.mrkdwn(
            "calendar.draft_has_no_version",
            id=draft.id,
            platforms=", ".join(tr.plain(f"platform.{p.value}") for p in missing),
            available=",".join(platform.value for platform in texts),
        )
        raise Refusal(message, usage_of=SCHEDULE)
    if typed and len(wanted) > 1:
        message = tr.mrkdwn("calendar.draft_text_for_one", id=draft.id, count=len(wanted))
        raise Refusal(message, usage_of=SCHEDULE)
    return [Version(typed or texts[platform], platform) for platform in wanted], draft.id
