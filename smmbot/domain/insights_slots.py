"""Turning the best time blocks into moments to post: `schedule best` and the schedule form.

A block is free when no other post of the platform is planned in it; the moment offered is the
block's start on the wall clock of the workspace's zone (a DST change moves the UTC instant,
not the 19:00). Only blocks with enough posts (a median) are offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from smmbot.domain.insights import Cell, time_block

LOOKAHEAD_WEEKS = 4


def _occurrences(cell: Cell, zone: str, now: datetime, weeks: int) -> Iterator[datetime]:
    """The block's starts after `now`, soonest first."""
    weekday, hour = cell.block
    today = now.astimezone(ZoneInfo(zone)).date()
    first = today + timedelta(days=(weekday - today.weekday()) % 7)
    for week in range(weeks + 1):
        local = datetime.combine(first + timedelta(weeks=week), time(hour), ZoneInfo(zone))
        if local > now:
            yield local


def free_slots(
    cells: Sequence[Cell],
    zone: str,
    now: datetime,
    busy: Iterable[datetime],
    *,
    weeks: int = LOOKAHEAD_WEEKS,
) -> list[tuple[datetime, Cell]]:
    """Each rated block's next free start, best block first; a block whose next `weeks`
    starts are all taken is left out."""
    taken = {
        (moment.astimezone(ZoneInfo(zone)).date(), time_block(moment, zone)) for moment in busy
    }
    found: list[tuple[datetime, Cell]] = []
    for cell in cells:
        if cell.median is None:
            continue
        for start in _occurrences(cell, zone, now, weeks):
            if (start.date(), cell.block) not in taken:
                found.append((start, cell))
                break
    return found
