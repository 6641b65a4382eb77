"""The shape of the code base: packages depend on each other one way only, routers speak HTTP.

Read from the source with `ast`, so a change that breaks a rule fails here, not in review.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _unit(path: Path) -> str:
    """The package (app/<name>/...) or top-level module (app/<name>.py) a file is in."""
    return path.relative_to(APP).parts[0].removesuffix(".py")


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in APP.rglob("*.py"):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "app" and len(parts) > 1 and parts[1] != _unit(path):
                graph[_unit(path)].add(parts[1])
    return graph


def test_packages_import_each_other_one_way_only() -> None:
    graph = package_graph()
    cycles = []

    def visit(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                cycles.append([*path, nxt])
            elif nxt not in path and nxt > start:
                visit(start, nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, start, [start])
    assert cycles == [], cycles


def test_routers_speak_http_only() -> None:
    """A router parses, authorizes and calls a service: it builds no SQL and imports no
    other router."""
    wrong = {}
    for path in APP.rglob("router.py"):
        imported = _imports(path)
        sql = sorted(n for n in imported if n.split(".")[0] == "sqlalchemy")
        routers = sorted(n for n in imported if n.split(".")[2:3] == ["router"])
        if sql or routers:
            wrong[str(path.relative_to(APP))] = sql + routers
    assert wrong == {}


def test_one_clock_for_today() -> None:
    """Dates the rules depend on come from app/core/clock.py, so that tests can move it."""
    callers = [
        str(p.relative_to(APP))
        for p in APP.rglob("*.py")
        if "date.today()" in p.read_text() and p.name != "clock.py"
    ]
    assert callers == []
