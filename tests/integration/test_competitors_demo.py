"""`demo` adds two competitors with weeks of readings; running it again replaces them."""

from __future__ import annotations

from smmbot.console.printer import format_reply
from smmbot.services.context import Actor, ServiceContext
from smmbot.services.demo import load_demo
from tests.integration.test_links import ask


def test_demo_competitors_show_in_the_list_and_the_digest(ctx: ServiceContext) -> None:
    actor = Actor("T1", "U1", "C1", "en", "Asia/Jakarta")
    load_demo(ctx=ctx, actor=actor)
    load_demo(ctx=ctx, actor=actor)
    listing = format_reply(ask(ctx, "competitor list"))
    assert listing.count("followers, +") == 2, listing
    assert "*Kopi Senja* (@kopisenja.id)" in listing and "*Warung Kopi Pagi*" in listing
    digest = format_reply(ask(ctx, "digest now"))
    assert "*Competitors*" in digest and "*Kopi Senja*:" in digest
