"""Checking readings that arrive as rows (API JSON objects, CSV lines) and saving good ones.

Both ways in are batches from a script or a spreadsheet, so every problem of a row is collected
at once; the caller decides whether one bad row stops the batch (the API) or is only reported
(the CSV import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from smmbot.domain.metrics import Metric, suggest_metric
from smmbot.domain.readings import (
    ReadingError,
    ReadingProblem,
    read_day,
    read_metric,
    read_platform,
    read_value,
)
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.metrics_repository import MetricRepository

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Row:
    day: date
    metric: Metric
    value: Decimal
    campaign: str
    platform: str


@dataclass(frozen=True, slots=True)
class RowError:
    """``row`` is the row's number as its sender counts (JSON: from 1; CSV: the file's line);
    ``suggestion`` the metric name an unknown one most likely meant."""

    row: int
    field: str
    problem: ReadingProblem
    text: str = ""
    suggestion: str = ""


def check_row(
    raw: Mapping[str, object],
    number: int,
    *,
    today: date,
    currency: str,
    campaigns: CampaignRepository,
) -> Row | list[RowError]:
    """The row as a reading, or every problem it has (at most one per field)."""
    errors: list[RowError] = []

    def attempt(read: Callable[[], T]) -> T | None:
        try:
            return read()
        except ReadingError as error:
            unknown = error.problem is ReadingProblem.UNKNOWN_METRIC
            suggestion = (suggest_metric(error.text) if unknown else None) or ""
            errors.append(RowError(number, error.field, error.problem, error.text, suggestion))
            return None

    metric = attempt(lambda: read_metric(_required(raw, "metric")))
    day = attempt(lambda: read_day(_required(raw, "date"), today=today))
    value = None
    if metric is not None:
        value = attempt(lambda: read_value(metric, _value(raw), currency=currency))
    campaign = attempt(lambda: campaign_name(campaigns, _optional(raw, "campaign")))
    platform = attempt(lambda: read_platform(_optional(raw, "platform")))
    if metric is None or day is None or value is None or campaign is None or platform is None:
        return errors
    return Row(day, metric, value, campaign, platform)


def save_rows(
    readings: MetricRepository,
    rows: Iterable[Row],
    *,
    source: str,
    recorded_by: str | None,
    now: datetime,
) -> None:
    """Save good rows in one batch; of two rows with one key the later wins, as when each
    replaced the one before."""
    values = {
        (row.day, row.metric.name, row.campaign, row.platform, source): row.value for row in rows
    }
    readings.upsert_batch(values, recorded_by=recorded_by, now=now)


def _required(raw: Mapping[str, object], field: str) -> str:
    value = raw.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ReadingError(field, ReadingProblem.MISSING_FIELD)
    if not isinstance(value, str):
        raise ReadingError(field, _WRONG_TYPE[field], str(value))
    return value


def _optional(raw: Mapping[str, object], field: str) -> str:
    value = raw.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ReadingError(field, _WRONG_TYPE[field], str(value))
    return value


def _value(raw: Mapping[str, object]) -> str | int | float:
    value = raw.get("value")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ReadingError("value", ReadingProblem.MISSING_FIELD)
    if not isinstance(value, str | int | float):
        raise ReadingError("value", ReadingProblem.NOT_A_NUMBER, str(value))
    return value


def campaign_name(campaigns: CampaignRepository, name: str) -> str:
    """The campaign's own spelling of its name, so readings group under one name."""
    if not name.strip():
        return ""
    campaign = campaigns.find_by_name(name.strip())
    if campaign is None:
        raise ReadingError("campaign", ReadingProblem.UNKNOWN_CAMPAIGN, name)
    return campaign.name


_WRONG_TYPE = {
    "metric": ReadingProblem.UNKNOWN_METRIC,
    "date": ReadingProblem.BAD_DATE,
    "campaign": ReadingProblem.UNKNOWN_CAMPAIGN,
    "platform": ReadingProblem.UNKNOWN_PLATFORM,
}
