"""Engine and transactions. Services open one transaction per user action through `Database`."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy import exc as sa_errors
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from smmbot.persistence.rollups import KEEP_ROLLUPS, recompute_touched

POOL_SIZE = 12
POOL_OVERFLOW = 12
PING_AFTER_IDLE_SECONDS = 2.0


def create_database_engine(url: str, *, ping_after_idle: float = PING_AFTER_IDLE_SECONDS) -> Engine:
    """SQLite gets its folder created, WAL and a busy timeout so threads don't trip over locks."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A stopped or unreachable server must fail a request in seconds, not hang it. The pool
        # keeps as many connections as a busy process uses at once (the outbox's sends, the
        # digest builder, requests), so a rush neither waits for one nor opens and closes them.
        engine = create_engine(
            url,
            pool_timeout=10,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            connect_args={"connect_timeout": 2},
        )
        _ping_idle_connections(engine, ping_after_idle)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def _ping_idle_connections(engine: Engine, after_seconds: float) -> None:
    """`pool_pre_ping` for connections that sat in the pool `after_seconds` or longer: a
    server restart or a dropped connection is still found before a request uses one (in a
    quiet process, that is at every checkout); a busy process reuses its connections within a
    second, and pinging each (a round trip, 0.1 ms of both sides' CPU) cost five round trips a
    digest in a Monday rush.
    A failed ping has the pool replace the connection (`DisconnectionError`); a statement that
    fails on a connection used moments before the server went away invalidates the whole pool,
    so one request, not every one, gets the "try again"."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < after_seconds:
            return  # just connected, or back in the pool moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise sa_errors.DisconnectionError(str(error)) from error


class DatabaseUnavailableError(Exception):
    """The database could not be reached or answered (stopped, restarting, locked): the action
    was rolled back, so the member can simply try again."""


_UNAVAILABLE = (sa_errors.OperationalError, sa_errors.InterfaceError, sa_errors.TimeoutError)
_SQLITE_TURNS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_SQLITE_TURNS_GUARD = threading.Lock()


def _write_turns(engine: Engine) -> AbstractContextManager[object]:
    """What `Database.connection` holds: one lock per SQLite engine, shared by every `Database`
    over it; nothing for PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _SQLITE_TURNS_GUARD:
        return _SQLITE_TURNS.setdefault(engine, threading.Lock())


class Database:
    def __init__(self, engine: Engine, *, connection: Connection | None = None) -> None:
        self.engine = engine
        self._turns = _write_turns(engine)
        self._sessions = sessionmaker(
            connection or engine, expire_on_commit=False, info={KEEP_ROLLUPS: True}
        )

    @contextmanager
    def pinned(self) -> Iterator[Database]:
        """This database over one connection for the block: for session state that outlives a
        transaction (the advisory locks of an outbox sweep's lanes). A block that fails closes
        the connection for good rather than pool a session whose state is unknown. A database
        that cannot be reached comes out as `DatabaseUnavailableError`, as from `transaction`."""
        try:
            connection = self.engine.connect()
        except _UNAVAILABLE as error:
            raise DatabaseUnavailableError(str(error).splitlines()[0]) from error
        with connection:
            try:
                yield Database(self.engine, connection=connection)
            except BaseException:
                connection.invalidate()
                raise

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commit on success, roll back on any exception: no half-saved records. A lost or
        refused connection comes out as `DatabaseUnavailableError`, one type for every caller."""
        try:
            with self._sessions() as session, session.begin():
                yield session
                recompute_touched(session)
        except _UNAVAILABLE as error:
            raise DatabaseUnavailableError(str(error).splitlines()[0]) from error

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A transaction on a Core connection, for hot paths whose statements are built once
        (the outbox's claims and outcomes): no Session to set up, rows rather than ORM objects.
        Commit, rollback and errors as in `transaction`.

        On SQLite these short writes take turns: it lets one writer in at a time and has the
        others sleep and retry in its busy handler, and with a sweep's 32 sends recording their
        outcomes at once the retries cost more CPU than the writes (1.8 -> 1.2 ms a delivered
        message, issue 16). PostgreSQL locks rows, so its writers go straight in."""
        try:
            with self._turns, self.engine.begin() as connection:
                yield connection
        except _UNAVAILABLE as error:
            raise DatabaseUnavailableError(str(error).splitlines()[0]) from error

    @contextmanager
    def session_on(self, connection: Connection) -> Iterator[Session]:
        """An ORM session inside a `connection` transaction, for the rare ORM write that goes
        with its Core statements: flushed at the end (roll-ups recomputed, as `transaction`
        does), committed or rolled back with the connection's transaction."""
        with self._sessions(bind=connection) as session:
            yield session
            recompute_touched(session)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True
