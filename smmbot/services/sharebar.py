"""`/smm sharebar` and the share beacon: the snippet for the website, and counting its shares.

A counted beacon adds one to that day's `shares` reading for its network (source `share_bar`),
in the workspace's own zone, through the readings and so the roll-up the digest reads; a bar made
with `campaign=` tags it with the workspace campaign of that UTM slug (the rule GA4's campaign
names follow), so the shares count in that campaign's totals. Bots,
repeats and floods are left out by `domain.sharebar.ShareGate` before the database is touched.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from smmbot.domain.sharebar import (
    DEFAULT_CAMPAIGN,
    READING_SOURCE,
    Beacon,
    BeaconError,
    ShareGate,
    Verdict,
    is_bot,
    parse_beacon,
)
from smmbot.domain.utm import slugify_campaign
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.sharebar_repository import ShareBarRepository, workspace_by_share_key
from smmbot.rendering.reply import Reply
from smmbot.rendering.sharebar import needs_web_reply, sharebar_reply, snippet
from smmbot.services.context import CommandRequest, ServiceContext

_VISITOR_SALT = secrets.token_bytes(16)  # per process: visitor hashes cannot be joined later


def handle_sharebar(request: CommandRequest) -> Reply:
    tr, ctx, command = request.tr, request.ctx, request.command
    if not ctx.serves_web or not ctx.public_url:
        return needs_web_reply(tr, console=not ctx.serves_web)
    typed = command.options.get("campaign")
    campaign = slugify_campaign(typed) if typed and typed.strip() else DEFAULT_CAMPAIGN
    with ctx.db.transaction() as session:
        key = ShareBarRepository(session, request.actor.team_id).public_key(now=ctx.clock())
    code = snippet(ctx.public_url, key, campaign if typed else None)
    return sharebar_reply(tr, code=code, campaign=campaign)


class ShareOutcome(StrEnum):
    COUNTED = "counted"
    IGNORED = "ignored"  # a bot or a repeat: answered as if counted, nothing to learn from it
    LIMITED = "limited"
    UNKNOWN_KEY = "unknown_key"
    INVALID = "invalid"


@dataclass(frozen=True)
class ShareRequest:
    body: bytes
    user_agent: str
    remote_addr: str


def record_share(*, ctx: ServiceContext, gate: ShareGate, request: ShareRequest) -> ShareOutcome:
    """Count one beacon, or say why not. Never raises for anything a visitor can send."""
    try:
        beacon = parse_beacon(request.body)
    except BeaconError:
        return ShareOutcome.INVALID
    if is_bot(request.user_agent):
        return ShareOutcome.IGNORED
    visitor = hashlib.blake2b(request.remote_addr.encode(), key=_VISITOR_SALT).hexdigest()
    verdict = gate.check(beacon, visitor=visitor, now=time.monotonic())
    if verdict is Verdict.LIMITED:
        return ShareOutcome.LIMITED
    if verdict is Verdict.DUPLICATE:
        return ShareOutcome.IGNORED
    return _count(ctx, beacon)


def _count(ctx: ServiceContext, beacon: Beacon) -> ShareOutcome:
    now = ctx.clock()
    with ctx.db.transaction() as session:
        workspace = workspace_by_share_key(session, beacon.key)
        if workspace is None:
            return ShareOutcome.UNKNOWN_KEY
        campaign = ""
        if beacon.campaign:
            slugs = CampaignRepository(session, workspace.team_id).names_by_utm_slug()
            campaign = slugs.get(beacon.campaign, "")
        MetricRepository(session, workspace.team_id).increment(
            day=now.astimezone(ZoneInfo(workspace.timezone)).date(),
            metric="shares",
            by=1,
            campaign=campaign,
            platform=beacon.network,
            source=READING_SOURCE,
            now=now,
        )
    return ShareOutcome.COUNTED
