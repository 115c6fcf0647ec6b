"""Checks for the built-in post template library in prompts/posts/.

Every template is a directory ``prompts/posts/<name>/`` holding ``meta.toml`` (the single source
of truth for the template list, the draft modal and the validator), ``en.j2`` and ``id.j2``.
The templates are plain-text Jinja2, rendered once per platform with every declared variable,
``platform``, ``hashtags`` and ``lang`` in scope.

This module deliberately depends only on the standard library, Jinja2 and pytest, so it checks
the files themselves, independently of how the application loads them.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2 import meta as jinja_meta
from jinja2.sandbox import SandboxedEnvironment

POSTS_DIR = Path(__file__).resolve().parents[1] / "prompts" / "posts"

LANGS = ("en", "id")
PILLARS = ("smo", "smm")
PLATFORMS = ("x", "instagram", "facebook", "linkedin", "threads", "tiktok")
CONTEXT_NAMES = frozenset({"platform", "hashtags", "lang"})
TEMPLATE_FILES = ("meta.toml", "en.j2", "id.j2")

TOP_LEVEL_KEYS = frozenset({"name", "pillar", "platforms", "description", "hashtags", "variables"})
REQUIRED_TOP_LEVEL_KEYS = TOP_LEVEL_KEYS - {"variables"}
VARIABLE_KEYS = frozenset({"name", "required", "default", "description", "sample"})
MAX_HASHTAGS = 5

TEMPLATE_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VARIABLE_NAME_RE = re.compile(r"^[a-z0-9_]+$")
HASHTAG_RE = re.compile(r"^\w+$")
URL_RE = re.compile(r"https?://\S+")
HASHTAG_IN_TEXT_RE = re.compile(r"(?<![\w&/])#(\w+)")
# Names Jinja2 gives a meaning of its own; a variable called like this could never be used.
JINJA_RESERVED = frozenset(
    {
        "and",
        "or",
        "not",
        "in",
        "is",
        "if",
        "else",
        "for",
        "true",
        "false",
        "none",
        "loop",
        "self",
        "super",
        "varargs",
        "kwargs",
        "caller",
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
    }
)

# Hard limits per platform, checked with the sample values.
MAX_LENGTH = {
    "x": 280,
    "instagram": 2200,
    "facebook": 63206,
    "linkedin": 3000,
    "threads": 500,
    "tiktok": 2200,
}
X_URL_WEIGHT = 23
# X variants stay well under 280 with the samples so real values have room to be longer.
X_SAMPLE_BUDGET = 240

# The templates the product promises, with the pillar each belongs to.
EXPECTED_TEMPLATES = {
    "blog-share": "smo",
    "brand-story": "smo",
    "behind-the-scenes": "smo",
    "milestone-thanks": "smo",
    "tips": "smo",
    "promo": "smm",
    "flash-sale": "smm",
    "product-launch": "smm",
    "testimonial": "smm",
    "event": "smm",
    "giveaway": "smm",
}
EXACT_REQUIRED_VARIABLES = {
    "blog-share": {"title", "url"},
    "promo": {"product", "offer", "url"},
}
MIN_TEMPLATES_PER_PILLAR = {"smo": 5, "smm": 6}
# SMO posts build visibility and never hard-sell.
HARD_SELL_PHRASES = (
    "discount",
    "% off",
    "buy now",
    "order now",
    "checkout",
    "diskon",
    "beli sekarang",
    "pesan sekarang",
    "promo",
)

ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


def _template_names() -> list[str]:
    if not POSTS_DIR.is_dir():
        return []
    return sorted(
        path.name
        for path in POSTS_DIR.iterdir()
        if path.is_dir() and not path.name.startswith((".", "_"))
    )


TEMPLATE_NAMES = _template_names()


@cache
def _meta(name: str) -> dict[str, Any]:
    with (POSTS_DIR / name / "meta.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def _source(name: str, lang: str) -> str:
    return (POSTS_DIR / name / f"{lang}.j2").read_text(encoding="utf-8")


@cache
def _template(name: str, lang: str) -> jinja2.Template:
    return ENV.from_string(_source(name, lang))


def _variables(name: str) -> list[dict[str, Any]]:
    variables: list[dict[str, Any]] = _meta(name).get("variables", [])
    return variables


def _context(name: str, lang: str, platform: str, *, with_optional: bool) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for var in _variables(name):
        if var["required"] or with_optional:
            context[var["name"]] = var["sample"][lang]
        else:
            context[var["name"]] = var["default"]
    context["platform"] = platform
    context["hashtags"] = list(_meta(name)["hashtags"][lang])
    context["lang"] = lang
    return context


def _render(
    name: str,
    lang: str,
    platform: str,
    *,
    with_optional: bool = True,
    hashtags: list[str] | None = None,
) -> str:
    context = _context(name, lang, platform, with_optional=with_optional)
    if hashtags is not None:
        context["hashtags"] = hashtags
    return _template(name, lang).render(**context)


def x_weighted_length(text: str) -> int:
    """A conservative take on X's counting: URLs count 23, anything beyond ASCII counts 2."""
    urls = URL_RE.findall(text)
    rest = URL_RE.sub("", text)
    return X_URL_WEIGHT * len(urls) + sum(1 if ord(ch) < 0x80 else 2 for ch in rest)


