"""Every built-in template, through the real drafting pipeline, fits its networks' limits."""

from __future__ import annotations

import pytest

from smmbot.domain.drafts import LINKLESS_PLATFORMS, finish_variant
from smmbot.domain.platforms import Platform
from smmbot.domain.templates import Pillar, check_variables
from smmbot.rendering.post_library import builtin_templates, render_builtin

CASES = [
    (name, language, platform)
    for name, template in sorted(builtin_templates().items())
    for language in ("en", "id")
    for platform in template.platforms
]


@pytest.mark.parametrize(("name", "language", "platform"), CASES)
def test_samples_render_within_the_platform_limit(
    name: str, language: str, platform: Platform
) -> None:
    template = builtin_templates()[name]
    samples = {variable.name: variable.sample[language] for variable in template.variables}
    check = check_variables(template, samples)
    assert check.ok
    text = render_builtin(template, check.values, platform=platform, language=language)
    variant = finish_variant(text, platform, campaign_slug=name, bio_line="🔗 Link in bio")
    assert variant.check.ok, (variant.check, variant.text)
    linkless = platform in LINKLESS_PLATFORMS
    links = " ".join(variant.bio_links) if linkless else variant.text
    assert f"utm_source={platform.value}" in links or "http" not in text
    if linkless:  # no dead link pasted: the caption says "link in bio" instead
        assert "http" not in variant.text
        assert " bio" in variant.text.lower() or "http" not in text


def test_library_has_both_pillars_and_the_named_templates() -> None:
    templates = builtin_templates()
    assert len(templates) >= 10
    assert {t.pillar for t in templates.values()} == {Pillar.SMO, Pillar.SMM}
    assert [v.name for v in templates["blog-share"].variables if v.required] == ["title", "url"]
    assert [v.name for v in templates["promo"].variables if v.required] == [
        "product",
        "offer",
        "url",
    ]
