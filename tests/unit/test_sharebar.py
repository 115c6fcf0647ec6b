"""The share bar's beacon rules: parsing, bots, duplicates and the per-IP / per-key limits."""

from __future__ import annotations

import json

import pytest

from smmbot.domain.sharebar import (
    DUPLICATE_SECONDS,
    Beacon,
    BeaconError,
    BeaconProblem,
    ShareGate,
    Verdict,
    is_bot,
    parse_beacon,
)

KEY = "AbCdEfGh12345678"


def beacon(network: str = "x", url: str = "https://toko.id/a") -> Beacon:
    return Beacon(key=KEY, network=network, page_url=url)


def test_a_well_formed_beacon_parses() -> None:
    body = json.dumps({"k": KEY, "n": "whatsapp", "u": "https://toko.id/a?b=1"}).encode()
    assert parse_beacon(body) == Beacon(KEY, "whatsapp", "https://toko.id/a?b=1")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"\xff\xfe", BeaconProblem.NOT_JSON),
        (b"[1, 2]", BeaconProblem.NOT_JSON),
        (json.dumps({"k": "short", "n": "x", "u": "https://a.b"}).encode(), BeaconProblem.BAD_KEY),
        (
            json.dumps({"k": KEY + "<>", "n": "x", "u": "https://a.b"}).encode(),
            BeaconProblem.BAD_KEY,
        ),
        (
            json.dumps({"k": KEY, "n": "myspace", "u": "https://a.b"}).encode(),
            BeaconProblem.BAD_NETWORK,
        ),
        (
            json.dumps({"k": KEY, "n": "x", "u": "javascript:alert(1)"}).encode(),
            BeaconProblem.BAD_URL,
        ),
        (
            json.dumps({"k": KEY, "n": "x", "u": "https://a.b/" + "a" * 2_000}).encode(),
            BeaconProblem.BAD_URL,
        ),
        (json.dumps({"k": KEY, "n": "x", "u": 5}).encode(), BeaconProblem.BAD_URL),
    ],
)
def test_bad_beacons_name_their_problem(body: bytes, problem: BeaconProblem) -> None:
    with pytest.raises(BeaconError) as caught:
        parse_beacon(body)
    assert caught.value.problem is problem


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", True),
        ("facebookexternalhit/1.1", True),
        ("curl/8.5.0", True),
        ("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0 Safari/537.36", True),
        ("", True),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1",
            False,
        ),
    ],
)
def test_bots_are_told_apart_from_people(agent: str, bot: bool) -> None:
    assert is_bot(agent) is bot


def test_the_same_visitor_page_and_network_counts_once_a_minute() -> None:
    gate = ShareGate()
    assert gate.check(beacon(), visitor="ip1", now=0.0) is Verdict.COUNT
    assert gate.check(beacon(), visitor="ip1", now=30.0) is Verdict.DUPLICATE
    assert gate.check(beacon("facebook"), visitor="ip1", now=30.0) is Verdict.COUNT
    assert gate.check(beacon(), visitor="ip2", now=30.0) is Verdict.COUNT
    assert gate.check(beacon(), visitor="ip1", now=DUPLICATE_SECONDS + 0.1) is Verdict.COUNT


def test_one_ip_is_limited_per_minute_then_let_through_again() -> None:
    gate = ShareGate(per_ip=3, per_key=100)
    verdicts = [
        gate.check(beacon(url=f"https://toko.id/{n}"), visitor="ip1", now=float(n))
        for n in range(5)
    ]
    assert verdicts == [Verdict.COUNT] * 3 + [Verdict.LIMITED] * 2
    assert gate.check(beacon(url="https://toko.id/x"), visitor="ip2", now=5.0) is Verdict.COUNT
    assert gate.check(beacon(url="https://toko.id/y"), visitor="ip1", now=61.0) is Verdict.COUNT


def test_one_key_is_limited_per_minute_across_visitors() -> None:
    gate = ShareGate(per_ip=100, per_key=2)
    verdicts = [gate.check(beacon(), visitor=f"ip{n}", now=1.0) for n in range(4)]
    assert verdicts == [Verdict.COUNT, Verdict.COUNT, Verdict.LIMITED, Verdict.LIMITED]
    other = Beacon(key="ZyXwVuTs98765432", network="x", page_url="https://toko.id/a")
    assert gate.check(other, visitor="ip9", now=1.0) is Verdict.COUNT