def _is_localised_text(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == set(LANGS)
        and all(isinstance(value[lang], str) for lang in LANGS)
        and all(value[lang].strip() == value[lang] != "" for lang in LANGS)
        and all("  " not in value[lang] for lang in LANGS)
    )


def _variable_errors(index: int, var: Any) -> list[str]:
    if not isinstance(var, dict):
        return [f"variables[{index}] is not a table"]
    where = f"variables[{index}] ({var.get('name', '?')})"
    errors = [f"{where}: unknown key {key!r}" for key in sorted(set(var) - VARIABLE_KEYS)]
    name = var.get("name")
    if not isinstance(name, str) or not VARIABLE_NAME_RE.match(name):
        errors.append(f"{where}: name must use lowercase letters, digits and '_' only")
    elif not name.isidentifier() or keyword.iskeyword(name):
        errors.append(f"{where}: name must be a valid identifier")
    elif name in CONTEXT_NAMES or name in JINJA_RESERVED:
        errors.append(f"{where}: name {name!r} is reserved")
    required = var.get("required")
    if not isinstance(required, bool):
        errors.append(f"{where}: required must be true or false")
    elif required and "default" in var:
        errors.append(f"{where}: a required variable must not have a default")
    elif not required and not isinstance(var.get("default"), str):
        errors.append(f'{where}: an optional variable needs a string default (may be "")')
    for key in ("description", "sample"):
        if not _is_localised_text(var.get(key)):
            errors.append(f"{where}: {key} needs non-empty, trimmed 'en' and 'id' strings")
    return errors


def _schema_errors(name: str, meta: dict[str, Any]) -> list[str]:
    errors = [f"unknown top-level key {key!r}" for key in sorted(set(meta) - TOP_LEVEL_KEYS)]
    errors += [f"missing key {key!r}" for key in sorted(REQUIRED_TOP_LEVEL_KEYS - set(meta))]
    if meta.get("name") != name:
        errors.append(f"name {meta.get('name')!r} does not match the directory {name!r}")
    if not TEMPLATE_NAME_RE.match(name):
        errors.append("the directory name must be lowercase words joined by '-'")
    if meta.get("pillar") not in PILLARS:
        errors.append(f"pillar must be one of {PILLARS}, got {meta.get('pillar')!r}")
    platforms = meta.get("platforms")
    if (
        not isinstance(platforms, list)
        or not platforms
        or any(p not in PLATFORMS for p in platforms)
        or len(set(platforms)) != len(platforms)
    ):
        errors.append(f"platforms must be a non-empty list of distinct ids from {PLATFORMS}")
    if not _is_localised_text(meta.get("description")):
        errors.append("description needs non-empty, trimmed 'en' and 'id' strings")
    hashtags = meta.get("hashtags")
    if not isinstance(hashtags, dict) or set(hashtags) != set(LANGS):
        errors.append("hashtags needs exactly 'en' and 'id' lists")
    else:
        for lang in LANGS:
            tags = hashtags[lang]
            if not isinstance(tags, list) or len(tags) > MAX_HASHTAGS:
                errors.append(f"hashtags.{lang} must be a list of at most {MAX_HASHTAGS}")
            elif any(not isinstance(t, str) or not HASHTAG_RE.match(t) for t in tags):
                errors.append(f"hashtags.{lang} must be single words without '#': {tags}")
            elif len({t.lower() for t in tags}) != len(tags):
                errors.append(f"hashtags.{lang} has duplicates: {tags}")
    variables = meta.get("variables", [])
    if not isinstance(variables, list):
        return [*errors, "variables must be an array of tables"]
    for index, var in enumerate(variables):
        errors += _variable_errors(index, var)
    names = [var.get("name") for var in variables if isinstance(var, dict)]
    if len(set(names)) != len(names):
        errors.append(f"duplicate variable names: {names}")
    return errors


