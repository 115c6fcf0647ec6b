"""The built-in post templates under `prompts/posts/`, loaded once and rendered per platform.

Built-in templates are our own code, so they render in a normal Jinja2 environment (StrictUndefined
catches a typo in a template at test time); workspace templates go through the sandbox instead.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smmbot.domain.platforms import Platform
from smmbot.domain.templates import Pillar, PostTemplate, TemplateVariable
from smmbot.rendering.i18n import PROMPTS_DIR

if TYPE_CHECKING:
    from jinja2 import Environment

POSTS_DIR = PROMPTS_DIR / "posts"


@cache
def _posts() -> Environment:
    """Plain-text social posts, not HTML (escaped for Slack later), so nothing is autoescaped;
    Jinja2 loads when a post is first drafted (see `i18n._environment`)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(  # noqa: S701
        loader=FileSystemLoader(POSTS_DIR), undefined=StrictUndefined, keep_trailing_newline=False
    )


def _variable(raw: Mapping[str, Any]) -> TemplateVariable:
    return TemplateVariable(
        name=raw["name"],
        required=bool(raw.get("required", False)),
        default=str(raw.get("default", "")),
        description=dict(raw.get("description", {})),
        sample=dict(raw.get("sample", {})),
    )


def _load(meta_path: Path) -> PostTemplate:
    with meta_path.open("rb") as handle:
        meta = tomllib.load(handle)
    return PostTemplate(
        name=meta["name"],
        pillar=Pillar(meta["pillar"]),
        platforms=tuple(Platform(platform) for platform in meta["platforms"]),
        description=dict(meta["description"]),
        variables=tuple(_variable(raw) for raw in meta.get("variables", [])),
        hashtags={lang: tuple(tags) for lang, tags in meta.get("hashtags", {}).items()},
    )


@cache
def builtin_templates() -> dict[str, PostTemplate]:
    templates = (_load(path) for path in sorted(POSTS_DIR.glob("*/meta.toml")))
    return {template.name: template for template in templates}


def render_builtin(
    template: PostTemplate, values: Mapping[str, str], *, platform: Platform, language: str
) -> str:
    source = _posts().get_template(f"{template.name}/{language}.j2")
    hashtags = list(template.hashtags.get(language, ()))
    context = {**values, "platform": platform.value, "hashtags": hashtags, "lang": language}
    return source.render(context).strip()
