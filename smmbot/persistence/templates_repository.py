"""The workspace's own post templates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmbot.persistence.models import CustomTemplate


class CustomTemplateRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def all(self) -> list[CustomTemplate]:
        return list(
            self._session.scalars(
                select(CustomTemplate)
                .where(CustomTemplate.team_id == self.team_id)
                .order_by(CustomTemplate.name)
            )
        )

    def get(self, name: str) -> CustomTemplate | None:
        return self._session.scalars(
            select(CustomTemplate).where(
                CustomTemplate.team_id == self.team_id, CustomTemplate.name == name
            )
        ).one_or_none()
