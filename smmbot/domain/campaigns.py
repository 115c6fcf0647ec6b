"""Campaigns: checking ``/smm campaign new`` input, and where a campaign stands on a given day.

Validation collects every problem before failing, so one reply can list them all ("objective is
missing, end is before start, target.likes is not a metric") instead of making the user fix
one field per attempt. Problems are codes plus the field and the typed value, never prose: the
reply is written in the user's language elsewhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final, Protocol, TypeVar

from smmbot.domain.dates import DateError, read_date
from smmbot.domain.mentions import mentioned_user
from smmbot.domain.metrics import Unit, find_metric
from smmbot.domain.money import MoneyError, MoneyProblem, parse_money, parse_number
from smmbot.domain.platforms import Platform, UnknownPlatformError, parse_platforms
from smmbot.domain.templates import Pillar

MAX_NAME_LENGTH: Final = 80
TARGET_PREFIX: Final = "target."


class CampaignProblem(StrEnum):
    """Why a field was refused; the value is the message key the reply looks up."""

    MISSING = "missing"
    BAD_NAME = "bad_name"
    UNKNOWN_OBJECTIVE = "unknown_objective"
    BAD_DATE = "bad_date"
    END_BEFORE_START = "end_before_start"
    NEGATIVE_BUDGET = "negative_budget"
    BAD_BUDGET = "bad_budget"
    UNKNOWN_PLATFORM = "unknown_platform"
    UNKNOWN_METRIC = "unknown_metric"
    BAD_TARGET = "bad_target"
    BAD_OWNER = "bad_owner"


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One refused field: ``field`` as typed (``budget``, ``target.reach``), and its value.

    For ``unknown_metric`` the value is the metric name the user typed after ``target.``.
    """

    field: str
    problem: CampaignProblem
    value: str


class CampaignInputError(ValueError):
    """Every problem with one ``campaign new`` request, in the order the fields are documented."""

    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.problem.value}" for p in self.problems))


@dataclass(frozen=True)
class CampaignDraft:
    """A campaign that passed validation and can be saved as is."""

    name: str
    objective: Pillar
    start: date
    end: date
    budget: Decimal | None
    platforms: tuple[Platform, ...]
    targets: dict[str, Decimal]
    owner_id: str | None


def validate_campaign(name: str, options: Mapping[str, str], *, currency: str) -> CampaignDraft:
    """Check a ``campaign new`` request (or an edited campaign's fields) or raise with all problems.

    Rules: the name is 1-80 characters on one line and does not start with ``-`` (it would
    read as a flag); ``objective``, ``start`` and ``end`` are required; dates are
    ``YYYY-MM-DD`` or day first (``domain.dates``); ``end`` may equal ``start`` (a one-day
    campaign) but not precede it. A period that is already over is accepted: a team enters a
    past campaign to log its results, and it shows as ended (the reply says so, so a wrong
    year is noticed). The budget and money targets (``ad_spend``, ``revenue``) are amounts in
    ``currency``; count targets are whole numbers; all are zero or more. ``owner`` must be a
    Slack mention (``<@U123>``): a plain ``@name`` cannot be resolved to a person, so it is
    refused rather than guessed. Keys are the catalog's canonical ones (``platform=`` and
    Indonesian keys arrive as ``platforms``, ``start``, …), and the catalog has already refused
    any other."""
    problems: list[FieldProblem] = []

    def refuse(field: str, problem: CampaignProblem, value: str) -> None:
        problems.append(FieldProblem(field, problem, value))

    values = {key.strip().casefold(): value.strip() for key, value in options.items()}
    name = _name(name, refuse)
    objective = _objective(values.get("objective"), refuse)
    start = _date("start", values.get("start"), refuse)
    end = _date("end", values.get("end"), refuse)
    if start and end and end < start:
        refuse("end", CampaignProblem.END_BEFORE_START, values["end"])
    budget = None
    if "budget" in values:
        budget = _budget(values["budget"], currency, refuse)
    platforms = _platforms(values, refuse)
    targets = _targets(values, currency, refuse)
    owner_id = None
    if "owner" in values:
        owner_id = mentioned_user(values["owner"])
        if owner_id is None:
            refuse("owner", CampaignProblem.BAD_OWNER, values["owner"])
    if problems or objective is None or start is None or end is None:
        raise CampaignInputError(problems)
    return CampaignDraft(name, objective, start, end, budget, platforms, targets, owner_id)


