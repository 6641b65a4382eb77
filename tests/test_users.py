"""Admins manage accounts: create any role, list them page by page, change and deactivate them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.factories import PASSWORD, Actor, Factory

USERS = "/api/v1/users"
ME = "/api/v1/users/me"


def assert_problem(r: httpx.Response, status: int) -> dict[str, Any]:
    """An RFC 9457 problem document with the given status, and no stack trace in it."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    assert "Traceback" not in r.text
    return body


def new_user(role: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": f"{role}-{uuid.uuid4().hex[:8]}@example.com",
        "password": PASSWORD,
        "full_name": f"Staff {role}",
        "role": role,
    }
    body.update(overrides)
    return body


async def create(client: httpx.AsyncClient, admin: Actor, role: str, **fields: Any) -> Any:
    r = await client.post(USERS, json=new_user(role, **fields), headers=admin.headers)
    assert r.status_code == 201, r.text
    return r.json()


async def walk(
    client: httpx.AsyncClient, admin: Actor, **params: Any
) -> tuple[list[str], list[int]]:
    """Every id of the list, following next_cursor; and the size of each page."""
    ids: list[str] = []
    sizes: list[int] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(USERS, params=query, headers=admin.headers)
        assert r.status_code == 200, r.text
        page = r.json()
        ids += [u["id"] for u in page["items"]]
        sizes.append(len(page["items"]))
        cursor = page["next_cursor"]
        if cursor is None:
            return ids, sizes
        assert len(sizes) < 50, "the cursor never ends"


# -- creating -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["msme_owner", "buyer", "curator", "admin"])
async def test_admin_creates_a_user_of_any_role(
    client: httpx.AsyncClient, factory: Factory, role: str
) -> None:
    admin = await factory.admin()
    body = new_user(role, email=f"New.{role}@Example.com")
    r = await client.post(USERS, json=body, headers=admin.headers)
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["role"] == role
    assert user["email"] == f"new.{role}@example.com"
    assert user["is_active"] is True
    assert not any("password" in key for key in user)
    # The new account works at once.
    headers = await factory.login(body["email"])
    me = (await client.get(ME, headers=headers)).json()
    assert me["id"] == user["id"] and me["role"] == role


