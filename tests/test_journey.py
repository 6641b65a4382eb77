"""The whole journey: an owner's product, a curator's review, an admin's listing, a buyer."""

from __future__ import annotations

import httpx

from tests.factories import Factory


async def test_owner_to_buyer_journey(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, curator, admin, buyer = (
        await factory.owner(),
        await factory.curator(),
        await factory.admin(),
        await factory.buyer(),
    )
    product = await factory.ready_product(owner)
    pid = product["id"]
    assert product["status"] == "draft"

    readiness = (
        await client.get(f"/api/v1/products/{pid}/readiness", headers=owner.headers)
    ).json()
    assert readiness["ready"] is True and readiness["score"] == 100

    r = await factory.transition(owner, pid, "submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    queue = (await client.get("/api/v1/curation/queue", headers=curator.headers)).json()
    assert [i["id"] for i in queue["items"]] == [pid]

    assert (await factory.transition(curator, pid, "start_review")).json()["status"] == "in_review"
    await factory.verify_documents(curator, pid)
    r = await factory.transition(
        curator, pid, "approve", checklist=factory.checklist(product), score=88
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["approved_revision"] == 1

    await factory.channel(admin)
    await factory.publish(admin, pid)
    await client.put(
        "/api/v1/fx-rates/IDR",
        json={"rate_to_jpy": "0.0094", "as_of": "2026-11-01"},
        headers=admin.headers,
    )

    page = (await client.get("/api/v1/catalog/products", params={"lang": "en"})).json()
    assert [i["id"] for i in page["items"]] == [pid]
    item = page["items"][0]
    assert item["name"] == "Roasted Gayo arabica coffee"
    assert item["price"] == {"amount": "285000.00", "currency": "IDR"}
    assert item["price_jpy"] == {"amount": "2679", "currency": "JPY"}
    image = await client.get(item["media"][0]["url"], follow_redirects=True)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    r = await client.post(
        f"/api/v1/catalog/products/{pid}/inquiries",
        json={
            "quantity": 100,
            "message": "サンプルをお願いします",
            "incoterm": "CIF",
            "destination_port": "Tokyo",
        },
        headers=buyer.headers,
    )
    assert r.status_code == 201, r.text
    inquiry = r.json()
    r = await client.post(
        f"/api/v1/inquiries/{inquiry['id']}/messages",
        json={"message": "Siap, kami kirim."},
        headers=owner.headers,
    )
    assert r.status_code == 201
    thread = (await client.get(f"/api/v1/inquiries/{inquiry['id']}", headers=buyer.headers)).json()
    assert thread["status"] == "answered" and [m["message"] for m in thread["messages"]] == [
        "Siap, kami kirim."
    ]

    trail = (await client.get(f"/api/v1/products/{pid}/transitions", headers=owner.headers)).json()[
        "items"
    ]
    assert [t["action"] for t in trail] == ["submit", "start_review", "approve"]
