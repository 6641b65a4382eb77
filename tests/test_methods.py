"""405 Method Not Allowed: problem+json with every method of the path in `Allow`, decided
by the path's own routes (a literal path is never taken by a parameter's route)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from tests.factories import Factory


def assert_405(r: httpx.Response, allow: str) -> None:
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == allow
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "https://kurasi.id/problems/method-not-allowed"
    assert r.json()["status"] == 405


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/v1/products", "GET, POST"),
        ("DELETE", "/api/v1/msmes", "GET, POST"),
        ("POST", "/api/v1/products/00000000-0000-0000-0000-000000000000", "GET, PATCH"),
        ("POST", "/api/v1/shortlist/00000000-0000-0000-0000-000000000000", "DELETE, PUT"),
        ("GET", "/api/v1/auth/token", "POST"),
        ("POST", "/readyz", "GET"),
    ],
)
async def test_405_lists_every_method_of_the_path(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    assert_405(await client.request(method, path), allow)


async def test_a_literal_path_is_not_taken_by_a_parameter_route(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    # /users/me has GET and PATCH; PATCH /users/{user_id} must not take it (it answered 422).
    r = await client.patch("/api/v1/users/me", headers=owner.headers, json={})
    assert (r.status_code, r.json()["id"]) == (200, owner.id)
    assert_405(await client.put("/api/v1/users/me", headers=owner.headers, json={}), "GET, PATCH")
    assert_405(await client.put("/api/v1/users/me", json={}), "GET, PATCH")
    r = await client.get("/api/v1/users/me", headers=owner.headers)
    assert (r.status_code, r.json()["id"]) == (200, owner.id)


async def test_405_comes_before_body_checks(client: httpx.AsyncClient) -> None:
    r = await client.put(
        "/api/v1/products", content=b"<xml/>", headers={"content-type": "text/xml"}
    )
    assert_405(r, "GET, POST")


def test_each_literal_path_reaches_its_own_routes_first(app: FastAPI) -> None:
    """The router takes the first route that matches: for every method of a literal path,
    that must be the literal path's route, not a parameter's declared before it."""
    routes = [
        (r.path, getattr(r, "path_regex", None), getattr(r, "methods", None) or set())
        for r in iter_route_contexts(app.routes)
    ]
    literal = [(path, methods) for path, _, methods in routes if path and "{" not in path]
    assert ("/api/v1/users/me", {"GET"}) in literal
    wrong = []
    for path, methods in literal:
        for method in methods:
            first = next(p for p, rx, ms in routes if rx and rx.match(path) and method in ms)
            if first != path:
                wrong.append(f"{method} {path} goes to {first}")
    assert wrong == []