async def test_admin_create_duplicate_email_is_conflict(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    owner = await factory.owner()
    r = await client.post(
        USERS, json=new_user("curator", email=owner.email.upper()), headers=admin.headers
    )
    assert_problem(r, 409)


async def test_admin_create_validates_the_body(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin()
    r = await client.post(USERS, json=new_user("superuser"), headers=admin.headers)
    problem = assert_problem(r, 422)
    assert ["body", "role"] in [e["loc"] for e in problem["errors"]]


# -- listing ------------------------------------------------------------------------


async def test_list_walks_every_page_without_duplicates_or_gaps(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    created = [await create(client, admin, "buyer") for _ in range(6)]
    expected = {admin.id, *(u["id"] for u in created)}  # 7 users

    ids, sizes = await walk(client, admin, limit=2)

    assert len(ids) == len(set(ids)), "a user appeared on two pages"
    assert set(ids) == expected
    assert sizes == [2, 2, 2, 1]


async def test_list_last_page_has_null_cursor(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin()
    await create(client, admin, "buyer")
    first = (await client.get(USERS, params={"limit": 1}, headers=admin.headers)).json()
    assert len(first["items"]) == 1 and isinstance(first["next_cursor"], str)
    second = (
        await client.get(
            USERS, params={"limit": 1, "cursor": first["next_cursor"]}, headers=admin.headers
        )
    ).json()
    assert len(second["items"]) == 1
    assert second["items"][0]["id"] != first["items"][0]["id"]
    assert second["next_cursor"] is None


async def test_list_exact_multiple_of_limit_ends_with_null_cursor(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    await create(client, admin, "buyer")
    page = (await client.get(USERS, params={"limit": 2}, headers=admin.headers)).json()
    assert len(page["items"]) == 2
    assert page["next_cursor"] is None


@pytest.mark.parametrize("limit", [0, 101, -1])
async def test_list_refuses_a_limit_out_of_range(
    client: httpx.AsyncClient, factory: Factory, limit: int
) -> None:
    admin = await factory.admin()
    r = await client.get(USERS, params={"limit": limit}, headers=admin.headers)
    problem = assert_problem(r, 422)
    assert ["query", "limit"] in [e["loc"] for e in problem["errors"]]


async def test_list_filters_by_role(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin()
    curators = [await create(client, admin, "curator") for _ in range(3)]
    await create(client, admin, "buyer")
    await factory.owner()

    ids, _ = await walk(client, admin, role="curator", limit=2)

    assert sorted(ids) == sorted(c["id"] for c in curators)


async def test_list_role_filter_rejects_unknown_role(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    r = await client.get(USERS, params={"role": "wizard"}, headers=admin.headers)
    problem = assert_problem(r, 422)
    assert ["query", "role"] in [e["loc"] for e in problem["errors"]]


@pytest.mark.parametrize("cursor", ["garbage", "bm90LWEtY3Vyc29y", "%%%", "A" * 40])
async def test_list_garbage_cursor_is_422(
    client: httpx.AsyncClient, factory: Factory, cursor: str
) -> None:
    admin = await factory.admin()
    r = await client.get(USERS, params={"cursor": cursor}, headers=admin.headers)
    problem = assert_problem(r, 422)
    assert [e["loc"] for e in problem["errors"]] == [["query", "cursor"]]


async def test_list_refuses_a_cursor_of_another_filter(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    for _ in range(3):
        await create(client, admin, "buyer")
    page = (await client.get(USERS, params={"limit": 1}, headers=admin.headers)).json()
    r = await client.get(
        USERS, params={"role": "buyer", "cursor": page["next_cursor"]}, headers=admin.headers
    )
    assert_problem(r, 422)


# -- updating -----------------------------------------------------------------------


async def test_deactivating_a_user_invalidates_their_token(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin, owner = await factory.admin(), await factory.owner()
    assert (await client.get(ME, headers=owner.headers)).status_code == 200

    r = await client.patch(f"{USERS}/{owner.id}", json={"is_active": False}, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["is_active"] is False

    assert_problem(await client.get(ME, headers=owner.headers), 401)
    assert_problem(await client.get("/api/v1/msmes", headers=owner.headers), 401)


async def test_reactivating_a_user_lets_them_log_in_again(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin, owner = await factory.admin(), await factory.owner()
    await client.patch(f"{USERS}/{owner.id}", json={"is_active": False}, headers=admin.headers)
    r = await client.patch(f"{USERS}/{owner.id}", json={"is_active": True}, headers=admin.headers)
    assert r.status_code == 200 and r.json()["is_active"] is True
    headers = await factory.login(owner.email)
    assert (await client.get(ME, headers=headers)).status_code == 200


async def test_role_change_takes_effect_for_the_users_existing_token(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin, buyer = await factory.admin(), await factory.buyer()
    assert_problem(await client.get("/api/v1/curation/queue", headers=buyer.headers), 403)

    r = await client.patch(f"{USERS}/{buyer.id}", json={"role": "curator"}, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "curator"

    assert (await client.get(ME, headers=buyer.headers)).json()["role"] == "curator"
    assert (await client.get("/api/v1/curation/queue", headers=buyer.headers)).status_code == 200


async def test_patch_changes_only_the_fields_sent(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin, buyer = await factory.admin(), await factory.buyer()
    r = await client.patch(
        f"{USERS}/{buyer.id}", json={"full_name": "Kenji Sato"}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    user = r.json()
    assert user["full_name"] == "Kenji Sato"
    assert user["role"] == "buyer"
    assert user["company"] == "Tokyo Trading K.K."
    assert user["is_active"] is True


async def test_admin_resets_a_password(client: httpx.AsyncClient, factory: Factory) -> None:
    admin, owner = await factory.admin(), await factory.owner()
    r = await client.patch(
        f"{USERS}/{owner.id}", json={"password": "a-brand-new-password"}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    old = await client.post(
        "/api/v1/auth/token", data={"username": owner.email, "password": PASSWORD}
    )
    assert_problem(old, 401)
    await factory.login(owner.email, "a-brand-new-password")


async def test_patch_unknown_user_is_404(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin()
    r = await client.patch(f"{USERS}/{uuid.uuid4()}", json={"role": "buyer"}, headers=admin.headers)
    assert_problem(r, 404)


async def test_patch_with_a_malformed_id_is_422(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    r = await client.patch(f"{USERS}/not-a-uuid", json={"role": "buyer"}, headers=admin.headers)
    problem = assert_problem(r, 422)
    assert [e["loc"] for e in problem["errors"]] == [["path", "user_id"]]


# -- who may manage users -------------------------------------------------------------


@pytest.mark.parametrize("role", ["msme_owner", "buyer", "curator"])
async def test_non_admin_may_not_create_users(
    client: httpx.AsyncClient, factory: Factory, role: str
) -> None:
    caller = await factory.user(role)
    body = new_user("admin")
    r = await client.post(USERS, json=body, headers=caller.headers)
    assert_problem(r, 403)
    login = await client.post(
        "/api/v1/auth/token", data={"username": body["email"], "password": PASSWORD}
    )
    assert login.status_code == 401


@pytest.mark.parametrize("role", ["msme_owner", "buyer", "curator"])
async def test_non_admin_may_not_list_users(
    client: httpx.AsyncClient, factory: Factory, role: str
) -> None:
    caller = await factory.user(role)
    assert_problem(await client.get(USERS, headers=caller.headers), 403)


@pytest.mark.parametrize("role", ["msme_owner", "buyer", "curator"])
async def test_non_admin_may_not_update_users(
    client: httpx.AsyncClient, factory: Factory, role: str
) -> None:
    caller = await factory.user(role)
    r = await client.patch(f"{USERS}/{caller.id}", json={"role": "admin"}, headers=caller.headers)
    assert_problem(r, 403)
    assert (await client.get(ME, headers=caller.headers)).json()["role"] == role


@pytest.mark.parametrize(
    ("method", "path"), [("POST", USERS), ("GET", USERS), ("PATCH", f"{USERS}/{uuid.UUID(int=1)}")]
)
async def test_anonymous_may_not_manage_users(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    body = new_user("admin") if method == "POST" else {"role": "admin"}
    r = await client.request(method, path, json=None if method == "GET" else body)
    assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
