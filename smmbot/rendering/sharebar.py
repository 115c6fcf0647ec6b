"""`/smm sharebar`: the snippet to paste, where to paste it, and a picture of the bar.

The picture is drawn here with matplotlib (already used for the digest's chart), not by a
browser, so the bot needs nothing heavier at run time; it shows the same buttons, order and
default colours as share.js, labelled in the member's language.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from smmbot.domain.sharebar import NETWORKS
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn
from smmbot.rendering.reply import Context, FileAttachment, Header, Reply, Section

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BAR_BACKGROUND = "#1f2937"  # share.js's default --smmbot-bg
BAR_FOREGROUND = "#ffffff"


def snippet(public_url: str, public_key: str, campaign: str | None) -> str:
    campaign_attribute = f' data-campaign="{campaign}"' if campaign else ""
    return (
        f'<script src="{public_url}/share.js" data-smmbot="{public_key}"'
        f"{campaign_attribute} async></script>"
    )


def sharebar_reply(tr: Translator, *, code: str, campaign: str) -> Reply:
    blocks = (
        Header(tr.plain("sharebar.title")),
        Section(tr.mrkdwn("sharebar.intro", campaign=campaign)),
        Section(Mrkdwn(f"```{escape_mrkdwn(code)}```")),
        Section(tr.mrkdwn("sharebar.where")),
        Context(tr.mrkdwn("sharebar.privacy")),
    )
    preview = FileAttachment(
        filename="share-bar-preview.png",
        title=tr.plain("sharebar.preview_title"),
        content=preview_png(tr),
    )
    return Reply(blocks=blocks, fallback=tr.plain("sharebar.fallback"), files=(preview,))


def needs_web_reply(tr: Translator, *, console: bool) -> Reply:
    """The bar needs a reachable HTTP server; say which part is missing."""
    key = "sharebar.needs_http" if console else "sharebar.needs_public_url"
    return Reply(blocks=(Section(tr.mrkdwn(key)),), fallback=tr.plain("sharebar.needs_fallback"))


def preview_figure(tr: Translator) -> Figure:
    """One row of rounded buttons, as share.js draws them with its default colours.
    matplotlib is imported here so a start does not load it (see bench/startup.py)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    labels = [tr.plain(f"sharebar.button.{network}") for network in NETWORKS]
    widths = [0.32 + 0.075 * len(label) for label in labels]
    gap = 0.12
    total = sum(widths) + gap * (len(widths) + 1)
    figure = Figure(figsize=(total, 0.8), dpi=150)
    axis = figure.add_axes((0, 0, 1, 1))
    axis.set_xlim(0, total)
    axis.set_ylim(0, 0.8)
    axis.axis("off")
    left = gap
    for label, width in zip(labels, widths, strict=True):
        axis.add_patch(
            FancyBboxPatch(
                (left, 0.18),
                width,
                0.44,
                boxstyle="round,pad=0,rounding_size=0.12",
                facecolor=BAR_BACKGROUND,
                edgecolor="none",
            )
        )
        axis.text(
            left + width / 2,
            0.40,
            label,
            color=BAR_FOREGROUND,
            fontsize=10,
            ha="center",
            va="center",
        )
        left += width + gap
    return figure


def preview_png(tr: Translator) -> bytes:
    buffer = io.BytesIO()
    preview_figure(tr).savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()
