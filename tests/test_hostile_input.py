"""Input a client should never get past validation, each once a 500 or silently stored.

Every refusal is a 422 problem document naming the field, and nothing is written.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.factories import Actor, Factory, coffee
from tests.test_errors import assert_problem, msme_body

PRODUCTS = "/api/v1/products"


def locs(r: httpx.Response) -> list[list[Any]]:
    return [e["loc"] for e in assert_problem(r, 422)["errors"]]


async def _products(client: httpx.AsyncClient, owner: Actor) -> int:
    r = await client.get(PRODUCTS, params={"limit": 100}, headers=owner.headers)
    assert r.status_code == 200, r.text
    return len(r.json()["items"])


# -- what crashed the server ------------------------------------------------------------------


async def test_a_signature_of_any_text_is_refused_not_a_crash(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """Signatures were compared as text, which fails for anything but ASCII."""
    for signature in ("é" * 64, "ü", "0" * 63 + "ł"):
        r = await client.get(
            "/api/v1/storage/files/some/key", params={"expires": 1, "signature": signature}
        )
        assert ["query", "signature"] in locs(r)
    r = await client.post(
        "/api/v1/storage/uploads",
        data={"key": "k", "policy": "e30", "signature": "é" * 64},
        files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_numbers_beyond_their_columns_are_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    for params in (
        {"max_moq": "9223372036854775808"},
        {"max_moq": str(2**31)},
        {"min_price_jpy": "1" + "0" * 40},
        {"max_price_jpy": "1e400"},
    ):
        r = await client.get("/api/v1/catalog/products", params=params)
        assert [["query", next(iter(params))]] == locs(r), params
    assert (await client.get("/api/v1/catalog/products", params={"max_moq": 2**31 - 1})).is_success


@pytest.mark.parametrize("field", ["is_electrical", "organic_claim", "category", "name", "unit"])
async def test_null_for_a_field_that_always_has_a_value_is_refused(
    client: httpx.AsyncClient, factory: Factory, field: str
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    r = await client.patch(f"{PRODUCTS}/{product['id']}", json={field: None}, headers=owner.headers)
    assert locs(r) == [["body", field]]
    after = await factory.get_product(owner, product["id"])
    assert after["version"] == product["version"]
    assert after[field] == product[field]


async def test_null_clears_a_field_that_may_be_empty(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner, sku="KOPI-1")
    r = await client.patch(f"{PRODUCTS}/{product['id']}", json={"sku": None}, headers=owner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["sku"] is None


@pytest.mark.parametrize("depth", [40, 950, 100_000])
async def test_json_nested_deeper_than_anything_kurasi_sends_is_refused(
    client: httpx.AsyncClient, factory: Factory, depth: int
) -> None:
    """It crashed the idempotency fingerprint (recursion) at about 950."""
    owner = await factory.owner()
    msme = await factory.msme(owner)
    nested = "[" * depth + "]" * depth
    body = json.dumps({"msme_id": msme["id"], **coffee()})[:-1] + f', "specifications": {nested}}}'
    r = await client.post(
        PRODUCTS,
        content=body.encode(),
        headers={**owner.headers, "Content-Type": "application/json", "Idempotency-Key": "deep"},
    )
    problem = assert_problem(r, 422)
    assert problem["errors"][0]["loc"][0] == "body" and "nested" in problem["detail"]
    assert await _products(client, owner) == 0


# -- what was coerced and stored ----------------------------------------------------------------


async def test_a_date_is_an_iso_string_not_a_number(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    for as_of in (0, 1735689600, "20260101", True):
        r = await client.put(
            "/api/v1/fx-rates/IDR",
            json={"rate_to_jpy": "0.0095", "as_of": as_of},
            headers=admin.headers,
        )
        assert locs(r) == [["body", "as_of"]], as_of
    rates = (await client.get("/api/v1/fx-rates")).json()["items"]
    assert all(rate["as_of"] != "1970-01-01" for rate in rates)


async def test_a_flag_is_a_json_boolean_only(client: httpx.AsyncClient, factory: Factory) -> None:
    admin, curator, owner = await factory.admin(), await factory.curator(), await factory.owner()
    for value in (0, 1, "yes", "true", "false", None):
        r = await client.patch(
            f"/api/v1/users/{owner.id}", json={"is_active": value}, headers=admin.headers
        )
        assert locs(r) == [["body", "is_active"]], value
    assert (await client.get("/api/v1/users/me", headers=owner.headers)).json()["is_active"]

    channel = await factory.channel(admin)
    r = await client.patch(
        f"/api/v1/channels/{channel['code']}", json={"active": 0}, headers=admin.headers
    )
    assert locs(r) == [["body", "active"]]

    msme = await factory.msme(owner)
    r = await client.post(
        f"/api/v1/msmes/{msme['id']}/verify", json={"verified": "yes"}, headers=curator.headers
    )
    assert locs(r) == [["body", "verified"]]
    assert (await client.get(f"/api/v1/msmes/{msme['id']}", headers=owner.headers)).json()[
        "verified"
    ] is False


async def test_counts_are_json_integers_only(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    for moq in ("50", 50.5, True):
        r = await client.post(
            PRODUCTS, json={"msme_id": msme["id"], **coffee(moq=moq)}, headers=owner.headers
        )
        assert locs(r) == [["body", "moq"]], moq
    assert await _products(client, owner) == 0
    # JSON Schema's integers include 50.0.
    r = await client.post(
        PRODUCTS, json={"msme_id": msme["id"], **coffee(moq=50.0)}, headers=owner.headers
    )
    assert r.status_code == 201 and r.json()["moq"] == 50, r.text


async def test_money_is_a_decimal_string_in_a_currency_in_use(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    for price, loc in (
        ({"amount": 250000, "currency": "IDR"}, "amount"),
        ({"amount": 250000.5, "currency": "IDR"}, "amount"),
        ({"amount": "2.5e5", "currency": "IDR"}, "amount"),
        ({"amount": "-1", "currency": "IDR"}, "amount"),
        ({"amount": "250000", "currency": "QQQ"}, "currency"),
        ({"amount": "250000", "currency": "idr"}, "currency"),
        ({"amount": "250000", "currency": "XXX"}, "currency"),
    ):
        r = await client.post(
            PRODUCTS, json={"msme_id": msme["id"], **coffee(price=price)}, headers=owner.headers
        )
        assert locs(r) == [["body", "price", loc]], price
    assert await _products(client, owner) == 0
    admin = await factory.admin()
    for currency in ("QQQ", "JPY", "idr"):
        r = await client.put(
            f"/api/v1/fx-rates/{currency}",
            json={"rate_to_jpy": "0.0095", "as_of": "2026-01-01"},
            headers=admin.headers,
        )
        assert locs(r) == [["path", "currency"]], currency
    for rate in ("0", "0.000", 0.0095, "-1", "0.000000001"):
        r = await client.put(
            "/api/v1/fx-rates/USD",
            json={"rate_to_jpy": rate, "as_of": "2026-01-01"},
            headers=admin.headers,
        )
        assert locs(r) == [["body", "rate_to_jpy"]], rate


@pytest.mark.parametrize("text", ["Kopi\x00Gayo", "Kopi \ud800", "\udfff"])
async def test_nul_and_lone_surrogates_are_refused_anywhere(
    client: httpx.AsyncClient, factory: Factory, text: str
) -> None:
    owner = await factory.owner()
    body = msme_body(brand_name=text)
    raw = json.dumps(body).encode()  # escapes them as \u0000, \ud800
    r = await client.post(
        "/api/v1/msmes", content=raw, headers={**owner.headers, "Content-Type": "application/json"}
    )
    assert locs(r) == [["body", "brand_name"]]
    msme = await factory.msme(owner)
    name = {"id": "Kopi", "en": text}
    raw = json.dumps({"msme_id": msme["id"], **coffee(name=name)}).encode()
    r = await client.post(
        PRODUCTS, content=raw, headers={**owner.headers, "Content-Type": "application/json"}
    )
    assert locs(r) == [["body", "name", "en"]]
    keyed = json.dumps({"msme_id": msme["id"], **coffee(name={"id": "Kopi", text: "x"})})
    r = await client.post(
        PRODUCTS,
        content=keyed.encode(),
        headers={**owner.headers, "Content-Type": "application/json"},
    )
    assert locs(r) == [["body", "name"]]
    assert await _products(client, owner) == 0


async def test_nul_in_a_query_or_a_path_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/catalog/products?q=kopi%00gayo")
    assert locs(r) == [["query", "q"]]
    r = await client.get(
        "/api/v1/storage/files/a%00b", params={"expires": 1, "signature": "0" * 64}
    )
    assert locs(r) == [["path"]]


async def test_text_longer_than_its_column_is_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, admin = await factory.owner(), await factory.admin()
    r = await client.post("/api/v1/msmes", json=msme_body(city="K" * 101), headers=owner.headers)
    assert locs(r) == [["body", "city"]]
    r = await client.post(
        "/api/v1/channels",
        json={"code": "long-city", "name": {"en": "Fair"}, "kind": "exhibition", "city": "K" * 101},
        headers=admin.headers,
    )
    assert locs(r) == [["body", "city"]]


async def test_nul_in_a_login_form_is_refused_not_a_crash(client: httpx.AsyncClient) -> None:
    # Found by Schemathesis on PostgreSQL, which refuses NUL in text: a 500 before.
    for form in (
        {"username": "owner\x00@gayo-lestari.example", "password": "kurasi-owner-2026"},
        {"username": "owner@gayo-lestari.example", "password": "x\x00y"},
    ):
        r = await client.post("/api/v1/auth/token", data=form)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["errors"][0]["loc"][0] == "body"
    ok = await client.post(
        "/api/v1/auth/token", data={"username": "nobody@kurasi.example", "password": "x"}
    )
    assert ok.status_code == 401
