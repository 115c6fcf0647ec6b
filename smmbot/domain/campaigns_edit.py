"""`/smm campaign edit`: a saved campaign with some fields changed, checked like a new one.

The edit is validated by `validate_campaign` itself, on the campaign's stored dates and
objective with the typed fields on top, so an edit can never save what `campaign new` would
refuse (an end before the start, a budget that is no amount). An empty value (`budget=`,
`owner=`, `platforms=`, `target.reach=`) removes an optional field; dates and the objective
cannot be removed, and an empty one is refused as an unreadable value.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final, TypeVar

from smmbot.domain.campaigns import (
    TARGET_PREFIX,
    CampaignDraft,
    CampaignInputError,
    CampaignProblem,
    FieldProblem,
    validate_campaign,
)
from smmbot.domain.metrics import find_metric

_CLEARABLE: Final = frozenset({"budget", "owner", "platforms", "platform"})
_PLATFORM_KEYS: Final = ("platforms", "platform")

T = TypeVar("T")


def edit_campaign(
    current: CampaignDraft, options: Mapping[str, str], *, currency: str
) -> CampaignDraft:
    """`current` with `options` applied, or `CampaignInputError` naming every problem."""
    typed = {key.strip().casefold(): value.strip() for key, value in options.items()}
    cleared = {
        key
        for key, value in typed.items()
        if not value and (key in _CLEARABLE or key.startswith(TARGET_PREFIX))
    }
    given = {key: value for key, value in typed.items() if key not in cleared}
    problems = [
        FieldProblem(key, CampaignProblem.UNKNOWN_METRIC, key.removeprefix(TARGET_PREFIX))
        for key in sorted(cleared)
        if key.startswith(TARGET_PREFIX) and find_metric(key.removeprefix(TARGET_PREFIX)) is None
    ]
    stored = {
        "objective": current.objective.value,
        "start": current.start.isoformat(),
        "end": current.end.isoformat(),
    }
    try:
        checked = validate_campaign(current.name, {**stored, **given}, currency=currency)
    except CampaignInputError as error:
        raise CampaignInputError([*error.problems, *problems]) from error
    if problems:
        raise CampaignInputError(problems)
    return CampaignDraft(
        name=current.name,
        objective=checked.objective,
        start=checked.start,
        end=checked.end,
        budget=_pick(("budget",), given, cleared, checked.budget, current.budget),
        platforms=_pick(_PLATFORM_KEYS, given, cleared, checked.platforms, current.platforms),
        targets={**_kept_targets(current, cleared), **checked.targets},
        owner_id=_pick(("owner",), given, cleared, checked.owner_id, current.owner_id),
    )


def _pick(
    keys: tuple[str, ...],
    given: Mapping[str, str],
    cleared: set[str],
    new: T,
    old: T,
) -> T:
    """The checked value when one of `keys` was typed or cleared (a cleared field's checked
    value is its empty one: no budget, no owner, no platforms), else the stored value."""
    return new if any(key in given or key in cleared for key in keys) else old


def _kept_targets(current: CampaignDraft, cleared: set[str]) -> dict[str, Decimal]:
    removed: set[str] = set()
    for key in cleared:
        metric = find_metric(key.removeprefix(TARGET_PREFIX))
        if key.startswith(TARGET_PREFIX) and metric is not None:
            removed.add(metric.name)
    return {name: value for name, value in current.targets.items() if name not in removed}
