"""MSME profiles: validation, ownership, who sees what, and verification by curators."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from tests.factories import Actor, Factory

MSMES = "/api/v1/msmes"


def assert_problem(r: httpx.Response, status: int) -> dict[str, Any]:
    """An RFC 9457 problem document with the given status, and no stack trace in it."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    assert "Traceback" not in r.text
    return body


def error_locs(body: dict[str, Any]) -> list[list[Any]]:
    return [e["loc"] for e in body["errors"]]


def msme_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "legal_name": "CV Batik Sekar Jagad",
        "brand_name": "Sekar Jagad",
        "nib": "9120301234567",
        "npwp": "012345678901234",
        "province": "Jawa Barat",
        "city": "Cirebon",
        "address": "Jl. Trusmi Kulon 7",
        "size_class": "micro",
        "established_year": 2015,
        "employees": 8,
        "description": {"id": "Batik tulis Trusmi", "en": "Hand-drawn Trusmi batik"},
    }
    body.update(overrides)
    return body


async def post_msme(client: httpx.AsyncClient, actor: Actor, **overrides: Any) -> httpx.Response:
    return await client.post(MSMES, json=msme_body(**overrides), headers=actor.headers)


async def list_ids(client: httpx.AsyncClient, actor: Actor) -> list[str]:
    r = await client.get(MSMES, params={"limit": 100}, headers=actor.headers)
    assert r.status_code == 200, r.text
    return [m["id"] for m in r.json()["items"]]


async def verify(client: httpx.AsyncClient, actor: Actor, msme_id: str) -> httpx.Response:
    return await client.post(f"{MSMES}/{msme_id}/verify", headers=actor.headers)


# -- creating -----------------------------------------------------------------------


