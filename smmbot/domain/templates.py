"""Post templates as data: their declared variables and which of them a draft request lacks.

The declaration (front matter in `prompts/posts/<name>/meta.toml`, or a custom template's body)
is the single source for `/smm templates`, the draft modal and validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from smmbot.domain.platforms import Platform
from smmbot.domain.utm import web_address

_LINK_NAMES = frozenset({"url", "link", "tautan"})


def is_link_variable(name: str) -> bool:
    """`url`, `link`, `shop_url`, `menu_link`: values that become a UTM-tagged link in the post,
    so they must be web addresses (the same rule as `/smm link`)."""
    return name in _LINK_NAMES or name.endswith(("_url", "_link"))


class Pillar(StrEnum):
    SMO = "smo"
    SMM = "smm"


@dataclass(frozen=True)
class TemplateVariable:
    name: str
    required: bool
    default: str = ""
    description: Mapping[str, str] = field(default_factory=dict)
    sample: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PostTemplate:
    name: str
    pillar: Pillar
    platforms: tuple[Platform, ...]
    description: Mapping[str, str]
    variables: tuple[TemplateVariable, ...]
    hashtags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    builtin: bool = True
    body: str = ""
    """A custom template's Jinja2 source; built-in templates live in files instead."""

    def describe(self, language: str) -> str:
        return self.description.get(language) or self.description.get("en", "")

    def variable_names(self) -> tuple[str, ...]:
        return tuple(variable.name for variable in self.variables)


def sample_values(template: PostTemplate, language: str) -> dict[str, str]:
    """Every variable filled with its sample in `language` (English, else its default): what
    `template show` renders so a member sees a finished post rather than template code."""
    return {
        variable.name: variable.sample.get(language)
        or variable.sample.get("en")
        or variable.default
        for variable in template.variables
    }


@dataclass(frozen=True)
class VariableCheck:
    """`bad_links`: link variables whose value is no web address (name, value as typed)."""

    values: dict[str, str]
    missing: tuple[str, ...]
    unknown: tuple[str, ...]
    bad_links: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unknown and not self.bad_links


def check_variables(template: PostTemplate, given: Mapping[str, str]) -> VariableCheck:
    """`given`: the template variables only (`draft`'s own options are taken out first). Fills
    defaults and names every missing required and every unknown variable at once, so
    the user fixes the command in one go instead of one error at a time."""
    declared = {variable.name: variable for variable in template.variables}
    unknown = tuple(name for name in given if name not in declared)
    values: dict[str, str] = {}
    missing: list[str] = []
    bad_links: list[tuple[str, str]] = []
    for variable in template.variables:
        value = given.get(variable.name, "").strip()
        if not value and variable.required:
            missing.append(variable.name)
        if value and is_link_variable(variable.name):
            address = web_address(value)
            if address is None:
                bad_links.append((variable.name, value))
            value = address or value
        values[variable.name] = value or variable.default
    return VariableCheck(
        values=values, missing=tuple(missing), unknown=unknown, bad_links=tuple(bad_links)
    )
