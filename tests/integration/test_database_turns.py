"""The outbox's short writes (`Database.connection`) take turns within a process on SQLite, so
its threads queue on a lock instead of sleeping and retrying in SQLite's busy handler (the
reminder bench measures what that saves); PostgreSQL's writers go straight in."""

from __future__ import annotations

import threading

from smmbot.persistence.database import Database


def test_connection_blocks_take_turns_on_sqlite_only(database: Database) -> None:
    other = Database(database.engine)  # a second Database over the engine shares its turns
    first_inside, first_may_leave, second_inside = (threading.Event() for _ in range(3))

    def first() -> None:
        with database.connection():
            first_inside.set()
            first_may_leave.wait(10)

    def second() -> None:
        first_inside.wait(10)
        with other.connection():
            second_inside.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_inside.wait(10)
    overlapped = second_inside.wait(0.3)
    first_may_leave.set()
    for thread in threads:
        thread.join(10)
    assert second_inside.is_set()  # the second always gets its turn
    assert overlapped is (database.engine.dialect.name != "sqlite")
