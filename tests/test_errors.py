"""What every client sees when a request goes wrong, and the public documents of the API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from tests.factories import Actor, Factory

MSMES = "/api/v1/msmes"
ONE_MIB = 1024 * 1024


def assert_problem(r: httpx.Response, status: int) -> dict[str, Any]:
    """An RFC 9457 problem document with the given status, and no stack trace in it."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert_no_stack_trace(r)
    return body


def assert_no_stack_trace(r: httpx.Response) -> None:
    for marker in ("Traceback", 'File "', "site-packages", '.py", line'):
        assert marker not in r.text, r.text


def msme_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "legal_name": "CV Rotan Kalimantan",
        "brand_name": "Rotan Borneo",
        "nib": "6101234567890",
        "province": "Kalimantan Barat",
        "city": "Pontianak",
        "address": "Jl. Gajah Mada 3",
        "size_class": "small",
    }
    body.update(overrides)
    return body


async def msme_count(client: httpx.AsyncClient, actor: Actor) -> int:
    r = await client.get(MSMES, params={"limit": 100}, headers=actor.headers)
    assert r.status_code == 200, r.text
    return len(r.json()["items"])


def json_headers(actor: Actor, content_type: str = "application/json") -> dict[str, str]:
    return {**actor.headers, "Content-Type": content_type}


# -- request bodies -------------------------------------------------------------------


async def test_malformed_json_is_422_and_writes_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    broken = json.dumps(msme_body())[:-10]
    r = await client.post(MSMES, content=broken, headers=json_headers(owner))
    problem = assert_problem(r, 422)
    assert problem["errors"] and problem["errors"][0]["loc"][0] == "body"
    assert all(isinstance(e["msg"], str) and e["msg"] for e in problem["errors"])
    assert await msme_count(client, owner) == 0


