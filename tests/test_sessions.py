"""Login sessions: short access tokens, rotating refresh tokens, logout, password change."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
from fastapi import FastAPI

from app.config import Settings
from tests.factories import PASSWORD, Factory, statements_run
from tests.test_auth import assert_problem, bearer, login

REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"
MY_PASSWORD = "/api/v1/users/me/password"
NEW_PASSWORD = "teh-melati-di-sore-hari"


async def pair(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    r = await login(client, email, password)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def me_status(client: httpx.AsyncClient, access_token: str) -> int:
    return (await client.get(ME, headers=bearer(access_token))).status_code


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(REFRESH, json={"refresh_token": token})


async def test_login_answers_a_short_access_token_and_a_refresh_token(
    client: httpx.AsyncClient, factory: Factory, settings: Settings
) -> None:
    owner = await factory.owner()
    tokens = await pair(client, owner.email)
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60 == settings.access_token_minutes * 60
    claims = jwt.decode(tokens["access_token"], settings.secret_key, algorithms=["HS256"])
    assert claims["sub"] == owner.id
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert tokens["refresh_token"].startswith(claims["sid"].replace("-", "") + ".0.")
    assert await me_status(client, tokens["access_token"]) == 200


async def test_refresh_rotates_and_the_old_refresh_token_stops_working(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    first = await pair(client, owner.email)
    r = await refresh(client, first["refresh_token"])
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert await me_status(client, second["access_token"]) == 200
    # The third generation works too: rotation goes on.
    third = await refresh(client, second["refresh_token"])
    assert third.status_code == 200
    assert await me_status(client, third.json()["access_token"]) == 200


async def test_a_replayed_refresh_token_revokes_the_whole_session(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    first = await pair(client, owner.email)
    second = (await refresh(client, first["refresh_token"])).json()
    # The first refresh token comes back (stolen and used by someone else, or replayed).
    assert_problem(await refresh(client, first["refresh_token"]), 401)
    # Every token of the session is dead now, the legitimate newest pair included.
    assert_problem(await refresh(client, second["refresh_token"]), 401)
    assert await me_status(client, second["access_token"]) == 401
    assert await me_status(client, first["access_token"]) == 401
    # Another login is a session of its own and works.
    assert await me_status(client, (await pair(client, owner.email))["access_token"]) == 200


async def test_a_forged_refresh_token_is_401_and_revokes_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    tokens = await pair(client, owner.email)
    sid, generation, _ = tokens["refresh_token"].split(".")
    for bad in (f"{sid}.{generation}.guessed", f"{sid}.7.guessed", "garbage", "a.b.c"):
        assert_problem(await refresh(client, bad), 401)
    assert (await refresh(client, tokens["refresh_token"])).status_code == 200


async def test_logout_revokes_the_access_and_refresh_token_at_once(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    tokens = await pair(client, owner.email)
    other_device = await pair(client, owner.email)
    r = await client.post(LOGOUT, headers=bearer(tokens["access_token"]))
    assert r.status_code == 204 and r.content == b""
    assert await me_status(client, tokens["access_token"]) == 401
    assert_problem(await refresh(client, tokens["refresh_token"]), 401)
    assert_problem(await client.post(LOGOUT, headers=bearer(tokens["access_token"])), 401)
    # Only that session ended.
    assert await me_status(client, other_device["access_token"]) == 200


async def test_logout_needs_a_token(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post(LOGOUT), 401)


async def test_password_change_revokes_every_older_token(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    tokens = await pair(client, owner.email)
    r = await client.post(
        MY_PASSWORD,
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=owner.headers,
    )
    assert r.status_code == 204, r.text
    assert await me_status(client, owner.headers["Authorization"].split()[1]) == 401
    assert await me_status(client, tokens["access_token"]) == 401
    assert_problem(await refresh(client, tokens["refresh_token"]), 401)
    assert_problem(await login(client, owner.email, PASSWORD), 401)
    assert await me_status(client, (await pair(client, owner.email, NEW_PASSWORD))["access_token"])


async def test_password_change_needs_the_current_password(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    r = await client.post(
        MY_PASSWORD,
        json={"current_password": "not-my-password", "new_password": NEW_PASSWORD},
        headers=owner.headers,
    )
    problem = assert_problem(r, 422)
    assert [e["loc"] for e in problem["errors"]] == [["body", "current_password"]]
    assert await me_status(client, owner.headers["Authorization"].split()[1]) == 200
    assert (await login(client, owner.email, PASSWORD)).status_code == 200


async def test_deactivation_revokes_the_users_sessions(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin, owner = await factory.admin(), await factory.owner()
    tokens = await pair(client, owner.email)
    r = await client.patch(
        f"/api/v1/users/{owner.id}", json={"is_active": False}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    # Active again: the sessions ended with the deactivation stay ended.
    r = await client.patch(
        f"/api/v1/users/{owner.id}", json={"is_active": True}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    assert await me_status(client, tokens["access_token"]) == 401
    assert_problem(await refresh(client, tokens["refresh_token"]), 401)
    assert await me_status(client, (await pair(client, owner.email))["access_token"]) == 200


async def test_an_admin_password_reset_revokes_the_users_sessions(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin, owner = await factory.admin(), await factory.owner()
    r = await client.patch(
        f"/api/v1/users/{owner.id}", json={"password": NEW_PASSWORD}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    assert await me_status(client, owner.headers["Authorization"].split()[1]) == 401
    assert await me_status(client, admin.headers["Authorization"].split()[1]) == 200


async def test_the_caller_and_their_session_are_read_in_one_query(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    owner = await factory.owner()
    with statements_run(app) as run:
        assert (await client.get(ME, headers=owner.headers)).status_code == 200
    statements = [s for s in run if "users" in s or "auth_sessions" in s]
    assert len(statements) == 1, statements
    assert "auth_sessions" in statements[0] and "users" in statements[0]


async def test_the_account_routes_are_documented(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    for path, status in [
        ("/api/v1/auth/refresh", "401"),
        ("/api/v1/auth/logout", "401"),
        ("/api/v1/users/me/password", "422"),
    ]:
        operation = paths[path]["post"]
        assert operation["summary"] and operation["description"], path
        assert "application/problem+json" in operation["responses"][status]["content"], path
    for path in ("/api/v1/auth/refresh", "/api/v1/users/me/password"):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        name = body["$ref"].rsplit("/", 1)[1]
        assert spec["components"]["schemas"][name]["examples"], path
    token = spec["components"]["schemas"]["Token"]["properties"]
    assert {"access_token", "token_type", "expires_in", "refresh_token"} <= token.keys()
    # Every limited route says it may answer 429; registration no longer answers 409.
    limited = [
        ("/api/v1/auth/token", "post"),
        ("/api/v1/auth/register", "post"),
        ("/api/v1/users/me/password", "post"),
        ("/api/v1/catalog/products/{product_id}/inquiries", "post"),
        ("/api/v1/products/{product_id}/transitions", "post"),
        ("/api/v1/products/{product_id}/media", "post"),
        ("/api/v1/products/{product_id}/documents", "post"),
        ("/api/v1/msmes/{msme_id}/documents", "post"),
    ]
    assert [p for p, m in limited if "429" not in paths[p][m]["responses"]] == []
    assert "409" not in paths["/api/v1/auth/register"]["post"]["responses"]
