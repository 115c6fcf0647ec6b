"""The link-in-bio page of one workspace and its links; plus the public lookup by slug."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmbot.persistence.models import BioLink, BioPage
from smmbot.persistence.team_scoped import TeamScopedRepository

SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SLUG_LENGTH = 8


class BioRepository(TeamScopedRepository):
    def get(self) -> BioPage | None:
        return self._session.get(BioPage, self.team_id)

    def get_or_create(self, *, now: datetime) -> BioPage:
        """The page, made with a fresh random slug on first use."""
        page = self.get()
        if page is None:
            slug = "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))
            page = self._add(BioPage(slug=slug, title="", avatar_url="", updated_at=now))
        return page

    def list_links(self) -> list[BioLink]:
        return list(
            self._session.scalars(self._select(BioLink).order_by(BioLink.position, BioLink.id))
        )

    def add(self, *, title: str, url: str, code: str, created_by: str, now: datetime) -> BioLink:
        last = self._session.scalar(select(func.max(BioLink.position)).where(self._scoped(BioLink)))
        link = BioLink(
            position=(last or 0) + 1,
            title=title,
            url=url,
            code=code,
            created_by=created_by,
            created_at=now,
        )
        return self._add(link)

    def remove(self, link: BioLink) -> None:
        self._session.delete(link)
        self._session.flush()

    def renumber(self, ordered: list[BioLink]) -> None:
        """Positions 1..n in the given order."""
        for position, link in enumerate(ordered, start=1):
            link.position = position
        self._session.flush()


def page_by_slug(session: Session, slug: str) -> tuple[BioPage, list[BioLink]] | None:
    """Unscoped on purpose, like `find_by_code`: a visitor names only the slug."""
    if not slug or len(slug) > 32 or not set(slug) <= set(SLUG_ALPHABET):
        return None
    page = session.scalars(select(BioPage).where(BioPage.slug == slug)).one_or_none()
    if page is None:
        return None
    return page, BioRepository(session, page.team_id).list_links()
