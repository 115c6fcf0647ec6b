"""The metric catalog matches DESIGN.md's table and is looked up forgivingly."""

import dataclasses

import pytest

from smmbot.domain.metrics import (
    METRICS,
    Metric,
    MetricKind,
    Unit,
    find_metric,
    metrics_by_pillar,
    suggest_metric,
)
from smmbot.domain.templates import Pillar

SMO_NAMES = [
    "followers",
    "reach",
    "impressions",
    "profile_visits",
    "shares",
    "link_clicks",
    "social_sessions",
    "likes",
    "comments",
    "saves",
    "engagements",
]
SMM_NAMES = [
    "ad_impressions",
    "ad_clicks",
    "paid_sessions",
    "leads",
    "orders",
    "ad_spend",
    "revenue",
]


def test_catalog_order_is_the_design_table() -> None:
    assert list(METRICS) == SMO_NAMES + SMM_NAMES
    assert all(name == metric.name for name, metric in METRICS.items())


def test_pillars() -> None:
    assert {METRICS[name].pillar for name in SMO_NAMES} == {Pillar.SMO}
    assert {METRICS[name].pillar for name in SMM_NAMES} == {Pillar.SMM}


def test_followers_is_the_only_gauge() -> None:
    gauges = [m.name for m in METRICS.values() if m.kind is MetricKind.GAUGE]
    assert gauges == ["followers"]


def test_money_metrics() -> None:
    money = [m.name for m in METRICS.values() if m.unit is Unit.MONEY]
    assert money == ["ad_spend", "revenue"]
    assert METRICS["revenue"].kind is MetricKind.COUNTER


def test_catalog_is_read_only_and_metrics_frozen() -> None:
    with pytest.raises(TypeError):
        METRICS["x"] = Metric("x", Pillar.SMO, MetricKind.COUNTER, Unit.COUNT)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        METRICS["reach"].name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("typed", ["reach", "REACH", " Ad_Spend ", "Social_Sessions"])
def test_find_metric_ignores_case_and_spaces(typed: str) -> None:
    metric = find_metric(typed)
    assert metric is not None
    assert metric.name == typed.strip().lower()


@pytest.mark.parametrize("typed", ["", "hearts", "ad spend", "roas", "reach2"])
def test_find_metric_unknown(typed: str) -> None:
    assert find_metric(typed) is None


def test_metrics_by_pillar() -> None:
    grouped = metrics_by_pillar()
    assert list(grouped) == [Pillar.SMO, Pillar.SMM]
    assert [m.name for m in grouped[Pillar.SMO]] == SMO_NAMES
    assert [m.name for m in grouped[Pillar.SMM]] == SMM_NAMES
    grouped[Pillar.SMO].clear()
    assert len(metrics_by_pillar()[Pillar.SMO]) == len(SMO_NAMES)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("pengikut", "followers"),
        ("Pengikut", "followers"),
        ("jangkauan", "reach"),
        ("pendapatan", "revenue"),
        ("pesanan", "orders"),
        ("biaya_iklan", "ad_spend"),
        ("klik_tautan", "link_clicks"),
        ("tayangan_iklan", "ad_impressions"),
    ],
)
def test_indonesian_names(typed: str, name: str) -> None:
    metric = find_metric(typed)
    assert metric is not None and metric.name == name


def test_every_metric_has_an_indonesian_name_shown_to_indonesian_members() -> None:
    names = [metric.local_name("id") for metric in METRICS.values()]
    assert all(metric.aliases for metric in METRICS.values())
    assert len(set(names)) == len(names)
    assert METRICS["followers"].local_name("id") == "pengikut"
    assert METRICS["followers"].local_name("en") == "followers"
    assert not set(names) & set(METRICS)  # no alias shadows another metric's id


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("follower", "followers"),
        ("ad spend", "ad_spend"),
        ("Ad-Spend", "ad_spend"),
        ("biaya iklan", "biaya_iklan"),
        ("omzet", "pendapatan"),
        ("sales", "revenue"),
        ("pengikt", "pengikut"),
        ("revenu", "revenue"),
    ],
)
def test_near_misses_are_suggested_not_accepted(typed: str, suggestion: str) -> None:
    assert find_metric(typed) is None
    assert suggest_metric(typed) == suggestion
    assert find_metric(suggestion) is not None


@pytest.mark.parametrize("typed", ["", "  ", "hearts", "xyz", "12"])
def test_nothing_near_is_no_suggestion(typed: str) -> None:
    assert suggest_metric(typed) is None
