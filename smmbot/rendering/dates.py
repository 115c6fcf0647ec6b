"""Why a typed date was refused, in the member's language.

The domain's date reader is pure and cheap, so a reply that only has the refused text (a
reading's ``date=``, a campaign's ``start=``) reads it again here to learn the reason, instead
of every refusal type carrying it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from smmbot.domain.dates import DateError, DateProblem, read_date
from smmbot.domain.when import WhenError
from smmbot.rendering import formatting
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn


def date_problem(tr: Translator, error: DateError) -> Mrkdwn:
    """The reason in ``error``; a month-first date also shows its day-first spelling."""
    swapped = error.swapped
    return tr.mrkdwn(
        f"dates.{error.problem.value}",
        text=error.text.strip(),
        day_first=f"{swapped.day:02}/{swapped.month:02}/{swapped.year}" if swapped else "",
        iso=swapped.isoformat() if swapped else "",
        spelled=formatting.long_date(swapped, tr.locale) if swapped else "",
    )


def date_hint(tr: Translator, text: str) -> Mrkdwn:
    """Why ``text`` is not a date (the general rule when it reads as one after all: then it
    was refused for another reason, such as being in the future, worded by the caller)."""
    try:
        read_date(text)
    except DateError as error:
        return date_problem(tr, error)
    return date_problem(tr, DateError(DateProblem.UNREADABLE, text))


def when_hint(tr: Translator, error: WhenError) -> Mrkdwn:
    """Why a ``<when>`` was unreadable when a numeric date in it was refused, else nothing."""
    return date_problem(tr, error.date_error) if error.date_error else Mrkdwn("")


def when_example(now: datetime, timezone: str, locale: str) -> str:
    """A ``<when>`` to show as an example: tomorrow 09:00 where the member is, so it is always
    ahead, written the way the member writes dates (``03/12/2026 09:00`` in Indonesian)."""
    tomorrow = now.astimezone(ZoneInfo(timezone)).date() + timedelta(days=1)
    day = f"{tomorrow:%d/%m/%Y}" if locale == "id" else tomorrow.isoformat()
    return f"{day} 09:00"
