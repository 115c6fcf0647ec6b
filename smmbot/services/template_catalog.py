"""Where a template comes from: the built-in library or the workspace's own custom templates.

Both look the same to drafting (a `PostTemplate`); only rendering differs, because custom
templates are untrusted and run in the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from smmbot.domain.platforms import Platform
from smmbot.domain.templates import PostTemplate
from smmbot.rendering.post_library import builtin_templates, render_builtin


def all_templates(session: Session, team_id: str) -> list[PostTemplate]:
    return list(builtin_templates().values())


def find_template(session: Session, team_id: str, name: str) -> PostTemplate | None:
    return builtin_templates().get(name.lower())


def render_post(
    template: PostTemplate, values: Mapping[str, str], *, platform: Platform, language: str
) -> str:
    return render_builtin(template, values, platform=platform, language=language)
