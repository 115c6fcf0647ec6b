"""The code's shape, as issue 9 fixed it: no module over 300 lines, no function over 50, and
benchmarks that run from the runtime environment (nothing under `bench/` imports pytest).

Read from the source with `ast`, so the rule holds for every new file without a reviewer
counting lines. Tests and migrations (under `alembic/`) are outside the rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50


def _sources() -> list[Path]:
    files = [*sorted((ROOT / "smmbot").rglob("*.py")), *sorted((ROOT / "bench").rglob("*.py"))]
    return [*files, ROOT / "app.py"]


def _functions(
    node: ast.AST, prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method, nested ones included, by qualified name (`Class.method`)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + child.name, child
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


def _length(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """From `def` to the last line of the body (decorators not counted)."""
    assert function.end_lineno is not None
    return function.end_lineno - function.lineno + 1


def _offenders() -> dict[str, int]:
    """`path` or `path:function` -> its length in lines, for everything over its limit."""
    found: dict[str, int] = {}
    for path in _sources():
        name = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        if (lines := len(source.splitlines())) > MAX_MODULE_LINES:
            found[name] = lines
        for qualname, function in _functions(ast.parse(source, filename=name)):
            if (length := _length(function)) > MAX_FUNCTION_LINES:
                found[f"{name}:{qualname}"] = length
    return found


def test_no_module_over_300_lines_and_no_function_over_50() -> None:
    offenders = _offenders()
    assert not offenders, "split by their seams:\n" + "\n".join(
        f"  {where}: {lines} lines" for where, lines in sorted(offenders.items())
    )


def test_the_shape_check_sees_long_functions_nested_and_in_classes() -> None:
    body = "".join(f"            x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES))
    tree = ast.parse(
        f"class A:\n    def m(self):\n        def inner():\n{body}        return inner\n"
    )
    lengths = {name: _length(function) for name, function in _functions(tree)}
    assert lengths == {"A.m": MAX_FUNCTION_LINES + 3, "A.m.inner": MAX_FUNCTION_LINES + 1}


def test_no_benchmark_imports_pytest() -> None:
    """Benchmarks run from the runtime environment (`make bench`), where pytest is not installed."""
    importers = []
    for path in sorted((ROOT / "bench").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "pytest" or name.startswith(("pytest.", "_pytest")) for name in names):
                importers.append(path.relative_to(ROOT).as_posix())
    assert importers == []
