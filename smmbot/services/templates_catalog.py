"""Where a template comes from: the built-in library or the workspace's own custom templates.

Both look the same to drafting (a `PostTemplate`); only rendering differs, because custom
templates are untrusted and run in the sandbox. Every variable a custom template uses is asked
for, since its author put it there on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from smmbot.domain.platforms import Platform
from smmbot.domain.templates import Pillar, PostTemplate, TemplateVariable
from smmbot.persistence.models import CustomTemplate
from smmbot.persistence.templates_repository import CustomTemplateRepository
from smmbot.rendering.post_library import builtin_templates, render_builtin
from smmbot.rendering.sandbox import check_template, render_template


def _as_post_template(row: CustomTemplate) -> PostTemplate:
    checked = check_template(row.body)
    return PostTemplate(
        name=row.name,
        pillar=Pillar(row.pillar),
        platforms=tuple(Platform(platform) for platform in row.platforms),
        description={"en": row.description, "id": row.description},
        variables=tuple(TemplateVariable(name=name, required=True) for name in checked.variables),
        builtin=False,
        body=row.body,
    )


def all_templates(session: Session, team_id: str) -> list[PostTemplate]:
    custom = [
        _as_post_template(row) for row in CustomTemplateRepository(session, team_id).list_all()
    ]
    return [*builtin_templates().values(), *custom]


def find_template(session: Session, team_id: str, name: str) -> PostTemplate | None:
    builtin = builtin_templates().get(name.lower())
    if builtin is not None:
        return builtin
    row = CustomTemplateRepository(session, team_id).get(name.lower())
    return _as_post_template(row) if row is not None else None


def render_post(
    template: PostTemplate, values: Mapping[str, str], *, platform: Platform, language: str
) -> str:
    """Raises `TemplateRefused` when a custom template misbehaves at render time."""
    if template.builtin:
        return render_builtin(template, values, platform=platform, language=language)
    context = {**values, "platform": platform.value, "lang": language}
    return render_template(template.body, context).strip()