_Refuse = Callable[[str, CampaignProblem, str], None]


def _name(name: str, refuse: _Refuse) -> str:
    name = name.strip()
    if not name:
        refuse("name", CampaignProblem.MISSING, "")
    elif len(name) > MAX_NAME_LENGTH or name.startswith("-") or not _one_line(name):
        refuse("name", CampaignProblem.BAD_NAME, name)
    return name


def _one_line(name: str) -> bool:
    return not any(unicodedata.category(char).startswith("C") for char in name)


def _platforms(values: Mapping[str, str], refuse: _Refuse) -> tuple[Platform, ...]:
    """A platform named twice counts once."""
    if "platforms" not in values:
        return ()
    try:
        return tuple(dict.fromkeys(parse_platforms(values["platforms"])))
    except UnknownPlatformError:
        refuse("platforms", CampaignProblem.UNKNOWN_PLATFORM, values["platforms"])
        return ()


def _objective(value: str | None, refuse: _Refuse) -> Pillar | None:
    if value is None:
        refuse("objective", CampaignProblem.MISSING, "")
        return None
    pillar = next((p for p in Pillar if p.value == value.casefold()), None)
    if pillar is None:
        refuse("objective", CampaignProblem.UNKNOWN_OBJECTIVE, value)
    return pillar


def _date(field: str, value: str | None, refuse: _Refuse) -> date | None:
    """``YYYY-MM-DD`` or day first (``domain.dates``): no guessing, a campaign's dates are
    shown back and compared."""
    if value is None:
        refuse(field, CampaignProblem.MISSING, "")
        return None
    try:
        return read_date(value)
    except DateError:
        refuse(field, CampaignProblem.BAD_DATE, value)
        return None


def _budget(value: str, currency: str, refuse: _Refuse) -> Decimal | None:
    try:
        return parse_money(value, currency=currency)
    except MoneyError as error:
        negative = error.problem is MoneyProblem.NEGATIVE
        problem = CampaignProblem.NEGATIVE_BUDGET if negative else CampaignProblem.BAD_BUDGET
        refuse("budget", problem, value)
        return None


def _targets(values: Mapping[str, str], currency: str, refuse: _Refuse) -> dict[str, Decimal]:
    targets: dict[str, Decimal] = {}
    for key, value in values.items():
        if not key.startswith(TARGET_PREFIX):
            continue
        metric = find_metric(key.removeprefix(TARGET_PREFIX))
        if metric is None:
            refuse(key, CampaignProblem.UNKNOWN_METRIC, key.removeprefix(TARGET_PREFIX))
            continue
        try:
            if metric.unit is Unit.MONEY:
                target = parse_money(value, currency=currency)
            else:
                target = parse_number(value)
        except MoneyError:
            target = None
        if target is None or (metric.unit is Unit.COUNT and target != target.to_integral_value()):
            refuse(key, CampaignProblem.BAD_TARGET, value)
        else:
            targets[metric.name] = target
    return targets


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"
    CLOSED = "closed"


def campaign_status(start: date, end: date, closed: bool, today: date) -> CampaignStatus:
    """Closing wins over dates (a team may stop early); otherwise both end days are inclusive."""
    if closed:
        return CampaignStatus.CLOSED
    if today < start:
        return CampaignStatus.PLANNED
    return CampaignStatus.ACTIVE if today <= end else CampaignStatus.ENDED


def days_left(end: date, today: date) -> int:
    """Days remaining counting today, since the last day is a full working day: 1 on the last
    day ("1 day left"), 0 once the campaign has ended."""
    return max(0, (end - today).days + 1)


class Listable(Protocol):
    """Anything with a campaign's dates and status (a model row, a view for a reply)."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...

    @property
    def status(self) -> str: ...


ListableT = TypeVar("ListableT", bound=Listable)


def sort_for_listing(campaigns: Iterable[ListableT]) -> list[ListableT]:
    """Order for ``/smm campaign list``: what needs attention now first.

    Active campaigns, soonest end first; then planned ones, soonest start first; then ended and
    closed ones together, most recent end first. Ties keep their given order.
    """

    def key(campaign: ListableT) -> tuple[int, int]:
        status = CampaignStatus(campaign.status)
        if status is CampaignStatus.ACTIVE:
            return 0, campaign.end.toordinal()
        if status is CampaignStatus.PLANNED:
            return 1, campaign.start.toordinal()
        return 2, -campaign.end.toordinal()

    return sorted(campaigns, key=key)