def _layout_problems(text: str) -> list[str]:
    problems = []
    if not text.strip():
        problems.append("the output is empty")
    if text != text.strip():
        problems.append("leading or trailing whitespace")
    if "  " in text:
        problems.append("a double space")
    if "\n\n\n" in text:
        problems.append("three consecutive newlines (more than one blank line)")
    if "\t" in text or "\r" in text:
        problems.append("a tab or carriage return")
    if re.search(r" [,.;:!?]", text) or "()" in text:
        problems.append("a gap before punctuation or empty brackets (a missing value?)")
    for number, line in enumerate(text.split("\n"), start=1):
        if line != line.rstrip():
            problems.append(f"line {number} has trailing whitespace: {line!r}")
        if line.rstrip().endswith(":"):
            problems.append(f"line {number} ends with ':' (a dangling label): {line!r}")
    return problems


def _length_problems(name: str, lang: str, platform: str, text: str) -> list[str]:
    problems = []
    length = x_weighted_length(text) if platform == "x" else len(text)
    if length > MAX_LENGTH[platform]:
        problems.append(f"{length} characters, over the {platform} limit {MAX_LENGTH[platform]}")
    tags = HASHTAG_IN_TEXT_RE.findall(text)
    if platform == "instagram" and len(tags) > MAX_HASHTAGS:
        problems.append(f"{len(tags)} hashtags on Instagram, more than {MAX_HASHTAGS}")
    allowed = set(_meta(name)["hashtags"][lang])
    stray = [tag for tag in tags if tag not in allowed]
    if stray:
        problems.append(f"hashtags not taken from meta.toml: {stray}")
    return problems


def _render_cases() -> list[Any]:
    return [
        pytest.param(name, lang, platform, id=f"{name}-{lang}-{platform}")
        for name in TEMPLATE_NAMES
        for lang in LANGS
        for platform in PLATFORMS
    ]


def _lang_cases(pillar: str | None = None) -> list[Any]:
    return [
        pytest.param(name, lang, id=f"{name}-{lang}")
        for name in TEMPLATE_NAMES
        if pillar is None or _meta(name).get("pillar") == pillar
        for lang in LANGS
    ]


# --- the library as a whole -------------------------------------------------------------------


def test_library_has_the_expected_templates() -> None:
    missing = sorted(set(EXPECTED_TEMPLATES) - set(TEMPLATE_NAMES))
    assert not missing, f"missing templates in {POSTS_DIR}: {missing}"
    wrong = {
        name: _meta(name).get("pillar")
        for name, pillar in EXPECTED_TEMPLATES.items()
        if _meta(name).get("pillar") != pillar
    }
    assert not wrong, f"templates in the wrong pillar: {wrong}"


def test_each_pillar_has_enough_templates() -> None:
    for pillar, minimum in MIN_TEMPLATES_PER_PILLAR.items():
        names = [name for name in TEMPLATE_NAMES if _meta(name).get("pillar") == pillar]
        assert len(names) >= minimum, f"{pillar}: only {names}"


@pytest.mark.parametrize(("name", "expected"), sorted(EXACT_REQUIRED_VARIABLES.items()))
def test_required_variables_are_exactly(name: str, expected: set[str]) -> None:
    required = {var["name"] for var in _variables(name) if var["required"]}
    assert required == expected


