"""`/smm competitor add|list|remove`: the competitors a workspace benchmarks itself against.

A competitor is a name and its public handles. Its numbers come from Instagram Business
Discovery at each Meta sync (`competitors_sync`) or from `log … competitor=<name>`
(`competitors_log`); `list` shows where each one stands from those readings alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from smmbot.domain.commands import subcommand
from smmbot.domain.competitors import (
    GROWTH_WEEKS,
    MAX_COMPETITORS,
    MAX_NAME,
    DayReading,
    Standing,
    name_key,
    read_facebook,
    read_instagram,
    read_name,
    standing,
)
from smmbot.persistence.competitors_repository import CompetitorRepository
from smmbot.persistence.models import Competitor
from smmbot.rendering import competitors as replies
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.context import CommandRequest

COMPETITOR = subcommand("competitor")


def handle_competitor(request: CommandRequest) -> Reply:
    """The catalog has made the action word canonical (`tambah` → `add`); none lists."""
    words = request.command.arguments
    action = words[0] if words else "list"
    handler = {"add": _add, "list": _list, "remove": _remove}[action]
    return handler(request, " ".join(words[1:]))


def _refusal(message: Mrkdwn) -> Refusal:
    return Refusal(message, usage_of=COMPETITOR)


def _add(request: CommandRequest, typed_name: str) -> Reply:
    tr, ctx, actor, options = request.tr, request.ctx, request.actor, request.command.options
    name = read_name(typed_name)
    if name is None:
        raise _refusal(tr.mrkdwn("competitors.bad_name", limit=MAX_NAME))
    typed_ig, typed_fb = options.get("instagram", ""), options.get("facebook", "")
    if not typed_ig and not typed_fb:
        raise _refusal(tr.mrkdwn("competitors.needs_handle", name=name))
    instagram = read_instagram(typed_ig) if typed_ig else ""
    if instagram is None:
        raise _refusal(tr.mrkdwn("competitors.bad_instagram", handle=typed_ig))
    facebook = read_facebook(typed_fb) if typed_fb else ""
    if facebook is None:
        raise _refusal(tr.mrkdwn("competitors.bad_facebook", page=typed_fb))
    with ctx.db.transaction() as session:
        repository = CompetitorRepository(session, actor.team_id)
        existing = repository.list_all()
        if any(c.name_key == name_key(name) for c in existing):
            raise _refusal(tr.mrkdwn("competitors.duplicate", name=name))
        if instagram and any(c.instagram == instagram for c in existing):
            raise _refusal(tr.mrkdwn("competitors.duplicate_handle", handle=instagram))
        if len(existing) >= MAX_COMPETITORS:
            raise _refusal(tr.mrkdwn("competitors.full", limit=MAX_COMPETITORS))
        repository.add(
            name=name,
            key=name_key(name),
            instagram=instagram,
            facebook=facebook,
            by=actor.user_id,
            now=ctx.clock(),
        )
    return replies.added(tr, request.prefix, name, instagram)


def _list(request: CommandRequest, extra: str) -> Reply:
    if extra:
        raise _refusal(request.tr.mrkdwn("competitors.extra_words", words=extra))
    today = request.ctx.clock().astimezone(ZoneInfo(request.actor.timezone)).date()
    with request.ctx.db.transaction() as session:
        repository = CompetitorRepository(session, request.actor.team_id)
        competitors = repository.list_all()
        standings = standings_of(repository, competitors, today)
        rows = [(c.name, c.instagram, c.status, standings[c.id]) for c in competitors]
    return replies.competitor_list(request.tr, request.prefix, rows)


def standings_of(
    repository: CompetitorRepository, competitors: list[Competitor], today: date
) -> dict[int, Standing]:
    """Each competitor's standing on `today`, from one query over the weeks it needs (and one
    more week, for the level that growth is measured against)."""
    since = today - timedelta(weeks=GROWTH_WEEKS + 1)
    readings = repository.list_readings([c.id for c in competitors], since)
    per: dict[int, list[DayReading]] = {c.id: [] for c in competitors}
    for r in readings:
        per[r.competitor_id].append(DayReading(r.day, r.metric, r.value))
    return {cid: standing(found, today) for cid, found in per.items()}


def _remove(request: CommandRequest, typed_name: str) -> Reply:
    tr = request.tr
    with request.ctx.db.transaction() as session:
        repository = CompetitorRepository(session, request.actor.team_id)
        found = repository.find_by_name(name_key(typed_name)) if typed_name.strip() else None
        if found is None:
            names = ", ".join(c.name for c in repository.list_all())
            raise _refusal(tr.mrkdwn("competitors.unknown", name=typed_name, names=names))
        name = found.name
        repository.remove(found)
    return replies.removed(tr, name)
