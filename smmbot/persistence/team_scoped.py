"""The base of every workspace-owned repository: bound to one `team_id` at construction, and
every query it builds goes through `_select`/`_scoped`, which add `Model.team_id == team_id`.

So "every query is scoped by team" is structural: a repository never writes the team filter
itself (a test checks that every `*Repository` in `smmbot.persistence` derives from this one).
Code that must look across workspaces (a visitor's short link, the scheduler's sweeps, the
outbox's delivery queue) is a module function or class of its own, documented as unscoped.

The verbs, the same in every repository:
- `get(key)`: one row by its id or natural key, or None;
- `get_or_create(...)`: that row, inserted first if absent (atomic, race-safe);
- `find_*(...)`: one row by other attributes, or None;
- `list_*(...)`: many rows (`list_all()`: every row of the workspace);
- `count_*(...)`: how many rows;
- `add(...)`: insert a new row;
- `upsert(...)`: insert, or update the row already stored under the same natural key;
- `update(row, ...)`: change an existing row;
- `remove(...)`/`remove_*(...)`: delete;
- `enqueue(...)`: the outbox's idempotent add (keeps the message already stored under its
  dedupe key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Delete, Select, Update, and_, delete, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from smmbot.persistence.upserts import dialect_insert

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

M = TypeVar("M")


class TeamScopedRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def _scoped(self, model: type[Any], *criteria: ColumnElement[bool]) -> ColumnElement[bool]:
        """`criteria` and `model.team_id == team_id`: for aggregates, joins and sub-queries."""
        team: InstrumentedAttribute[str] = model.team_id
        return and_(team == self.team_id, *criteria)

    def _select(self, model: type[M], *criteria: ColumnElement[bool]) -> Select[M]:
        return select(model).where(self._scoped(model, *criteria))

    def _update(self, model: type[Any], *criteria: ColumnElement[bool]) -> Update:
        return update(model).where(self._scoped(model, *criteria))

    def _delete(self, model: type[Any], *criteria: ColumnElement[bool]) -> Delete:
        return delete(model).where(self._scoped(model, *criteria))

    def _upsert_insert(self, model: type[Any]) -> postgresql.Insert | sqlite.Insert:
        """`insert(model)` that knows ON CONFLICT, in the dialect of the session's database."""
        return dialect_insert(self._session.get_bind().dialect.name, model)

    def _add(self, row: M) -> M:
        """Stores a new row under this workspace, whatever team id it was built with."""
        setattr(row, "team_id", self.team_id)  # noqa: B010 - any team-owned model
        self._session.add(row)
        self._session.flush()
        return row