async def test_malformed_json_on_register_creates_no_account(client: httpx.AsyncClient) -> None:
    body = '{"email": "rina@example.com", "password": "correct-horse-battery", "full_name": '
    r = await client.post(
        "/api/v1/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    assert_problem(r, 422)
    login = await client.post(
        "/api/v1/auth/token",
        data={"username": "rina@example.com", "password": "correct-horse-battery"},
    )
    assert login.status_code == 401


async def test_json_that_is_not_an_object_is_422(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    r = await client.post(MSMES, json=[msme_body()], headers=owner.headers)
    assert_problem(r, 422)
    assert await msme_count(client, owner) == 0


async def test_unknown_field_is_422_with_its_location(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, other = await factory.owner(), await factory.owner()
    r = await client.post(MSMES, json=msme_body(owner_id=other.id), headers=owner.headers)
    problem = assert_problem(r, 422)
    assert [e["loc"] for e in problem["errors"]] == [["body", "owner_id"]]
    assert await msme_count(client, owner) == 0


async def test_validation_problem_has_type_title_and_errors(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    r = await client.post(MSMES, json=msme_body(nib="12"), headers=owner.headers)
    problem = assert_problem(r, 422)
    assert problem["errors"] == [{"loc": ["body", "nib"], "msg": problem["errors"][0]["msg"]}]
    assert set(problem["errors"][0]) == {"loc", "msg"}
    assert problem["title"] != problem["type"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
async def test_non_json_body_is_415(
    client: httpx.AsyncClient, factory: Factory, content_type: str
) -> None:
    owner = await factory.owner()
    r = await client.post(
        MSMES, content=json.dumps(msme_body()), headers=json_headers(owner, content_type)
    )
    assert_problem(r, 415)
    assert await msme_count(client, owner) == 0


async def test_json_with_charset_is_accepted(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    r = await client.post(
        MSMES,
        content=json.dumps(msme_body()).encode(),
        headers=json_headers(owner, "application/json; charset=utf-8"),
    )
    assert r.status_code == 201, r.text


async def test_body_over_one_mib_is_413_and_writes_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    body = msme_body(description={"id": "x" * (ONE_MIB + 10)})
    r = await client.post(MSMES, json=body, headers=owner.headers)
    assert_problem(r, 413)
    assert await msme_count(client, owner) == 0


async def test_chunked_body_over_one_mib_is_413(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    payload = json.dumps(msme_body(description={"id": "x" * (ONE_MIB + 10)})).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(payload), 64 * 1024):
            yield payload[start : start + 64 * 1024]

    r = await client.post(MSMES, content=chunks(), headers=json_headers(owner))
    assert_problem(r, 413)
    assert await msme_count(client, owner) == 0


async def test_chunked_body_within_the_limit_is_accepted(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    payload = json.dumps(msme_body()).encode()

    async def chunks() -> AsyncIterator[bytes]:
        yield payload[:20]
        yield payload[20:]

    r = await client.post(MSMES, content=chunks(), headers=json_headers(owner))
    assert r.status_code == 201, r.text
    assert r.json()["brand_name"] == "Rotan Borneo"


# -- routing ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v2/msmes", "/nowhere"])
async def test_unknown_route_is_404_problem(client: httpx.AsyncClient, path: str) -> None:
    assert_problem(await client.get(path), 404)


async def test_unknown_id_of_a_known_route_is_404_problem(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    r = await client.get(f"{MSMES}/00000000-0000-4000-8000-000000000000", headers=owner.headers)
    assert_problem(r, 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/v1/users/me", "GET"),
        ("PUT", "/api/v1/msmes", "POST"),
        ("GET", "/api/v1/auth/token", "POST"),
    ],
)
async def test_wrong_method_is_405_problem(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    r = await client.request(method, path)
    assert_problem(r, 405)
    assert allowed in r.headers["allow"]


async def test_unexpected_error_is_a_500_problem_without_internals(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/api/v1/_explode")
    async def explode() -> None:
        raise RuntimeError("password=hunter2 in /srv/app/secret.py")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        r = await c.get("/api/v1/_explode")
    assert_problem(r, 500)
    assert "hunter2" not in r.text and "RuntimeError" not in r.text


# -- public documents ---------------------------------------------------------------


async def test_openapi_document_lists_the_api(client: httpx.AsyncClient) -> None:
    r = await client.get("/openapi.json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/catalog/products",
        "/api/v1/auth/token",
        "/api/v1/auth/register",
        "/api/v1/users",
        "/api/v1/msmes/{msme_id}",
        "/api/v1/standards",
    ):
        assert path in paths
    assert "get" in paths["/api/v1/catalog/products"]


async def test_openapi_documents_problem_responses(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    conflict = spec["paths"]["/api/v1/msmes"]["post"]["responses"]["409"]
    assert "application/problem+json" in conflict["content"]


async def test_docs_page_is_served(client: httpx.AsyncClient) -> None:
    r = await client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in r.text


async def test_standards_are_public_and_complete(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/standards")
    assert r.status_code == 200, r.text
    standards = r.json()
    categories = {c["code"]: c for c in standards["categories"]}
    assert len(standards["categories"]) == 22  # 16 export categories, 6 automotive
    assert len(categories) == 22, "category codes repeat"
    coffee = categories["coffee"]
    assert coffee["hs_prefixes"] == ["0901"]
    assert coffee["name"]["ja"] and coffee["name"]["en"] and coffee["name"]["id"]
    assert "shelf_life_days" in coffee["required_fields"]
    assert coffee["criteria"] and all(c["code"] and c["title"] for c in coffee["criteria"])


async def test_standards_list_document_types(client: httpx.AsyncClient) -> None:
    standards = (await client.get("/api/v1/standards")).json()
    types = {d["code"]: d for d in standards["document_types"]}
    assert types["halal"]["scope"] == "product"
    assert types["halal"]["expires"] is True
    assert types["nib"]["scope"] == "msme"
    # What the catalog shows and filters by: certifications, not business papers.
    assert types["halal"]["buyer_facing"] and types["jas_organic"]["buyer_facing"]
    assert not types["nib"]["buyer_facing"] and not types["lab_test"]["buyer_facing"]
    # Every document a category asks for is a known document type.
    for category in standards["categories"]:
        assert set(category["required_documents"]) <= set(types)


async def test_standards_are_the_same_for_a_signed_in_caller(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    buyer = await factory.buyer()
    anonymous = (await client.get("/api/v1/standards")).json()
    r = await client.get("/api/v1/standards", headers=buyer.headers)
    assert r.status_code == 200
    assert r.json() == anonymous
