"""Scoping by team is structural: every workspace-owned repository derives from the base, and
no persistence module writes the team filter by hand."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import smmbot.persistence
from smmbot.persistence.models import Base
from smmbot.persistence.team_scoped import TeamScopedRepository

PERSISTENCE = Path(smmbot.persistence.__file__).parent


def _persistence_classes() -> list[type]:
    classes: list[type] = []
    for module_info in pkgutil.walk_packages([str(PERSISTENCE)], "smmbot.persistence."):
        module = importlib.import_module(module_info.name)
        classes += [
            member
            for _, member in inspect.getmembers(module, inspect.isclass)
            if member.__module__ == module.__name__
        ]
    return classes


def _bound_to_a_team(cls: type) -> bool:
    """A class built for one team (its `__init__` takes `team_id`) that is not a plain record:
    a dataclass (`ClaimedMessage`, `DigestSchedule`) carries a row's team id, it runs no query."""
    init = cls.__dict__.get("__init__")
    if init is None or dataclasses.is_dataclass(cls):
        return False
    return "team_id" in inspect.signature(init).parameters


def test_every_repository_derives_from_the_team_scoped_base() -> None:
    repositories = [
        cls
        for cls in _persistence_classes()
        if (cls.__name__.endswith("Repository") or _bound_to_a_team(cls))
        and cls is not TeamScopedRepository
    ]
    assert len(repositories) >= 13
    assert [cls for cls in repositories if not issubclass(cls, TeamScopedRepository)] == []
    assert [cls for cls in repositories if "__init__" in cls.__dict__] == []


def test_no_module_writes_the_team_filter_by_hand() -> None:
    hand_written = re.compile(r"\.team_id\s*==\s*self\.team_id")
    offenders = [
        path.name
        for path in PERSISTENCE.rglob("*.py")
        if path.name != "team_scoped.py" and hand_written.search(path.read_text())
    ]
    assert offenders == []


def test_every_table_with_a_team_id_is_reached_through_a_repository_module() -> None:
    """A new team-owned table without a repository (queried ad hoc) fails here."""
    owned = {
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if "team_id" in mapper.class_.__table__.columns
    }
    repository_sources = "\n".join(
        Path(inspect.getfile(cls)).read_text()
        for cls in _persistence_classes()
        if issubclass(cls, TeamScopedRepository) and cls is not TeamScopedRepository
    )
    assert {name for name in owned if not re.search(rf"\b{name}\b", repository_sources)} == set()
