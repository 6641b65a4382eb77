"""405 Method Not Allowed decided by the path's own routes, with every method in `Allow`.

The router takes the first route whose path matches: `PATCH /users/me` reached
`PATCH /users/{user_id}` (a 422 about the id) though `/users/me` is a path of its own,
and a 405 listed the methods of one route of the path only. Here a path belongs to the
most specific template that matches it (a literal segment beats a parameter), and a
method none of that template's routes takes is answered 405 before routing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.errors import problem_response

# Where the guard leaves the template of the path, for the metrics and the access log
# (app/core/observe.py): included routers' routes know only their part of it.
TEMPLATE = "kurasi.route_template"
OWNERS_KEPT = 4096  # paths whose template is remembered


@dataclass
class Template:
    path: str
    regex: re.Pattern[str]
    specificity: tuple[int, ...]  # per segment: 0 literal, 1 parameter, 2 path parameter
    methods: set[str]


def _specificity(path: str) -> tuple[int, ...]:
    return tuple(
        2 if s.endswith(":path}") else 1 if s.startswith("{") else 0 for s in path.split("/")
    )


def templates(app: FastAPI) -> list[Template]:
    """Every path template of the app with the methods of all its routes."""
    found: dict[str, Template] = {}
    for route in iter_route_contexts(app.routes):
        methods = getattr(route, "methods", None)
        regex = getattr(route, "path_regex", None)
        if not methods or regex is None or route.path is None:
            continue
        path = route.path
        template = found.setdefault(path, Template(path, regex, _specificity(path), set()))
        template.methods |= methods
    return list(found.values())


class Table:
    """The templates by their number of segments (a path is only matched against those of
    its own length, and those ending in a path parameter): a few regexes per request."""

    def __init__(self, templates: list[Template]) -> None:
        self.by_length: dict[int, list[Template]] = {}
        self.open: list[Template] = []  # with a path parameter: any length
        self._owners: dict[str, Template | None] = {}
        for t in templates:
            if 2 in t.specificity:
                self.open.append(t)
            else:
                self.by_length.setdefault(len(t.specificity), []).append(t)

    def owner(self, path: str) -> Template | None:
        """The template a path belongs to: the most specific of those matching it (found
        once per path while the paths seen stay few)."""
        try:
            return self._owners[path]
        except KeyError:
            pass
        candidates = self.by_length.get(path.count("/") + 1, [])
        matching = [t for t in (*candidates, *self.open) if t.regex.match(path)]
        found = min(matching, key=lambda t: t.specificity) if matching else None
        if len(self._owners) >= OWNERS_KEPT:
            self._owners.clear()  # paths with ids are many: start again rather than grow
        self._owners[path] = found
        return found


class MethodGuard:
    def __init__(self, app: ASGIApp, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.table: Table | None = None  # built at startup, when the routes are final

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan" and self.table is None:
                # Before serving: walking the routes makes FastAPI prepare each of them
                # (a tenth of a second or more), which the first request would wait for.
                self.table = Table(templates(self.fastapi_app))
            await self.app(scope, receive, send)
            return
        if self.table is None:  # an app served without its lifespan
            self.table = Table(templates(self.fastapi_app))
        path, root = scope["path"], scope.get("root_path", "")
        template = self.table.owner(path.removeprefix(root) if root else path)
        if template is not None:
            scope[TEMPLATE] = template.path
        if template is None or scope["method"] in template.methods:
            await self.app(scope, receive, send)
            return
        allow = ", ".join(sorted(template.methods))
        detail = f"{scope['method']} is not allowed here; allowed: {allow}"
        response = problem_response(
            405, "Method Not Allowed", detail, "method-not-allowed", headers={"Allow": allow}
        )
        await response(scope, receive, send)
