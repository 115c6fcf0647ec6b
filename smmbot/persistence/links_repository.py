"""Tracked short links (`/r/<code>`) of one workspace, and the clicks they get.

Like every repository this one is bound to a `team_id`: creating, reusing and counting links
never crosses workspaces. The single deliberate exception is `find_by_code`, the lookup behind
the public redirect: the visitor is anonymous and belongs to no workspace, the code alone is the
key (a primary key, so it is one indexed read), and the row found carries its own `team_id`,
which is what the click is then recorded under.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from datetime import datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmbot.persistence.models import LinkClick, ShortLink
from smmbot.persistence.team_scoped import TeamScopedRepository

# URL-safe and unambiguous when read aloud or retyped from a screenshot: no 0/O/o, 1/l/I/i.
CODE_ALPHABET: Final = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH: Final = 7  # 55**7 ≈ 1.5e12 codes: guessing a live one is hopeless
_CODE_ATTEMPTS: Final = 5
_CODE_SHAPE: Final = re.compile(f"[{CODE_ALPHABET}]{{1,16}}")


class CodeSpaceExhaustedError(RuntimeError):
    """Every freshly drawn code was taken: only possible if the alphabet or length is broken."""


def find_by_code(session: Session, code: str) -> ShortLink | None:
    """The redirect lookup, unscoped on purpose (see the module docstring).

    Anything that cannot be a code is answered without touching the database, which also keeps
    bytes PostgreSQL rejects (NUL) out of the query.
    """
    if not _CODE_SHAPE.fullmatch(code):
        return None
    return session.get(ShortLink, code)


class ShortLinkRepository(TeamScopedRepository):
    def find(self, *, target_url: str, campaign: str, source: str, medium: str) -> ShortLink | None:
        """The oldest link already made for exactly this target and these tags, to reuse it."""
        return self._session.scalars(
            self._select(
                ShortLink,
                ShortLink.target_url == target_url,
                ShortLink.campaign == campaign,
                ShortLink.source == source,
                ShortLink.medium == medium,
            )
            .order_by(ShortLink.created_at, ShortLink.code)
            .limit(1)
        ).first()

    def add(
        self,
        *,
        target_url: str,
        campaign: str,
        source: str,
        medium: str,
        created_by: str,
        now: datetime,
    ) -> ShortLink:
        """A link with a fresh random code, redrawn while the code is taken.

        Two processes drawing the same unused code in the same instant is left to the primary
        key: the second transaction fails whole (nothing half-saved) and the user may retry.
        """
        link = ShortLink(
            code=self._unused_code(),
            target_url=target_url,
            campaign=campaign,
            source=source,
            medium=medium,
            created_by=created_by,
            created_at=now,
        )
        return self._add(link)

    def _unused_code(self) -> str:
        for _ in range(_CODE_ATTEMPTS):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if self._session.get(ShortLink, code) is None:
                return code
        raise CodeSpaceExhaustedError(f"{_CODE_ATTEMPTS} short-link codes in a row were taken")

    def add_click(self, *, code: str, campaign: str, source: str, clicked_at: datetime) -> None:
        self._session.add(
            LinkClick(
                code=code,
                team_id=self.team_id,
                campaign=campaign,
                source=source,
                clicked_at=clicked_at,
            )
        )

    def count_clicks(self, codes: Collection[str]) -> int:
        """Clicks recorded so far on these links (the last fraction of a second may be queued)."""
        count = self._session.scalar(
            select(func.count())
            .select_from(LinkClick)
            .where(self._scoped(LinkClick, LinkClick.code.in_(codes)))
        )
        return count or 0