async def test_owner_creates_an_msme(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    r = await post_msme(client, owner)
    assert r.status_code == 201, r.text
    msme = r.json()
    assert msme["owner_id"] == owner.id
    assert msme["nib"] == "9120301234567"
    assert msme["province"] == "Jawa Barat"
    assert msme["size_class"] == "micro"
    assert msme["description"] == {"id": "Batik tulis Trusmi", "en": "Hand-drawn Trusmi batik"}
    assert msme["verified"] is False
    assert msme["documents"] == []
    got = await client.get(f"{MSMES}/{msme['id']}", headers=owner.headers)
    assert got.status_code == 200 and got.json()["legal_name"] == "CV Batik Sekar Jagad"


@pytest.mark.parametrize(
    "province",
    ["Jawa Barat", "West Java", "JB", "jawa barat", "west java", "ID-JB", "jb"],
)
async def test_province_aliases_are_normalised(
    client: httpx.AsyncClient, factory: Factory, province: str
) -> None:
    owner = await factory.owner()
    r = await post_msme(client, owner, province=province)
    assert r.status_code == 201, r.text
    assert r.json()["province"] == "Jawa Barat"


async def test_province_is_normalised_on_patch_too(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await client.patch(
        f"{MSMES}/{msme['id']}", json={"province": "East Java"}, headers=owner.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["province"] == "Jawa Timur"


@pytest.mark.parametrize("province", ["Atlantis", "Selangor", "XX", "", "Java"])
async def test_unknown_province_is_422(
    client: httpx.AsyncClient, factory: Factory, province: str
) -> None:
    owner = await factory.owner()
    problem = assert_problem(await post_msme(client, owner, province=province), 422)
    assert ["body", "province"] in error_locs(problem)
    assert await list_ids(client, owner) == []


@pytest.mark.parametrize(
    "nib", ["912030123456", "91203012345678", "91203012345AB", "9120-30123456", "", 9120301234567]
)
async def test_nib_must_be_exactly_13_digits(
    client: httpx.AsyncClient, factory: Factory, nib: Any
) -> None:
    owner = await factory.owner()
    problem = assert_problem(await post_msme(client, owner, nib=nib), 422)
    assert ["body", "nib"] in error_locs(problem)


async def test_nib_may_start_with_zero(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    r = await post_msme(client, owner, nib="0120301234567")
    assert r.status_code == 201, r.text
    assert r.json()["nib"] == "0120301234567"


@pytest.mark.parametrize("size_class", ["large", "Micro", "", None])
async def test_size_class_must_be_micro_small_or_medium(
    client: httpx.AsyncClient, factory: Factory, size_class: Any
) -> None:
    owner = await factory.owner()
    problem = assert_problem(await post_msme(client, owner, size_class=size_class), 422)
    assert ["body", "size_class"] in error_locs(problem)


@pytest.mark.parametrize("size_class", ["micro", "small", "medium"])
async def test_each_size_class_is_accepted(
    client: httpx.AsyncClient, factory: Factory, size_class: str
) -> None:
    owner = await factory.owner()
    r = await post_msme(client, owner, size_class=size_class)
    assert r.status_code == 201, r.text
    assert r.json()["size_class"] == size_class


async def test_established_year_in_the_future_is_422(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    next_year = date.today().year + 1
    problem = assert_problem(await post_msme(client, owner, established_year=next_year), 422)
    assert ["body", "established_year"] in error_locs(problem)


async def test_established_this_year_is_accepted(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    r = await post_msme(client, owner, established_year=date.today().year)
    assert r.status_code == 201, r.text
    assert r.json()["established_year"] == date.today().year


async def test_missing_required_fields_are_each_reported(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    r = await client.post(MSMES, json={"brand_name": "Sekar"}, headers=owner.headers)
    problem = assert_problem(r, 422)
    locs = error_locs(problem)
    for field in ("legal_name", "nib", "province", "city", "address", "size_class"):
        assert ["body", field] in locs
    assert all(e["msg"] for e in problem["errors"])


async def test_duplicate_nib_is_conflict(client: httpx.AsyncClient, factory: Factory) -> None:
    first, second = await factory.owner(), await factory.owner()
    assert (await post_msme(client, first)).status_code == 201
    assert_problem(await post_msme(client, second, legal_name="PT Lain"), 409)
    assert await list_ids(client, second) == []


async def test_patch_to_a_taken_nib_is_conflict(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    taken = await factory.msme(owner, nib="1111111111111")
    other = await factory.msme(owner, nib="2222222222222")
    r = await client.patch(
        f"{MSMES}/{other['id']}", json={"nib": taken["nib"]}, headers=owner.headers
    )
    assert_problem(r, 409)
    got = (await client.get(f"{MSMES}/{other['id']}", headers=owner.headers)).json()
    assert got["nib"] == "2222222222222"


@pytest.mark.parametrize("role", ["buyer", "curator", "admin"])
async def test_only_owners_create_msmes(
    client: httpx.AsyncClient, factory: Factory, role: str
) -> None:
    caller, admin = await factory.user(role), await factory.admin()
    assert_problem(await post_msme(client, caller), 403)
    assert await list_ids(client, admin) == []


async def test_anonymous_create_is_401(client: httpx.AsyncClient) -> None:
    r = await client.post(MSMES, json=msme_body())
    assert_problem(r, 401)


# -- reading ------------------------------------------------------------------------


async def test_owner_lists_only_their_own(client: httpx.AsyncClient, factory: Factory) -> None:
    ana, budi = await factory.owner(), await factory.owner()
    mine = [(await factory.msme(ana))["id"], (await factory.msme(ana))["id"]]
    theirs = (await factory.msme(budi))["id"]

    assert sorted(await list_ids(client, ana)) == sorted(mine)
    assert await list_ids(client, budi) == [theirs]


@pytest.mark.parametrize("role", ["curator", "admin"])
async def test_staff_list_every_msme(
    client: httpx.AsyncClient, factory: Factory, role: str
) -> None:
    ana, budi = await factory.owner(), await factory.owner()
    ids = {(await factory.msme(ana))["id"], (await factory.msme(budi))["id"]}
    staff = await factory.user(role)
    assert set(await list_ids(client, staff)) == ids


async def test_list_is_paginated(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    ids = {(await factory.msme(owner))["id"] for _ in range(3)}
    first = (await client.get(MSMES, params={"limit": 2}, headers=owner.headers)).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = (
        await client.get(
            MSMES, params={"limit": 2, "cursor": first["next_cursor"]}, headers=owner.headers
        )
    ).json()
    assert second["next_cursor"] is None
    assert {m["id"] for m in first["items"] + second["items"]} == ids


async def test_list_default_page_size_is_20(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    for _ in range(21):
        await factory.msme(owner)
    page = (await client.get(MSMES, headers=owner.headers)).json()
    assert len(page["items"]) == 20
    assert page["next_cursor"] is not None


async def test_buyer_may_not_list_msmes(client: httpx.AsyncClient, factory: Factory) -> None:
    buyer = await factory.buyer()
    assert_problem(await client.get(MSMES, headers=buyer.headers), 403)


async def test_buyer_may_not_read_an_msme(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, buyer = await factory.owner(), await factory.buyer()
    msme = await factory.msme(owner)
    assert_problem(await client.get(f"{MSMES}/{msme['id']}", headers=buyer.headers), 403)


async def test_another_owners_msme_is_404(client: httpx.AsyncClient, factory: Factory) -> None:
    ana, budi = await factory.owner(), await factory.owner()
    msme = await factory.msme(ana)
    r = await client.get(f"{MSMES}/{msme['id']}", headers=budi.headers)
    problem = assert_problem(r, 404)
    # Indistinguishable from an MSME that does not exist.
    missing = await client.get(
        f"{MSMES}/00000000-0000-4000-8000-000000000000", headers=budi.headers
    )
    assert assert_problem(missing, 404)["detail"] == problem["detail"]


async def test_patching_another_owners_msme_is_404_and_changes_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    ana, budi = await factory.owner(), await factory.owner()
    msme = await factory.msme(ana)
    r = await client.patch(
        f"{MSMES}/{msme['id']}", json={"brand_name": "Hijacked"}, headers=budi.headers
    )
    assert_problem(r, 404)
    got = (await client.get(f"{MSMES}/{msme['id']}", headers=ana.headers)).json()
    assert got["brand_name"] == msme["brand_name"]


async def test_curator_reads_any_msme(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    msme = await factory.msme(owner)
    r = await client.get(f"{MSMES}/{msme['id']}", headers=curator.headers)
    assert r.status_code == 200 and r.json()["id"] == msme["id"]


async def test_get_embeds_the_msmes_documents(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    msme = await factory.msme(owner)
    assert (await client.get(f"{MSMES}/{msme['id']}", headers=owner.headers)).json()[
        "documents"
    ] == []

    doc = await factory.document(owner, "nib", msme_id=msme["id"])

    for reader in (owner, curator):
        documents = (await client.get(f"{MSMES}/{msme['id']}", headers=reader.headers)).json()[
            "documents"
        ]
        assert [d["id"] for d in documents] == [doc["id"]]
        assert documents[0]["doc_type"] == "nib"
        assert documents[0]["status"] == "uploaded"


# -- editing ------------------------------------------------------------------------


async def test_owner_patches_their_msme(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await client.patch(
        f"{MSMES}/{msme['id']}",
        json={"brand_name": "Gayo Prima", "employees": 30},
        headers=owner.headers,
    )
    assert r.status_code == 200, r.text
    patched = r.json()
    assert patched["brand_name"] == "Gayo Prima"
    assert patched["employees"] == 30
    assert patched["legal_name"] == msme["legal_name"]
    got = (await client.get(f"{MSMES}/{msme['id']}", headers=owner.headers)).json()
    assert got["brand_name"] == "Gayo Prima"


async def test_patch_validates_like_create(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await client.patch(
        f"{MSMES}/{msme['id']}",
        json={"nib": "123", "province": "Atlantis", "established_year": date.today().year + 1},
        headers=owner.headers,
    )
    problem = assert_problem(r, 422)
    assert {tuple(loc) for loc in error_locs(problem)} >= {
        ("body", "nib"),
        ("body", "province"),
        ("body", "established_year"),
    }


async def _verified_msme(
    client: httpx.AsyncClient, factory: Factory, owner: Actor
) -> dict[str, Any]:
    curator = await factory.curator()
    msme = await factory.msme(owner)
    r = await verify(client, curator, msme["id"])
    assert r.status_code == 200 and r.json()["verified"] is True
    return msme


@pytest.mark.parametrize(
    "change", [{"nib": "5555555555555"}, {"legal_name": "PT Kopi Gayo Lestari Baru"}]
)
async def test_identity_change_resets_verified(
    client: httpx.AsyncClient, factory: Factory, change: dict[str, str]
) -> None:
    owner = await factory.owner()
    msme = await _verified_msme(client, factory, owner)
    r = await client.patch(f"{MSMES}/{msme['id']}", json=change, headers=owner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["verified"] is False
    assert r.json()["verified_at"] is None
    got = (await client.get(f"{MSMES}/{msme['id']}", headers=owner.headers)).json()
    assert got["verified"] is False


async def test_other_changes_keep_verified(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await _verified_msme(client, factory, owner)
    r = await client.patch(
        f"{MSMES}/{msme['id']}",
        json={"brand_name": "Gayo Prima", "employees": 40, "nib": msme["nib"]},
        headers=owner.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["verified"] is True


# -- verification -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["curator", "admin"])
async def test_staff_verify_an_msme(client: httpx.AsyncClient, factory: Factory, role: str) -> None:
    owner, staff = await factory.owner(), await factory.user(role)
    msme = await factory.msme(owner)
    r = await verify(client, staff, msme["id"])
    assert r.status_code == 200, r.text
    assert r.json()["verified"] is True
    assert r.json()["verified_at"] is not None
    got = (await client.get(f"{MSMES}/{msme['id']}", headers=owner.headers)).json()
    assert got["verified"] is True


@pytest.mark.parametrize("role", ["msme_owner", "buyer"])
async def test_owner_and_buyer_may_not_verify(
    client: httpx.AsyncClient, factory: Factory, role: str
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    caller = owner if role == "msme_owner" else await factory.buyer()
    assert_problem(await verify(client, caller, msme["id"]), 403)
    got = (await client.get(f"{MSMES}/{msme['id']}", headers=owner.headers)).json()
    assert got["verified"] is False


async def test_verify_unknown_msme_is_404(client: httpx.AsyncClient, factory: Factory) -> None:
    curator = await factory.curator()
    assert_problem(await verify(client, curator, "00000000-0000-4000-8000-000000000000"), 404)


async def test_owner_may_not_set_verified_by_patch(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await client.patch(f"{MSMES}/{msme['id']}", json={"verified": True}, headers=owner.headers)
    problem = assert_problem(r, 422)
    assert ["body", "verified"] in error_locs(problem)
    got = (await client.get(f"{MSMES}/{msme['id']}", headers=owner.headers)).json()
    assert got["verified"] is False
