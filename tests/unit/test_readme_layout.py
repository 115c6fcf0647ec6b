"""The README's feature → files table stays true to the tree (issue 9): a newcomer who starts
from a subcommand's name must find every file of it, and no row may name a file that moved."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "services", "rendering", "persistence", "slack/listeners", "web")
_CODE = re.compile(r"`([^`]+)`")


def _layout() -> tuple[list[list[str]], str]:
    """The table's rows (cells after the feature name) and the paragraph of shared files."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| feature (subcommand) |")
    shared = readme.index("Shared by every feature:", start)
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")][1:]
        for line in readme[start:shared].splitlines()[2:]
        if line.startswith("|")
    ]
    return rows, readme[shared : readme.index("\n\n", shared)]


def _named_in_table() -> set[Path]:
    rows, _ = _layout()
    named = set()
    for row in rows:
        assert len(row) == len(LAYERS), row
        for layer, cell in zip(LAYERS, row, strict=True):
            for name in _CODE.findall(cell):
                if name.endswith(".py"):  # `slack/notifier.py` is under smmbot/, not the layer
                    named.add(ROOT / "smmbot" / (name if "/" in name else f"{layer}/{name}"))
                elif name.endswith("/"):
                    named.add(ROOT / "smmbot" / layer / name.rstrip("/"))
    return named


def test_every_file_the_table_names_exists() -> None:
    missing = sorted(str(path.relative_to(ROOT)) for path in _named_in_table() if not path.exists())
    assert missing == []


def test_every_module_of_a_layer_is_in_the_table_or_shared() -> None:
    named = _named_in_table()
    _, shared = _layout()
    unlisted = []
    for layer in LAYERS:
        for path in sorted((ROOT / "smmbot" / layer).glob("*.py")):
            if path.name == "__init__.py" or path in named:
                continue
            if f"`{layer}/{path.name}`" not in shared and f"`{path.name}`" not in shared:
                unlisted.append(f"{layer}/{path.name}")
    assert unlisted == [], "add these to README.md's Layout table (feature -> files)"