# --- per template: files and meta.toml ----------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_directory_has_its_files(name: str) -> None:
    missing = [f for f in TEMPLATE_FILES if not (POSTS_DIR / name / f).is_file()]
    assert not missing, f"{name}: missing {missing}"


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_meta_schema(name: str) -> None:
    errors = _schema_errors(name, _meta(name))
    assert not errors, f"{name}/meta.toml:\n" + "\n".join(errors)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_url_samples_are_urls(name: str) -> None:
    for var in _variables(name):
        if var["name"] == "url" or var["name"].endswith("_url"):
            for lang in LANGS:
                sample = var["sample"][lang]
                assert URL_RE.fullmatch(sample), f"{name}.{var['name']}: {sample!r}"
                assert sample.startswith("https://"), f"{name}.{var['name']}: {sample!r}"


# --- per template and language: the Jinja source ---------------------------------------------


@pytest.mark.parametrize(("name", "lang"), _lang_cases())
def test_template_uses_only_declared_names(name: str, lang: str) -> None:
    ast = ENV.parse(_source(name, lang))
    declared = {var["name"] for var in _variables(name)}
    used = jinja_meta.find_undeclared_variables(ast)
    unknown = sorted(used - declared - CONTEXT_NAMES)
    assert not unknown, f"{name}/{lang}.j2 uses undeclared names: {unknown}"
    unused = sorted(declared - used)
    assert not unused, f"{name}/{lang}.j2 never uses declared variables: {unused}"


@pytest.mark.parametrize(("name", "lang"), _lang_cases())
def test_optional_variables_show_up_when_given(name: str, lang: str) -> None:
    rendered = [_render(name, lang, platform) for platform in PLATFORMS]
    for var in _variables(name):
        if not var["required"]:
            sample = var["sample"][lang]
            assert any(sample in text for text in rendered), (
                f"{name}/{lang}.j2: the sample of {var['name']!r} appears on no platform"
            )


@pytest.mark.parametrize(("name", "lang"), _lang_cases())
def test_x_variant_leaves_headroom(name: str, lang: str) -> None:
    text = _render(name, lang, "x")
    length = x_weighted_length(text)
    assert length <= X_SAMPLE_BUDGET, f"{name}/{lang}.j2 on x: {length} > {X_SAMPLE_BUDGET}\n{text}"


@pytest.mark.parametrize(("name", "lang"), _lang_cases(pillar="smo"))
def test_smo_templates_do_not_hard_sell(name: str, lang: str) -> None:
    for platform in PLATFORMS:
        text = _render(name, lang, platform).lower()
        found = [phrase for phrase in HARD_SELL_PHRASES if phrase in text]
        assert not found, f"{name}/{lang}.j2 on {platform} hard-sells: {found}"


# --- per template, language and platform: the rendered post ----------------------------------


@pytest.mark.parametrize(("name", "lang", "platform"), _render_cases())
def test_render_with_all_samples(name: str, lang: str, platform: str) -> None:
    text = _render(name, lang, platform)
    problems = _layout_problems(text) + _length_problems(name, lang, platform, text)
    for var in _variables(name):
        if var["required"] and var["sample"][lang] not in text:
            problems.append(f"the required {var['name']!r} sample is missing")
    assert not problems, f"{name}/{lang}.j2 on {platform}: {problems}\n---\n{text}"


@pytest.mark.parametrize(("name", "lang", "platform"), _render_cases())
def test_render_with_required_samples_only(name: str, lang: str, platform: str) -> None:
    text = _render(name, lang, platform, with_optional=False)
    problems = _layout_problems(text) + _length_problems(name, lang, platform, text)
    for var in _variables(name):
        if var["required"] and var["sample"][lang] not in text:
            problems.append(f"the required {var['name']!r} sample is missing")
    assert not problems, f"{name}/{lang}.j2 on {platform}: {problems}\n---\n{text}"


@pytest.mark.parametrize(("name", "lang", "platform"), _render_cases())
def test_render_without_hashtags(name: str, lang: str, platform: str) -> None:
    text = _render(name, lang, platform, hashtags=[])
    problems = _layout_problems(text)
    if HASHTAG_IN_TEXT_RE.search(text):
        problems.append("a hashtag appears although the list is empty")
    assert not problems, f"{name}/{lang}.j2 on {platform}: {problems}\n---\n{text}"


def test_x_weighted_length_counts_urls_and_emoji() -> None:
    assert x_weighted_length("abc") == 3
    assert x_weighted_length("see https://kopinusantara.id/blog/seduh-kopi-enak-di-rumah") == 27
    assert x_weighted_length("🎉 ok") == 5
