"""The workspace's own post templates."""

from __future__ import annotations

from smmbot.persistence.models import CustomTemplate
from smmbot.persistence.team_scoped import TeamScopedRepository


class CustomTemplateRepository(TeamScopedRepository):
    def list_all(self) -> list[CustomTemplate]:
        return list(
            self._session.scalars(self._select(CustomTemplate).order_by(CustomTemplate.name))
        )

    def get(self, name: str) -> CustomTemplate | None:
        return self._session.scalars(
            self._select(CustomTemplate, CustomTemplate.name == name)
        ).one_or_none()

    def add(self, template: CustomTemplate) -> CustomTemplate:
        return self._add(template)

    def remove(self, template: CustomTemplate) -> None:
        self._session.delete(template)
        self._session.flush()
