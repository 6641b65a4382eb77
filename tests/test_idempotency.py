"""`Idempotency-Key` on creating calls (SPEC §4): a retry returns the first response."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from app.demo.files import pdf, png
from tests.factories import Actor, Factory, coffee


def _key(actor: Actor, key: str) -> dict[str, str]:
    return {**actor.headers, "Idempotency-Key": key}


async def _products(client: httpx.AsyncClient, actor: Actor) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/products", params={"limit": 100}, headers=actor.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _media_body(content: bytes, **overrides: Any) -> dict[str, Any]:
    return {
        "filename": "photo.png",
        "content_type": "image/png",
        "size": len(content),
        "alt": "Roasted beans",
        **overrides,
    }


def _document_body(doc_type: str, content: bytes, **overrides: Any) -> dict[str, Any]:
    today = date.today()
    return {
        "doc_type": doc_type,
        "number": f"{doc_type.upper()}-0001",
        "issuer": "Issuer",
        "issued_on": (today - timedelta(days=10)).isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(),
        "filename": f"{doc_type}.pdf",
        "content_type": "application/pdf",
        "size": len(content),
        **overrides,
    }


async def test_create_product_retry_returns_the_first_response(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    body = {"msme_id": msme["id"], **coffee()}
    first = await client.post("/api/v1/products", json=body, headers=_key(owner, "create-1"))
    assert first.status_code == 201, first.text
    second = await client.post("/api/v1/products", json=body, headers=_key(owner, "create-1"))
    assert second.status_code == 201, second.text
    assert second.json() == first.json()
    # The replay carries the ETag of the first response, so If-Match works after a retry.
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert [p["id"] for p in await _products(client, owner)] == [first.json()["id"]]

    # The same body with the keys in another order is the same request.
    reordered = dict(reversed(list(body.items())))
    third = await client.post("/api/v1/products", json=reordered, headers=_key(owner, "create-1"))
    assert third.status_code == 201, third.text
    assert third.json()["id"] == first.json()["id"]
    assert len(await _products(client, owner)) == 1


async def test_same_key_with_another_body_is_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    body = {"msme_id": msme["id"], **coffee()}
    first = await client.post("/api/v1/products", json=body, headers=_key(owner, "create-2"))
    assert first.status_code == 201, first.text
    other = {**body, "moq": body["moq"] + 1}
    r = await client.post("/api/v1/products", json=other, headers=_key(owner, "create-2"))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    products = await _products(client, owner)
    assert [(p["id"], p["moq"]) for p in products] == [(first.json()["id"], body["moq"])]

    # A new key creates a new product.
    r = await client.post(
        "/api/v1/products", json={**other, "sku": "OTHER-SKU"}, headers=_key(owner, "create-3")
    )
    assert r.status_code == 201, r.text
    assert len(await _products(client, owner)) == 2


async def test_without_a_key_every_call_creates(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    body = {"msme_id": msme["id"], **coffee(sku=None)}
    first = await client.post("/api/v1/products", json=body, headers=owner.headers)
    second = await client.post("/api/v1/products", json=body, headers=owner.headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert len(await _products(client, owner)) == 2


async def test_different_users_use_the_same_key_independently(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    alice, bob = await factory.owner(), await factory.owner()
    alice_msme, bob_msme = await factory.msme(alice), await factory.msme(bob)
    a = await client.post(
        "/api/v1/products",
        json={"msme_id": alice_msme["id"], **coffee(sku="SAME")},
        headers=_key(alice, "shared-key"),
    )
    b = await client.post(
        "/api/v1/products",
        json={"msme_id": bob_msme["id"], **coffee(sku="SAME")},
        headers=_key(bob, "shared-key"),
    )
    assert a.status_code == 201, a.text
    assert b.status_code == 201, b.text
    assert a.json()["id"] != b.json()["id"]
    assert b.json()["msme_id"] == bob_msme["id"]
    assert [p["id"] for p in await _products(client, alice)] == [a.json()["id"]]
    assert [p["id"] for p in await _products(client, bob)] == [b.json()["id"]]

    # Bob replaying Alice's exact request does not get Alice's product.
    r = await client.post(
        "/api/v1/products",
        json={"msme_id": alice_msme["id"], **coffee(sku="SAME")},
        headers=_key(bob, "another-key"),
    )
    assert r.status_code == 404, r.text


async def test_starting_a_media_upload_twice_creates_one_media(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    url = f"/api/v1/products/{product['id']}/media"
    content = png()
    body = _media_body(content)
    first = await client.post(url, json=body, headers=_key(owner, "media-1"))
    assert first.status_code == 201, first.text
    second = await client.post(url, json=body, headers=_key(owner, "media-1"))
    assert second.status_code == 201, second.text
    assert second.json()["media"]["id"] == first.json()["media"]["id"]
    assert second.json()["upload"]["url"] == first.json()["upload"]["url"]

    r = await client.post(
        url, json=_media_body(content, alt="Another"), headers=_key(owner, "media-1")
    )
    assert r.status_code == 422, r.text

    # The retried upload completes the one media.
    sent = await factory.send_upload(second.json()["upload"], content, "photo.png")
    assert sent.status_code == 204, sent.text
    media_id = first.json()["media"]["id"]
    done = await client.post(f"/api/v1/media/{media_id}/complete", headers=owner.headers)
    assert done.status_code == 200, done.text
    media = (await factory.get_product(owner, product["id"]))["media"]
    assert [m["id"] for m in media] == [media_id]


async def test_starting_a_product_document_upload_twice_creates_one_document(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    url = f"/api/v1/products/{product['id']}/documents"
    content = pdf("food_registration")
    body = _document_body("food_registration", content)
    first = await client.post(url, json=body, headers=_key(owner, "doc-1"))
    assert first.status_code == 201, first.text
    second = await client.post(url, json=body, headers=_key(owner, "doc-1"))
    assert second.status_code == 201, second.text
    assert second.json()["document"]["id"] == first.json()["document"]["id"]

    r = await client.post(
        url, json={**body, "number": "FOOD_REGISTRATION-0002"}, headers=_key(owner, "doc-1")
    )
    assert r.status_code == 422, r.text

    documents = (await factory.get_product(owner, product["id"]))["documents"]
    assert [d["id"] for d in documents] == [first.json()["document"]["id"]]


async def test_starting_an_msme_document_upload_twice_creates_one_document(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    url = f"/api/v1/msmes/{msme['id']}/documents"
    content = pdf("nib")
    body = _document_body("nib", content, expires_on=None)
    first = await client.post(url, json=body, headers=_key(owner, "nib-1"))
    second = await client.post(url, json=body, headers=_key(owner, "nib-1"))
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert second.json()["document"]["id"] == first.json()["document"]["id"]
    r = await client.get(f"/api/v1/msmes/{msme['id']}", headers=owner.headers)
    assert [d["id"] for d in r.json()["documents"]] == [first.json()["document"]["id"]]
