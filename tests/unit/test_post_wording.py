"""Built-in posts read naturally whatever sample value a variable takes: each template, in both
languages and on each of its platforms, rendered with every sample of every variable (the
meta.toml samples, and the other forms a member types for counts: `winners=1`, `winners=3`)."""

from __future__ import annotations

import re

import pytest

from smmbot.domain.platforms import Platform
from smmbot.domain.templates import PostTemplate
from smmbot.rendering.post_library import builtin_templates, render_builtin
from tests.test_post_library_files import _layout_problems

EXTRA_SAMPLES: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("giveaway", "winners"): {
        "en": ("1", "3", "10", "3 lucky winners", "1 lucky winner"),
        "id": ("1", "3", "10", "3 orang pemenang"),
    },
}

_DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_BARE_COUNT = re.compile(r"\b(?:to|untuk|picking|ada) \d+(?:[!.,]|$)", re.MULTILINE)


def _samples(template: PostTemplate, name: str, language: str) -> tuple[str, ...]:
    variable = next(v for v in template.variables if v.name == name)
    extra = EXTRA_SAMPLES.get((template.name, name), {}).get(language, ())
    return tuple(dict.fromkeys((variable.sample[language], *extra)))


def _cases() -> list[object]:
    return [
        pytest.param(
            name,
            language,
            platform,
            variable.name,
            value,
            id=f"{name}-{language}-{platform.value}-{variable.name}={value}",
        )
        for name, template in builtin_templates().items()
        for language in ("en", "id")
        for platform in template.platforms
        for variable in template.variables
        for value in _samples(template, variable.name, language)
    ]


def _render(name: str, language: str, platform: Platform, variable: str, value: str) -> str:
    template = builtin_templates()[name]
    values = {each.name: each.sample[language] for each in template.variables}
    return render_builtin(
        template, {**values, variable: value}, platform=platform, language=language
    )


def wording_problems(text: str) -> list[str]:
    problems = _layout_problems(text)
    problems += [f"a doubled word: {m.group(0)!r}" for m in _DOUBLED_WORD.finditer(text)]
    problems += [f"a bare count: {m.group(0)!r}" for m in _BARE_COUNT.finditer(text)]
    if re.search(r"\b1 (?:lucky )?winners\b", text):
        problems.append("one winner in the plural")
    return problems


@pytest.mark.parametrize(("name", "language", "platform", "variable", "value"), _cases())
def test_every_sample_value_reads_naturally(
    name: str, language: str, platform: Platform, variable: str, value: str
) -> None:
    text = _render(name, language, platform, variable, value)
    assert not wording_problems(text), (wording_problems(text), text)


@pytest.mark.parametrize(
    ("language", "value", "phrase"),
    [
        ("en", "3", "to 3 lucky winners"),
        ("en", "1", "to 1 lucky winner!"),
        ("en", "3 lucky winners", "to 3 lucky winners"),
        ("id", "3", "untuk 3 pemenang"),
        ("id", "1", "untuk 1 pemenang"),
        ("id", "3 orang pemenang", "untuk 3 orang pemenang"),
    ],
)
def test_giveaway_counts_its_winners(language: str, value: str, phrase: str) -> None:
    text = _render("giveaway", language, Platform.INSTAGRAM, "winners", value)
    assert phrase in text


def test_one_winner_is_singular_everywhere() -> None:
    for platform in builtin_templates()["giveaway"].platforms:
        text = _render("giveaway", "en", platform, "winners", "1")
        assert "Winners" not in text and "winners" not in text, text
        assert "Winner announced" in text or "winner will be announced" in text, text
