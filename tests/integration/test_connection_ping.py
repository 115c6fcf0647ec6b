"""PostgreSQL connections are pinged on checkout only after sitting idle in the pool: a server
that dropped one is still found before a request uses it, and a busy process skips the round
trip."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy import exc as sa_errors

from smmbot.persistence.database import create_database_engine
from tests.support.databases import copied_postgres

pytestmark = pytest.mark.postgres


def pooled_backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")))


def drop_connection(url: str, pid: int) -> None:
    """What a server restart or an idle timeout in between does to a pooled connection."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_a_dropped_connection_idle_in_the_pool_is_replaced_before_use(
    postgres_template: str,
) -> None:
    with copied_postgres(postgres_template) as url:
        engine = create_database_engine(url, ping_after_idle=0.0)
        dropped = pooled_backend(engine)
        drop_connection(url, dropped)
        assert pooled_backend(engine) != dropped  # pinged, replaced, no error
        engine.dispose()


def test_a_connection_back_in_the_pool_moments_ago_is_not_pinged(
    postgres_template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with copied_postgres(postgres_template) as url:
        engine = create_database_engine(url, ping_after_idle=3600.0)
        pings: list[object] = []

        def ping(connection: object) -> bool:
            pings.append(connection)
            return True

        monkeypatch.setattr(engine.dialect, "do_ping", ping)
        dropped = pooled_backend(engine)
        assert pooled_backend(engine) == dropped and pings == []
        drop_connection(url, dropped)
        with pytest.raises(sa_errors.OperationalError):
            pooled_backend(engine)  # the one request that finds the server gone
        assert pooled_backend(engine) != dropped  # the pool was invalidated with it
        engine.dispose()
