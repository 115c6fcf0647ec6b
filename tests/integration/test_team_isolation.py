"""One workspace's repositories never see another workspace's rows, whatever id they are asked."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from smmbot.persistence.bio_repository import BioRepository
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.digest_repository import DigestRepository
from smmbot.persistence.drafts_repository import DraftRepository
from smmbot.persistence.links_repository import ShortLinkRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import CalendarItem, Campaign, ConnectorSource, CustomTemplate
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import UserRepository
from smmbot.persistence.sources_repository import ConnectorRepository
from smmbot.persistence.templates_repository import CustomTemplateRepository
from smmbot.services.context import ServiceContext

pytestmark = pytest.mark.usefixtures("workspaces")


def _fill_t1(ctx: ServiceContext) -> dict[str, int | str]:
    """One row of every workspace-owned kind for T1, each written through its repository; the
    ids that T2 will then ask for."""
    now = ctx.clock()
    with ctx.db.transaction() as session:
        campaign = CampaignRepository(session, "T1").add(
            Campaign(
                name="Promo", objective="smm", start_date=date(2026, 1, 1),
                end_date=date(2030, 1, 1), budget=None, currency="IDR", platforms=[],
                targets={}, owner_id=None, created_by="U1", created_at=now, closed_at=None,
            )
        )  # fmt: skip
        item = CalendarRepository(session, "T1").add(
            CalendarItem(
                due_at=now + timedelta(days=1), timezone="UTC", text="hi", platform=None,
                campaign_id=campaign.id, draft_id=None, channel_id="C1", owner_id="U1",
                status="scheduled", published_url=None, created_by="U1", created_at=now,
                updated_at=now,
            )
        )  # fmt: skip
        draft = DraftRepository(session, "T1").upsert(
            draft_id=None, author_id="U1", template_name="promo", language="en",
            variables={"product": "Kopi"}, campaign=None, variants=[("x", "Kopi")], now=now,
        )  # fmt: skip
        CustomTemplateRepository(session, "T1").add(
            CustomTemplate(
                name="tip", pillar="smo", description="", body="Tip", platforms=["x"],
                created_by="U1", created_at=now,
            )
        )  # fmt: skip
        link = ShortLinkRepository(session, "T1").add(
            target_url="https://t.id", campaign="promo", source="x", medium="social",
            created_by="U1", now=now,
        )  # fmt: skip
        ShortLinkRepository(session, "T1").add_click(
            code=link.code, campaign="promo", source="x", clicked_at=now
        )
        ConnectorRepository(session, "T1").add(
            ConnectorSource(
                team_id="T1", provider="google", status="active", connected_by="U1", vault="v",
                connected_at=now,
            )
        )  # fmt: skip
        MetricRepository(session, "T1").upsert(
            day=now.date(), metric="followers", value=Decimal(5), source="manual",
            recorded_by="U1", now=now,
        )  # fmt: skip
        BioRepository(session, "T1").get_or_create(now=now)
        BioRepository(session, "T1").add(
            title="Shop", url="https://t.id", code=link.code, created_by="U1", now=now
        )
        UserRepository(session, "T1").upsert(
            "U1", timezone="UTC", locale="en", is_admin=False, fetched_at=now
        )
        outbox = OutboxRepository(session, "T1")
        outbox.enqueue(
            kind="due", dedupe_key="T1:item", channel_id="C1", due_at=now, payload={},
            calendar_item_id=item.id,
        ).status = "sent"  # fmt: skip
        outbox.enqueue(
            kind="lead", dedupe_key="T1:item:lead", channel_id="C1", due_at=now, payload={},
            calendar_item_id=item.id,
        )  # fmt: skip
        return {"campaign": campaign.id, "item": item.id, "draft": draft.id, "code": link.code}


def _seen_by(ctx: ServiceContext, team_id: str, ids: dict[str, int | str]) -> dict[str, object]:
    """What `team_id`'s repositories find of T1's rows, by query (a row, a list, a count)."""
    now = ctx.clock()
    start, end = now - timedelta(days=7), now + timedelta(days=7)
    item, campaign, draft = int(ids["item"]), int(ids["campaign"]), int(ids["draft"])
    with ctx.db.transaction() as session:
        campaigns, calendar = (
            CampaignRepository(session, team_id),
            CalendarRepository(session, team_id),
        )
        templates, links = (
            CustomTemplateRepository(session, team_id),
            ShortLinkRepository(session, team_id),
        )
        sources, metrics = ConnectorRepository(session, team_id), MetricRepository(session, team_id)
        digest = DigestRepository(session, team_id)
        return {
            "campaign": campaigns.get(campaign),
            "campaign by name": campaigns.find_by_name("Promo"),
            "campaigns": campaigns.list_all(),
            "item": calendar.get(item),
            "upcoming": calendar.list_upcoming(start=start, end=end),
            "upcoming count": calendar.count_upcoming(campaign_id=campaign, after=start),
            "draft": DraftRepository(session, team_id).get(draft),
            "template": templates.get("tip"),
            "templates": templates.list_all(),
            "link": links.find(
                target_url="https://t.id", campaign="promo", source="x", medium="social"
            ),
            "clicks": links.count_clicks([str(ids["code"])]),
            "source": sources.get("google"),
            "sources": sources.list_all(),
            "readings": metrics.list_all(),
            "reading sources": metrics.list_sources_between(now.date(), now.date()),
            "bio page": BioRepository(session, team_id).get(),
            "bio links": BioRepository(session, team_id).list_links(),
            "member": UserRepository(session, team_id).get("U1"),
            "active campaigns": digest.list_active_campaigns(now.date()),
            "delivered": OutboxRepository(session, team_id).count_delivered_for_item(item, "due"),
        }


def test_another_workspace_sees_none_of_the_rows(ctx: ServiceContext) -> None:
    seen = _seen_by(ctx, "T2", _fill_t1(ctx))
    assert {query: found for query, found in seen.items() if found} == {}


def test_the_owning_workspace_sees_every_row(ctx: ServiceContext) -> None:
    seen = _seen_by(ctx, "T1", _fill_t1(ctx))
    assert [query for query, found in seen.items() if not found] == []


def test_another_workspace_cannot_remove_or_cancel_the_rows(ctx: ServiceContext) -> None:
    ids = _fill_t1(ctx)
    with ctx.db.transaction() as session:
        assert OutboxRepository(session, "T2").cancel_for_item(int(ids["item"])) == 0
        MetricRepository(session, "T2").remove_source("manual")
        CalendarRepository(session, "T2").remove_created_by("U1")
        assert ConnectorRepository(session, "T2").remove("google") is False
    seen = _seen_by(ctx, "T1", ids)
    assert seen["readings"] and seen["item"] and seen["source"] and seen["upcoming"]
    with ctx.db.transaction() as session:
        assert OutboxRepository(session, "T1").cancel_for_item(int(ids["item"])) == 1
