"""Post templates as data: their declared variables and which of them a draft request lacks.

The declaration (front matter in `prompts/posts/<name>/meta.toml`, or a custom template's body)
is the single source for `/smm templates`, the draft modal and validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from smmbot.domain.platforms import Platform

RESERVED_OPTIONS = frozenset({"platform", "campaign", "lang"})
"""Options of `/smm draft` that steer drafting instead of filling a template variable."""


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


@dataclass(frozen=True)
class VariableCheck:
    values: dict[str, str]
    missing: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unknown


def check_variables(template: PostTemplate, given: Mapping[str, str]) -> VariableCheck:
    """Fills defaults and names every missing required and every unknown variable at once, so
    the user fixes the command in one go instead of one error at a time."""
    declared = {variable.name: variable for variable in template.variables}
    unknown = tuple(name for name in given if name not in declared and name not in RESERVED_OPTIONS)
    values: dict[str, str] = {}
    missing: list[str] = []
    for variable in template.variables:
        value = given.get(variable.name, "").strip()
        if not value and variable.required:
            missing.append(variable.name)
        values[variable.name] = value or variable.default
    return VariableCheck(values=values, missing=tuple(missing), unknown=unknown)
