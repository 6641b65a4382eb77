"""Self-registration, logging in, and what the API makes of good, bad and missing tokens."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.config import Settings
from app.models import User
from tests.factories import PASSWORD, Factory

REGISTER = "/api/v1/auth/register"
TOKEN = "/api/v1/auth/token"
ME = "/api/v1/users/me"


def registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": f"sari-{uuid.uuid4().hex[:8]}@example.com",
        "password": PASSWORD,
        "full_name": "Sari Wulandari",
        "role": "msme_owner",
    }
    body.update(overrides)
    return body


def assert_problem(r: httpx.Response, status: int) -> dict[str, Any]:
    """An RFC 9457 problem document with the given status, and no stack trace in it."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body


def error_locs(body: dict[str, Any]) -> list[list[Any]]:
    return [e["loc"] for e in body["errors"]]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(TOKEN, data={"username": email, "password": password})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def session_of(actor_headers: dict[str, str]) -> str:
    """The `sid` claim of an actor's access token (read without checking it)."""
    token = actor_headers["Authorization"].removeprefix("Bearer ")
    return str(jwt.decode(token, options={"verify_signature": False})["sid"])


def _swap_char(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


# -- registration -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["msme_owner", "buyer"])
async def test_register_creates_owner_or_buyer(client: httpx.AsyncClient, role: str) -> None:
    body = registration(role=role, company="Tokyo Trading K.K.", country="JP")
    r = await client.post(REGISTER, json=body)
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["role"] == role
    assert user["email"] == body["email"]
    assert user["full_name"] == "Sari Wulandari"
    assert user["country"] == "JP"
    assert user["is_active"] is True
    assert uuid.UUID(user["id"])
    assert not any("password" in key for key in user)


async def test_register_normalises_country_code_to_upper_case(client: httpx.AsyncClient) -> None:
    r = await client.post(REGISTER, json=registration(role="buyer", country="jp"))
    assert r.status_code == 201, r.text
    assert r.json()["country"] == "JP"


async def test_register_rejects_a_country_that_is_not_a_two_letter_code(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post(REGISTER, json=registration(role="buyer", country="Japan"))
    problem = assert_problem(r, 422)
    assert error_locs(problem) == [["body", "country"]]


@pytest.mark.parametrize("role", ["curator", "admin"])
async def test_register_refuses_staff_roles(client: httpx.AsyncClient, role: str) -> None:
    body = registration(role=role)
    r = await client.post(REGISTER, json=body)
    problem = assert_problem(r, 422)
    assert ["body", "role"] in error_locs(problem)
    assert (await login(client, body["email"])).status_code == 401


async def test_register_refuses_to_set_is_active(client: httpx.AsyncClient) -> None:
    r = await client.post(REGISTER, json=registration(is_active=False))
    problem = assert_problem(r, 422)
    assert ["body", "is_active"] in error_locs(problem)


async def test_register_stores_email_lower_case(client: httpx.AsyncClient) -> None:
    r = await client.post(REGISTER, json=registration(email="  Dewi.Lestari@Example.COM "))
    assert r.status_code == 201, r.text
    assert r.json()["email"] == "dewi.lestari@example.com"
    assert (await login(client, "DEWI.LESTARI@example.com")).status_code == 200


async def test_register_a_taken_email_answers_as_a_new_one_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    first = await client.post(REGISTER, json=registration(email="budi@example.com"))
    assert first.status_code == 201
    again = registration(email="Budi@EXAMPLE.com", role="buyer", password="another-long-secret")
    r = await client.post(REGISTER, json=again)
    # Nothing tells the email is taken: the same status and shape as a new account.
    assert r.status_code == 201, r.text
    assert r.headers["content-type"] == first.headers["content-type"]
    assert r.json().keys() == first.json().keys()
    assert r.json()["email"] == "budi@example.com" and r.json()["role"] == "buyer"
    assert r.json()["id"] != first.json()["id"]
    async with app.state.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
    # The first account is untouched: still an owner, with its own password only.
    assert (await login(client, "budi@example.com", "another-long-secret")).status_code == 401
    token = (await login(client, "budi@example.com")).json()["access_token"]
    assert (await client.get(ME, headers=bearer(token))).json()["role"] == "msme_owner"


@pytest.mark.parametrize("email", ["not-an-email", "budi@", "@example.com", ""])
async def test_register_rejects_a_bad_email(client: httpx.AsyncClient, email: str) -> None:
    problem = assert_problem(await client.post(REGISTER, json=registration(email=email)), 422)
    assert ["body", "email"] in error_locs(problem)
    assert all(isinstance(e["msg"], str) and e["msg"] for e in problem["errors"])


async def test_register_rejects_a_password_under_12_characters(client: httpx.AsyncClient) -> None:
    body = registration(password="kopi-gayo-7")  # 11
    problem = assert_problem(await client.post(REGISTER, json=body), 422)
    assert error_locs(problem) == [["body", "password"]]
    assert (await login(client, body["email"], "kopi-gayo-7")).status_code == 401
    body = registration(password="kopi-gayo-77")  # 12
    assert (await client.post(REGISTER, json=body)).status_code == 201
    assert (await login(client, body["email"], "kopi-gayo-77")).status_code == 200


async def test_register_requires_a_role(client: httpx.AsyncClient) -> None:
    body = registration()
    del body["role"]
    problem = assert_problem(await client.post(REGISTER, json=body), 422)
    assert ["body", "role"] in error_locs(problem)


# -- logging in -------------------------------------------------------------------


async def test_token_for_correct_credentials(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    r = await login(client, owner.email)
    assert r.status_code == 200, r.text
    token = r.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] > 0
    me = await client.get(ME, headers=bearer(token["access_token"]))
    assert me.status_code == 200 and me.json()["id"] == owner.id


async def test_token_wrong_password_is_401(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    r = await login(client, owner.email, "wrong-password-123")
    problem = assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
    assert "access_token" not in problem


async def test_token_unknown_email_is_401_like_a_wrong_password(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    unknown = assert_problem(await login(client, "nobody@example.com"), 401)
    wrong = assert_problem(await login(client, owner.email, "wrong-password-123"), 401)
    # The answer must not tell whether the account exists.
    assert unknown["detail"] == wrong["detail"]


async def test_token_for_inactive_user_is_401(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin()
    owner = await factory.owner()
    r = await client.patch(
        f"/api/v1/users/{owner.id}", json={"is_active": False}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    assert_problem(await login(client, owner.email), 401)


async def test_token_requires_form_fields(client: httpx.AsyncClient) -> None:
    problem = assert_problem(await client.post(TOKEN, data={"username": "a@example.com"}), 422)
    assert any(loc[-1] == "password" for loc in error_locs(problem))


# -- /users/me and tokens ---------------------------------------------------------


async def test_me_returns_the_caller(client: httpx.AsyncClient, factory: Factory) -> None:
    buyer = await factory.buyer()
    r = await client.get(ME, headers=buyer.headers)
    assert r.status_code == 200
    me = r.json()
    assert me["id"] == buyer.id
    assert me["email"] == buyer.email
    assert me["role"] == "buyer"
    assert me["company"] == "Tokyo Trading K.K."
    assert me["country"] == "JP"
    assert me["preferred_language"] == "en"
    assert not any("password" in key for key in me)


async def test_me_without_token_is_401_with_bearer_challenge(client: httpx.AsyncClient) -> None:
    r = await client.get(ME)
    assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"


async def test_me_with_garbage_token_is_401(client: httpx.AsyncClient) -> None:
    r = await client.get(ME, headers=bearer("not-a-jwt"))
    assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"


async def test_token_with_tampered_signature_is_401(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    token = owner.headers["Authorization"].removeprefix("Bearer ")
    header, payload, signature = token.split(".")
    # A character in the middle of the signature: every bit of it counts.
    tampered = f"{header}.{payload}.{_swap_char(signature, len(signature) // 2)}"
    assert_problem(await client.get(ME, headers=bearer(tampered)), 401)
    assert (await client.get(ME, headers=owner.headers)).status_code == 200


async def test_token_with_tampered_payload_is_401(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, admin = await factory.owner(), await factory.admin()
    token = owner.headers["Authorization"].removeprefix("Bearer ")
    header, payload, signature = token.split(".")
    claims = json.loads(_unb64(payload))
    claims["sub"] = admin.id
    claims["role"] = "admin"
    forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    assert_problem(await client.get(ME, headers=bearer(forged)), 401)
    assert_problem(await client.get("/api/v1/users", headers=bearer(forged)), 401)


async def test_token_signed_with_another_key_is_401(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    now = datetime.now(UTC)
    claims = {"sub": owner.id, "sid": session_of(owner.headers), "iat": now, "typ": "access"}
    claims["exp"] = now + timedelta(minutes=5)
    token = jwt.encode(claims, "some-other-secret-key-0123456789abcdef", algorithm="HS256")
    assert_problem(await client.get(ME, headers=bearer(token)), 401)


async def test_expired_token_is_401(
    client: httpx.AsyncClient, factory: Factory, settings: Settings
) -> None:
    owner = await factory.owner()
    issued = datetime.now(UTC) - timedelta(hours=2)
    claims = {
        "sub": owner.id,
        "sid": session_of(owner.headers),
        "role": "msme_owner",
        "iat": issued,
        "exp": issued + timedelta(hours=1),
        "typ": "access",
    }
    expired = jwt.encode(claims, settings.secret_key, algorithm="HS256")
    r = await client.get(ME, headers=bearer(expired))
    assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
    # The same claims with a future expiry are accepted: the expiry alone made the difference.
    claims["exp"] = datetime.now(UTC) + timedelta(minutes=5)
    fresh = jwt.encode(claims, settings.secret_key, algorithm="HS256")
    assert (await client.get(ME, headers=bearer(fresh))).status_code == 200


async def test_token_of_a_deleted_user_is_401(
    client: httpx.AsyncClient, factory: Factory, settings: Settings
) -> None:
    owner = await factory.owner()
    now = datetime.now(UTC)
    claims = {
        "sub": str(uuid.uuid4()),
        "sid": session_of(owner.headers),
        "role": "admin",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "typ": "access",
    }
    token = jwt.encode(claims, settings.secret_key, algorithm="HS256")
    assert_problem(await client.get(ME, headers=bearer(token)), 401)


async def test_public_route_rejects_a_bad_token_instead_of_ignoring_it(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/api/v1/catalog/products")).status_code == 200
    r = await client.get("/api/v1/catalog/products", headers=bearer("not-a-jwt"))
    assert_problem(r, 401)
