"""What the Google and Meta source tests share: the admin who connects, the secret key the
tokens are sealed with, the command runner, the sign-in link read out of the reply, and the
connector DMs waiting in the outbox."""

from __future__ import annotations

from sqlalchemy import select

from smmbot.persistence.models import OutboxMessage
from smmbot.rendering.reply import Reply
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.support.replies import reply_text

ADMIN = Actor("T1", "UADMIN", "C1", "en", "Asia/Jakarta", is_admin=True)
SECRET = "a test secret key that is long enough"


def ask(ctx: ServiceContext, text: str, actor: Actor = ADMIN) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def connect_link(ctx: ServiceContext, command: str) -> str:
    """The provider's sign-in address from the `<url|label>` link the command answers with."""
    text = reply_text(ask(ctx, command))
    return text[text.index("<http") + 1 : text.index("|")].replace("&amp;", "&")


def dms(ctx: ServiceContext) -> list[OutboxMessage]:
    """The connector's DMs to the admin (broken credentials, first sync done), detached."""
    with ctx.db.transaction() as session:
        found = list(
            session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "connector"))
        )
        session.expunge_all()
    return found
