"""All models, imported here so that `Base.metadata` (Alembic's target) knows every table."""

from smmbot.persistence.models.audit import AuditEvent
from smmbot.persistence.models.base import Base, UtcDateTime
from smmbot.persistence.models.bio import BioLink, BioPage
from smmbot.persistence.models.calendar import CalendarItem
from smmbot.persistence.models.campaigns import Campaign
from smmbot.persistence.models.competitors import Competitor, CompetitorReading
from smmbot.persistence.models.drafts import Draft, DraftVariant
from smmbot.persistence.models.links import LinkClick, ShortLink
from smmbot.persistence.models.metrics import MetricDailyRollup, MetricReading, RollupDimension
from smmbot.persistence.models.outbox import OutboxMessage
from smmbot.persistence.models.recurring import RecurringSeries
from smmbot.persistence.models.sharebar import ShareBarKey
from smmbot.persistence.models.sources import ConnectorSource, ConnectState
from smmbot.persistence.models.templates import CustomTemplate
from smmbot.persistence.models.workspace import SlackUser, Workspace

__all__ = [
    "AuditEvent",
    "Base",
    "BioLink",
    "BioPage",
    "CalendarItem",
    "Campaign",
    "Competitor",
    "CompetitorReading",
    "ConnectState",
    "ConnectorSource",
    "CustomTemplate",
    "Draft",
    "DraftVariant",
    "LinkClick",
    "MetricDailyRollup",
    "MetricReading",
    "OutboxMessage",
    "RecurringSeries",
    "RollupDimension",
    "ShareBarKey",
    "ShortLink",
    "SlackUser",
    "UtcDateTime",
    "Workspace",
]
