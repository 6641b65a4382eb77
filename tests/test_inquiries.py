"""Inquiries (a buyer asks, the owner answers) and the buyer's shortlist."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.factories import Actor, Factory

ASK = {
    "quantity": 100,
    "message": "サンプルを10kgお願いします。",
    "incoterm": "CIF",
    "destination_port": "Tokyo",
    "target_price": {"amount": "2500", "currency": "JPY"},
}


async def ask(
    client: httpx.AsyncClient, buyer: Actor, product_id: str, **overrides: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/catalog/products/{product_id}/inquiries",
        json={**ASK, **overrides},
        headers=buyer.headers,
    )


async def say(
    client: httpx.AsyncClient, actor: Actor, inquiry_id: str, body: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/inquiries/{inquiry_id}/messages", json={"message": body}, headers=actor.headers
    )


async def thread(client: httpx.AsyncClient, actor: Actor, inquiry_id: str) -> dict[str, Any]:
    r = await client.get(f"/api/v1/inquiries/{inquiry_id}", headers=actor.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def listed_ids(client: httpx.AsyncClient, actor: Actor) -> set[str]:
    r = await client.get("/api/v1/inquiries", params={"limit": 100}, headers=actor.headers)
    assert r.status_code == 200, r.text
    return {i["id"] for i in r.json()["items"]}


# -- inquiries --------------------------------------------------------------------------------


async def test_buyer_asks_about_a_published_product(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    product, actors = await factory.published_product()
    buyer = await factory.buyer()
    r = await ask(client, buyer, product["id"])
    assert r.status_code == 201, r.text
    inquiry = r.json()
    assert inquiry["product_id"] == product["id"]
    assert inquiry["msme_id"] == product["msme_id"]
    assert inquiry["buyer_id"] == buyer.id
    assert inquiry["status"] == "open"
    assert inquiry["quantity"] == 100
    assert inquiry["message"] == ASK["message"]
    assert inquiry["incoterm"] == "CIF"
    assert inquiry["destination_port"] == "Tokyo"
    assert inquiry["target_price"] == {"amount": "2500", "currency": "JPY"}
    assert inquiry["messages"] == []
    # The owner finds it.
    assert await listed_ids(client, actors["owner"]) == {inquiry["id"]}


async def test_inquiry_on_unpublished_product_is_404(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    draft = await factory.product(owner)
    approved_unlisted = await factory.approved_product(owner, curator)
    buyer = await factory.buyer()
    for pid in (draft["id"], approved_unlisted["id"], str(uuid.uuid4())):
        r = await ask(client, buyer, pid)
        assert r.status_code == 404, r.text
    assert await listed_ids(client, buyer) == set()


async def test_only_buyers_ask(client: httpx.AsyncClient, factory: Factory) -> None:
    product, actors = await factory.published_product()
    for actor in (actors["owner"], actors["curator"], actors["admin"]):
        r = await ask(client, actor, product["id"])
        assert r.status_code == 403, (actor.role, r.text)
    assert (
        await client.post(f"/api/v1/catalog/products/{product['id']}/inquiries", json=ASK)
    ).status_code == 401
    assert await listed_ids(client, actors["admin"]) == set()


async def test_invalid_inquiry_is_422(client: httpx.AsyncClient, factory: Factory) -> None:
    product, _ = await factory.published_product()
    buyer = await factory.buyer()
    assert (await ask(client, buyer, product["id"], quantity=0)).status_code == 422
    assert (await ask(client, buyer, product["id"], message="")).status_code == 422
    assert (await ask(client, buyer, product["id"], incoterm="XYZ")).status_code == 422
    assert await listed_ids(client, buyer) == set()


async def test_thread_between_buyer_and_owner(client: httpx.AsyncClient, factory: Factory) -> None:
    product, actors = await factory.published_product()
    owner, buyer = actors["owner"], await factory.buyer()
    inquiry_id = (await ask(client, buyer, product["id"])).json()["id"]

    r = await say(client, owner, inquiry_id, "Bisa, sampel 10 kg siap minggu depan.")
    assert r.status_code == 201, r.text
    assert r.json()["author_id"] == owner.id
    assert r.json()["author_role"] == "msme_owner"
    assert r.json()["message"] == "Bisa, sampel 10 kg siap minggu depan."
    assert (await thread(client, buyer, inquiry_id))["status"] == "answered"

    r = await say(client, buyer, inquiry_id, "ありがとうございます。価格は？")
    assert r.status_code == 201, r.text
    assert (await thread(client, owner, inquiry_id))["status"] == "open"

    assert (await say(client, owner, inquiry_id, "Rp 270.000/kg FOB.")).status_code == 201
    seen = await thread(client, buyer, inquiry_id)
    assert seen["status"] == "answered"
    assert [(m["author_role"], m["message"]) for m in seen["messages"]] == [
        ("msme_owner", "Bisa, sampel 10 kg siap minggu depan."),
        ("buyer", "ありがとうございます。価格は？"),
        ("msme_owner", "Rp 270.000/kg FOB."),
    ]
    assert seen == await thread(client, owner, inquiry_id)


async def test_a_message_is_sent_as_message_like_the_inquiry(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    product, actors = await factory.published_product()
    buyer = await factory.buyer()
    inquiry_id = (await ask(client, buyer, product["id"])).json()["id"]
    r = await client.post(
        f"/api/v1/inquiries/{inquiry_id}/messages",
        json={"body": "Bisa."},
        headers=actors["owner"].headers,
    )
    assert r.status_code == 422, r.text
    assert sorted(e["loc"] for e in r.json()["errors"]) == [["body", "body"], ["body", "message"]]
    assert (await thread(client, buyer, inquiry_id))["messages"] == []


async def test_closed_inquiry_takes_no_messages(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    product, actors = await factory.published_product()
    owner, buyer = actors["owner"], await factory.buyer()
    inquiry_id = (await ask(client, buyer, product["id"])).json()["id"]
    r = await client.patch(
        f"/api/v1/inquiries/{inquiry_id}", json={"status": "closed"}, headers=buyer.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed"
    for actor in (owner, buyer):
        r = await say(client, actor, inquiry_id, "Halo?")
        assert r.status_code == 409, r.text
    seen = await thread(client, owner, inquiry_id)
    assert seen["status"] == "closed" and seen["messages"] == []


async def test_inquiry_visibility(client: httpx.AsyncClient, factory: Factory) -> None:
    product, actors = await factory.published_product()
    owner, curator, admin = actors["owner"], actors["curator"], actors["admin"]
    other_product, other_actors = await factory.published_product()
    buyer, other_buyer = await factory.buyer(), await factory.buyer()
    mine = (await ask(client, buyer, product["id"])).json()["id"]
    theirs = (await ask(client, other_buyer, other_product["id"])).json()["id"]
    other_owner = other_actors["owner"]

    for outsider in (other_buyer, other_owner):
        assert (
            await client.get(f"/api/v1/inquiries/{mine}", headers=outsider.headers)
        ).status_code == 404
        assert (await say(client, outsider, mine, "Saya juga tertarik")).status_code == 404
        r = await client.patch(
            f"/api/v1/inquiries/{mine}", json={"status": "closed"}, headers=outsider.headers
        )
        assert r.status_code == 404
    assert (
        await client.get(f"/api/v1/inquiries/{mine}", headers=curator.headers)
    ).status_code == 403
    assert (await client.get("/api/v1/inquiries", headers=curator.headers)).status_code == 403
    assert (await client.get(f"/api/v1/inquiries/{mine}")).status_code == 401

    assert (await thread(client, admin, mine))["id"] == mine
    assert (await thread(client, admin, theirs))["id"] == theirs
    assert await listed_ids(client, admin) == {mine, theirs}
    assert await listed_ids(client, buyer) == {mine}
    assert await listed_ids(client, other_buyer) == {theirs}
    assert await listed_ids(client, owner) == {mine}
    assert await listed_ids(client, other_owner) == {theirs}
    # Nothing was posted by anyone who may not see it.
    assert (await thread(client, owner, mine))["messages"] == []
    assert (await thread(client, owner, mine))["status"] == "open"


# -- the shortlist ----------------------------------------------------------------------------


async def shortlist(client: httpx.AsyncClient, buyer: Actor) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/shortlist", headers=buyer.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def test_shortlist_add_is_idempotent_and_shows_catalog_items(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    product, _ = await factory.published_product()
    buyer = await factory.buyer()
    pid = product["id"]
    assert await shortlist(client, buyer) == []
    for _ in range(2):
        r = await client.put(f"/api/v1/shortlist/{pid}", headers=buyer.headers)
        assert r.status_code == 200, r.text
        assert r.json()["product_id"] == pid
    items = await shortlist(client, buyer)
    assert len(items) == 1
    assert items[0]["product_id"] == pid
    assert items[0]["available"] is True
    entry = items[0]["product"]
    catalog_item = (await client.get(f"/api/v1/catalog/products/{pid}")).json()
    assert entry["id"] == pid
    assert entry["name"] == catalog_item["name"]
    assert entry["price"] == {"amount": "285000.00", "currency": "IDR"}
    assert entry["msme"] == catalog_item["msme"]
    # Another buyer's shortlist is their own.
    assert await shortlist(client, await factory.buyer()) == []


async def test_shortlist_remove(client: httpx.AsyncClient, factory: Factory) -> None:
    product, _ = await factory.published_product()
    buyer = await factory.buyer()
    pid = product["id"]
    assert (await client.put(f"/api/v1/shortlist/{pid}", headers=buyer.headers)).status_code == 200
    r = await client.delete(f"/api/v1/shortlist/{pid}", headers=buyer.headers)
    assert r.status_code == 204
    assert await shortlist(client, buyer) == []
    r = await client.delete(f"/api/v1/shortlist/{pid}", headers=buyer.headers)
    assert r.status_code == 404


async def test_shortlist_takes_catalog_products_only(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    draft = await factory.product(owner)
    buyer = await factory.buyer()
    for pid in (draft["id"], str(uuid.uuid4())):
        r = await client.put(f"/api/v1/shortlist/{pid}", headers=buyer.headers)
        assert r.status_code == 404, r.text
    assert await shortlist(client, buyer) == []


async def test_shortlist_is_for_buyers(client: httpx.AsyncClient, factory: Factory) -> None:
    product, actors = await factory.published_product()
    pid = product["id"]
    for actor in actors.values():
        assert (
            await client.put(f"/api/v1/shortlist/{pid}", headers=actor.headers)
        ).status_code == 403
        assert (await client.get("/api/v1/shortlist", headers=actor.headers)).status_code == 403
        r = await client.delete(f"/api/v1/shortlist/{pid}", headers=actor.headers)
        assert r.status_code == 403
    assert (await client.get("/api/v1/shortlist")).status_code == 401


async def test_shortlisted_product_that_leaves_the_catalog(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    product, actors = await factory.published_product()
    buyer = await factory.buyer()
    pid = product["id"]
    assert (await client.put(f"/api/v1/shortlist/{pid}", headers=buyer.headers)).status_code == 200
    r = await client.delete(
        f"/api/v1/channels/tokyo-msme-center/listings/{pid}", headers=actors["admin"].headers
    )
    assert r.status_code == 204
    [item] = await shortlist(client, buyer)
    assert item["product_id"] == pid
    assert item["available"] is False
    assert item["product"] is None
    # And no new inquiry can be made about it.
    assert (await ask(client, buyer, pid)).status_code == 404
